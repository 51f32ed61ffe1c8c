// `iovet export --kunit` from the command line: what it writes, what it refuses and how.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/case/temp_dir.h"
#include "tests/cli/run_iovet.h"

namespace {
const std::string src = IOVET_SOURCE_DIR;
}

TEST_CASE("export --kunit writes one kunit_case per iova and pgtable case, the same bytes each time", "[export]") {
  const auto dir = iovet::test::fresh_temp_dir("export-kunit");
  const std::string out = (dir / "suite.c").string();
  const IovetRun r = run_iovet("export --kunit " + src + "/corpus -o " + out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string text = slurp(out);
  CHECK(text.find("static void seed_v5_iova_stateful_iova_window(struct kunit *test)") != std::string::npos);
  CHECK(text.find("KUNIT_CASE(linux_6_1_pgtable_unmap_emptied_table),") != std::string::npos);
  CHECK(text.find(" * Rules iovet judged broken: iova.window.") != std::string::npos);
  CHECK(text.find("kunit_test_suite(iovet_suite);") != std::string::npos);
  // the dma cases among them are named, the rest still exported
  CHECK(r.err.find("seed-v5-dma.sg-sg.boundary.json: not exportable (target dma)") != std::string::npos);
  CHECK(r.err.find("KUnit suite iovet, 9 case(s)") != std::string::npos);
  REQUIRE(run_iovet("export --kunit " + src + "/corpus -o " + out + "2").exit_code == 0);
  CHECK(slurp(out + "2") == text);
}

TEST_CASE("export --kunit refuses what it cannot export with exit 2", "[export]") {
  const auto dir = iovet::test::fresh_temp_dir("export-kunit-bad");
  const std::string out = (dir / "suite.c").string();

  SECTION("no case named") {
    const IovetRun r = run_iovet("export --kunit -o " + out);
    CHECK(r.exit_code == 2);
  }
  SECTION("a directory without cases") {
    std::filesystem::create_directories(dir / "empty");
    const IovetRun r = run_iovet("export --kunit " + (dir / "empty").string() + " -o " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no case file (*.json) to export") != std::string::npos);
  }
  SECTION("only dma cases") {
    const IovetRun r = run_iovet("export --kunit " + src + "/corpus/seed-v5/seed-v5-dma.sg-sg.boundary.json -o " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not exportable: dma and smmu cases run dma-iommu.c, which needs a device") != std::string::npos);
    CHECK(r.err.find("nothing to export") != std::string::npos);
  }
  SECTION("a case that is not a case") {
    const std::string bad = write_temp_file("export-bad.json", "{\"iovet\": 1, \"target\": \"iova\", \"ops\": 3}");
    const IovetRun r = run_iovet("export --kunit " + bad + " -o " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(bad) != std::string::npos);
  }
  SECTION("an output that cannot be written") {
    const IovetRun r = run_iovet("export --kunit " + src + "/corpus/mainline/mainline-rcache-per-cpu.json -o " +
                                 (dir / "no" / "such" / "dir.c").string());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("dir.c") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(out));
}
