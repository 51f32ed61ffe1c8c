// Planted patches to a scratch copy of the linux-6.1 tree: each is caught by the property of
// its rule on variant kernel-tree and shrunk; a crash, a BUG() and a hang inside the kernel
// code are verdicts with cases while the campaign goes on; `iovet diff` between the clean and
// the patched tree shows the change as a minimal case.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "case/case_json.h"
#include "props/catalog.h"
#include "props/diff.h"
#include "props/property.h"
#include "run/variants.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;

namespace {

Property property(Target t, const std::string& name) {
  for (Property& p : properties_for(t))
    if (p.name == name) return p;
  FAIL("no property " << name);
  return {};
}

PropertyResult hunt(Target t, const std::string& name, int runs = 300) {
  CampaignOptions opt;
  opt.seed = 1;
  opt.runs = runs;
  opt.variant = kKernelTreeVariant;
  return check_property(property(t, name), opt);
}

// The patched tree fails the property with a small case that replays there and not on the
// clean tree.
void require_caught(const std::string& patch, Target t, const std::string& prop, const std::string& rule,
                    std::size_t max_ops) {
  register_kernel_tree(kerneltest::scratch_tree(patch, {patch}));
  const PropertyResult r = hunt(t, prop);
  INFO(r.message);
  REQUIRE(r.status == (find_rule(rule)->cls == RuleClass::hardening ? Status::warn : Status::fail));
  CHECK(r.rules.count(rule) == 1);
  REQUIRE(r.minimal_case);
  INFO(case_to_text(*r.minimal_case));
  CHECK(r.minimal_case->ops.size() <= max_ops);
  CHECK(run_case(*r.minimal_case, {kKernelTreeVariant}).rules().count(rule) == 1);
  CHECK(run_case(*r.minimal_case, {"linux-6.1"}).rules().count(rule) == 0);
}

}  // namespace

TEST_CASE("planted patch: iova.c's limit off by one is caught by iova.window", "[kernel][planted]") {
  require_caught("iova-limit-off-by-one", Target::iova, "iova.stateful/iova.window", "iova.window", 3);
}

TEST_CASE("planted patch: io-pgtable-arm.c without AP_RDONLY is caught by pt.permission", "[kernel][planted]") {
  require_caught("pgtable-no-rdonly", Target::pgtable, "pgtable.impl/pt.permission", "pt.permission", 2);
}

TEST_CASE("planted patch: __finalise_sg() merging across a segment boundary is caught by sg.boundary", "[kernel][planted]") {
  require_caught("dma-merge-across-boundary", Target::dma, "dma.sg_aligned/sg.boundary", "sg.boundary", 1);
}

TEST_CASE("planted patch: a DMA-FQ flush that never frees its IOVAs is caught by dma.leak", "[kernel][planted]") {
  // dma.leak alone would first find 6.1's own 4 GiB leak (corpus/linux-6.1): `iovet diff`
  // against the clean tree sees only what the patch changed, as a reviewer wants.
  register_kernel_tree(kerneltest::scratch_tree("dma-fq-leak", {"dma-fq-leak"}));
  CampaignOptions opt;
  opt.seed = 1;
  opt.runs = 300;
  std::optional<Case> found;
  for (const DiffResult& d : diff_target(Target::dma, "linux-6.1", kKernelTreeVariant, opt))
    if (d.workload == "dma.stateful") found = d.minimal;
  REQUIRE(found);
  INFO(case_to_text(*found));
  CHECK(found->ops.size() <= 4);
  CHECK(run_case(*found, {kKernelTreeVariant}).rules().count("dma.leak") == 1);
  CHECK(run_case(*found, {"linux-6.1"}).rules().count("dma.leak") == 0);
}

TEST_CASE("planted patch: iommu_dma_map_sg()'s pad_len one byte short is caught by dma.spurious_failure", "[kernel][planted]") {
  // Every list that needs padding gets a granule-misaligned entry: iommu_map() refuses it and
  // map_sg returns -EINVAL on valid input.
  require_caught("dma-boundary-pad-off-by-one", Target::dma, "dma.sg/dma.spurious_failure", "dma.spurious_failure", 1);
}

TEST_CASE("planted patch: a PCI dma-range gap reserved one granule short is caught by dma.reserved", "[kernel][planted]") {
  require_caught("dma-pci-window-off-by-one", Target::dma, "dma.stateful/dma.reserved", "dma.reserved", 1);
}

TEST_CASE("a crash, a BUG() and a hang in kernel code are verdicts and the campaign finishes", "[kernel][planted]") {
  ::setenv("IOVET_KERNEL_HANG_MS", "200", 1);  // before the trees load
  const std::pair<const char*, const char*> faults[] = {
      {"iova-crash", "dma.crash"}, {"iova-bug", "dma.bug"}, {"iova-hang", "dma.hang"}};
  for (const auto& [patch, rule] : faults) {
    INFO(patch);
    register_kernel_tree(kerneltest::scratch_tree(patch, {patch}));
    CampaignOptions opt;
    opt.seed = 1;
    opt.runs = 150;
    opt.variant = kKernelTreeVariant;
    int failed = 0;
    for (const Property& p : properties_for(Target::iova)) {
      const PropertyResult r = check_property(p, opt);
      INFO(p.name << ": " << r.message);
      CHECK(r.status != Status::error);  // every property ran to its end
      if (p.rule != rule) continue;
      REQUIRE(r.status == Status::fail);
      REQUIRE(r.minimal_case);
      CHECK(r.minimal_case->ops.size() <= 2);
      CHECK(run_case(*r.minimal_case, {kKernelTreeVariant}).rules().count(rule) == 1);
      ++failed;
    }
    CHECK(failed == 1);
  }
}

TEST_CASE("iovet diff between the clean and a patched tree shows the change as a minimal case", "[kernel][planted]") {
  // Its own scratch copy: ctest runs the test cases of this file in parallel processes.
  register_kernel_tree(kerneltest::scratch_tree("diff-iova-limit-off-by-one", {"iova-limit-off-by-one"}));
  CampaignOptions opt;
  opt.seed = 1;
  opt.runs = 300;
  const std::vector<DiffResult> d = diff_target(Target::iova, "linux-6.1", kKernelTreeVariant, opt);
  REQUIRE(d.size() == 1);
  REQUIRE(d[0].divergence);
  REQUIRE(d[0].minimal);
  CHECK(d[0].minimal->ops.size() <= 2);
  // The two sides of the first diverging op differ in what alloc returned.
  INFO(describe_sides(*d[0].divergence, "linux-6.1", "kernel-tree"));
  CHECK(d[0].divergence->a != d[0].divergence->b);
}
