// `iovet import`: a fuzzer artifact becomes a reduced case that replays; bad artifacts are
// input errors naming the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "case/case_json.h"
#include "fuzz/case_bytes.h"
#include "tests/case/temp_dir.h"
#include "tests/cli/run_iovet.h"

namespace {
const std::string src = IOVET_SOURCE_DIR;

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}
}  // namespace

TEST_CASE("import reduces an artifact to the ops that show its finding, and the case replays", "[import]") {
  using namespace iovet;
  const auto dir = test::fresh_temp_dir("import");
  // seed-v5's double unmap oops, behind ops that have nothing to do with it.
  Case c = load_case(src + "/corpus/seed-v5/seed-v5-dma.double_unmap-dma.crash.json", false, nullptr);
  const std::size_t needed = c.ops.size();
  c.ops.insert(c.ops.begin(), {op::MapPage{"x", 0x40000000, 0, 8192, Dir::to_device}, {}});
  c.ops.insert(c.ops.begin() + 1, {op::Access{"x", 100, 0, false}, {}});
  write_bytes(dir / "crash-1", fuzz::encode_case(c));
  const std::string out = (dir / "cases").string();
  const IovetRun r = run_iovet("import " + (dir / "crash-1").string() + " --target dma --variant seed-v5 --corpus-out " + out +
                               " --format json");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 1);  // a finding, as check reports one
  const auto report = nlohmann::json::parse(r.out);
  const std::string file = report["results"][0]["case"];
  const Case got = load_case(file, true, nullptr);
  CHECK(got.ops.size() <= needed);
  CHECK(got.expect_rules == std::vector<std::string>{"dma.crash"});
  CHECK(got.provenance["found_by"] == "import");
  CHECK(got.provenance["engine"] == "libfuzzer");
  CHECK(got.provenance["target"] == "dma");
  CHECK(got.provenance["variant"] == "seed-v5");
  CHECK(got.provenance["artifact"] == "crash-1");
  CHECK(run_iovet("replay " + out).exit_code == 0);
  // The same artifact as a Base64 line (of the same file name) gives the same file, byte for byte.
  const std::string before = slurp(file);
  std::filesystem::remove(file);
  std::filesystem::create_directories(dir / "b64");
  const std::string line = (dir / "b64" / "crash-1").string();
  REQUIRE(std::system(("base64 -w0 " + (dir / "crash-1").string() + " > " + line).c_str()) == 0);
  CHECK(run_iovet("import --base64 " + line + " --target dma --variant seed-v5 --engine libfuzzer --corpus-out " + out).exit_code == 1);
  CHECK(slurp(file) == before);
}

TEST_CASE("import: an artifact that shows nothing writes nothing; unreadable ones are input errors", "[import]") {
  const auto dir = iovet::test::fresh_temp_dir("import-bad");
  write_bytes(dir / "empty", "");
  const std::string out = (dir / "cases").string();
  const IovetRun clean = run_iovet("import " + (dir / "empty").string() + " --target dma --variant mainline --corpus-out " + out);
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.find("nothing imported") != std::string::npos);
  CHECK(std::filesystem::is_empty(out));
  const IovetRun missing = run_iovet("import " + (dir / "nope").string() + " --target dma --corpus-out " + out);
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.find((dir / "nope").string() + ": cannot open the artifact") != std::string::npos);
  write_bytes(dir / "text", "not base64!\n");
  const IovetRun b64 = run_iovet("import --base64 " + (dir / "text").string() + " --target dma --corpus-out " + out);
  CHECK(b64.exit_code == 2);
  CHECK(b64.out.find("text: not one line of Base64") != std::string::npos);
  CHECK(run_iovet("import " + (dir / "empty").string() + " --target smmu --variant impl --corpus-out " + out).exit_code == 2);
}
