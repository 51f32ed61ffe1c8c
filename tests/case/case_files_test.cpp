#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "case/case_files.h"
#include "case/input_error.h"
#include "temp_dir.h"

using namespace iovet;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "{}";
}

}  // namespace

TEST_CASE("case files: recursive, *.json only, sorted, files as given", "[case][files]") {
  const fs::path d = test::fresh_temp_dir("files");
  touch(d / "b.json");
  touch(d / "a.json");
  touch(d / "sub" / "deeper" / "c.json");
  touch(d / "notes.txt");
  touch(d / "sub" / "d.json.bak");
  touch(d / "single.txt");
  const auto files = list_case_files({(d / "single.txt").string(), d.string()});
  CHECK(files == std::vector<std::string>{(d / "single.txt").string(), (d / "a.json").string(),
                                          (d / "b.json").string(),
                                          (d / "sub" / "deeper" / "c.json").string()});
  fs::remove_all(d);
}

TEST_CASE("case files: a missing path is an input error", "[case][files]") {
  const fs::path d = test::fresh_temp_dir("missing");
  try {
    list_case_files({d.string(), (d / "nope").string()});
    FAIL("accepted a missing path");
  } catch (const InputError& e) {
    CHECK(e.file == (d / "nope").string());
  }
  fs::remove_all(d);
}
