// `iovet export --kunit` for real: the suite exported from every iova and pgtable case of
// corpus/ (and tests/kernel/cases) compiles against a kernel tree with iovet's shim and
// kernel/kunit's KUnit shim, runs, and each kunit_case passes exactly when iovet's own replay
// on that tree breaks none of the rules the suite checks: on linux-6.1, and on planted trees
// where the same suite fails. tools/testing/kunit/kunit.py parses what it prints.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "case/case_files.h"
#include "case/case_json.h"
#include "export/kunit.h"
#include "kernel/spawn.h"
#include "run/run.h"
#include "run/variants.h"
#include "tests/kernel/kunit_program.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;
using kerneltest::build_kunit_program;
using kerneltest::KunitRun;
using kerneltest::run_kunit_program;

namespace {

std::vector<KunitSource> exportable_cases() {
  std::vector<KunitSource> out;
  const std::string src = IOVET_SOURCE_DIR;
  for (const std::string& f : list_case_files({src + "/corpus", src + "/tests/kernel/cases"})) {
    Case c = load_case(f, true, nullptr);
    if (kunit_not_exportable(c).empty()) out.push_back({f.substr(src.size() + 1), std::move(c)});
  }
  return out;
}

// What the kunit_case must report on the tree `variant` names for a program built with
// page_size pages: iovet's replay there decides.
std::string expected_result(const Case& c, const std::string& variant, u64 page_size) {
  if (c.config.page_size != page_size) return "skip";
  const RunResult r = run_case(c, RunOptions{variant, false});
  bool broken = !r.expect_failures.empty();
  for (const Violation& v : r.violations) broken |= kunit_checks_rule(v.rule);
  return broken ? "not ok" : "ok";
}

struct TreeRun {
  KunitRun at_4k, at_64k;
};

// The suite on a tree at both page sizes the cases use, each kunit_case checked against iovet.
TreeRun run_suite_on(const KernelTree& tree, const std::string& variant, const std::string& name) {
  const std::vector<KunitSource> cases = exportable_cases();
  const std::string c_text = kunit_suite_c(cases, "iovet");
  TreeRun out;
  for (const unsigned shift : {12u, 16u}) {
    const std::string dir =
        (std::filesystem::temp_directory_path() / "iovet-kernel-tests" / (name + "-" + std::to_string(shift))).string();
    const KunitRun run = run_kunit_program(build_kunit_program(tree, c_text, dir, shift));
    INFO(run.ktap);
    REQUIRE(run.result.size() == cases.size());
    for (const KunitSource& s : cases) {
      INFO(s.file << " on " << variant << " with " << (1u << shift) << "-byte pages");
      CHECK(run.result.at(kunit_case_name(s.c.name)) == expected_result(s.c, variant, u64{1} << shift));
    }
    (shift == 12 ? out.at_4k : out.at_64k) = run;
  }
  return out;
}

std::size_t count(const KunitRun& r, const std::string& what) {
  std::size_t n = 0;
  for (const auto& [name, result] : r.result) n += result == what;
  return n;
}

}  // namespace

TEST_CASE("an exported suite compiles and runs on linux-6.1 as iovet judges each case", "[kunit]") {
  const TreeRun r = run_suite_on(kerneltest::linux_6_1(), "linux-6.1", "kunit-linux-6.1");
  // the historical iova findings and the clean cases pass; 6.1's own pgtable findings fail
  CHECK(r.at_4k.result.at("seed_v5_iova_stateful_iova_window") == "ok");
  CHECK(r.at_4k.result.at("mainline_rcache_per_cpu") == "ok");
  CHECK(r.at_4k.result.at("pgtable_read_only_roundtrip") == "ok");
  CHECK(r.at_4k.result.at("linux_6_1_pgtable_unmap_emptied_table") == "not ok");
  CHECK(r.at_64k.result.at("linux_6_1_pgtable_block_over_live_table") == "not ok");
  CHECK(r.at_4k.status == 1);

  SECTION("the kernel's kunit.py parses the output with the same counts") {
    const std::string file = (std::filesystem::temp_directory_path() / "iovet-kernel-tests" / "kunit-6.1.ktap").string();
    std::ofstream(file) << r.at_4k.ktap;
    const CommandResult p = run_commands(
        {Command{{"python3", kerneltest::linux_6_1().root + "/tools/testing/kunit/kunit.py", "parse", file}}}, 1).front();
    INFO(p.output);
    // kunit.py leaves out the counts that are 0
    std::string want = "Ran " + std::to_string(r.at_4k.result.size()) + " tests: ";
    const char* sep = "";
    for (const auto& [label, what] : {std::pair{"passed", "ok"}, {"failed", "not ok"}, {"skipped", "skip"}})
      if (const std::size_t n = count(r.at_4k, what)) {
        want += sep + std::string(label) + ": " + std::to_string(n);
        sep = ", ";
      }
    CHECK(p.output.find(want) != std::string::npos);
    CHECK(p.status == 1);  // kunit.py fails when a test failed
  }
}

TEST_CASE("the same suite fails on a tree with a planted allocator fault", "[kunit]") {
  const std::string dir = kerneltest::scratch_tree("kunit-iova-limit-off-by-one", {"iova-limit-off-by-one"});
  register_kernel_tree(dir);
  const TreeRun r = run_suite_on(open_kernel_tree(dir), kKernelTreeVariant, "kunit-iova-limit");
  // alloc_iova() now goes one pfn past limit_pfn: the cases clean on 6.1 catch it
  CHECK(r.at_4k.result.at("seed_v5_iova_stateful_iova_window") == "not ok");
  CHECK(r.at_4k.ktap.find("iova.window: a0 ends above limit_pfn") != std::string::npos);
}

TEST_CASE("the same suite fails on a tree with a planted page-table fault", "[kunit]") {
  const std::string dir = kerneltest::scratch_tree("kunit-pgtable-no-rdonly", {"pgtable-no-rdonly"});
  register_kernel_tree(dir);
  const TreeRun r = run_suite_on(open_kernel_tree(dir), kKernelTreeVariant, "kunit-pgtable-no-rdonly");
  // read-only mappings come out writable: the round trip clean on 6.1 sees it at op 0
  CHECK(r.at_4k.result.at("pgtable_read_only_roundtrip") == "not ok");
  CHECK(r.at_4k.ktap.find("pt.permission: a device can write at iova 0x100000, mapped without write") !=
        std::string::npos);
  CHECK(r.at_4k.result.at("seed_v5_iova_stateful_iova_window") == "ok");
}

TEST_CASE("an exported suite is the same bytes for the same cases", "[kunit]") {
  const std::vector<KunitSource> cases = exportable_cases();
  REQUIRE(cases.size() >= 9);
  CHECK(kunit_suite_c(cases, "iovet") == kunit_suite_c(exportable_cases(), "iovet"));
}
