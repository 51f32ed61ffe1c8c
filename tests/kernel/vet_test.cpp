// `iovet vet` as a library: planted patches to linux-6.1 are caught with their rule and a
// minimal case that fails on the patched tree only; behaviour-neutral patches show nothing;
// a mailed series applies in order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "case/case_json.h"
#include "case/input_error.h"
#include "props/vet.h"
#include "run/variants.h"
#include "spec/rules.h"
#include "tests/kernel/scratch_tree.h"
#include "tests/mutation_log.h"

using namespace iovet;

namespace {

std::string series_path() { return std::string(IOVET_SOURCE_DIR) + "/tests/kernel/patches/series-iova-limit.mbox"; }

VetResult vet_patch(const std::string& file) {
  VetOptions opt;
  opt.campaign.seed = 1;
  opt.campaign.runs = 200;
  return vet({file}, opt);
}

std::vector<const VetFinding*> with(const VetResult& r, VetVerdict v) {
  std::vector<const VetFinding*> out;
  for (const VetFinding& f : r.findings)
    if (f.verdict == v) out.push_back(&f);
  return out;
}

void require_introduced(const std::string& patch, const std::string& rule) {
  const VetResult r = vet_patch(kerneltest::patch_path(patch));
  const VetFinding* found = nullptr;
  for (const VetFinding* f : with(r, VetVerdict::introduced)) {
    CHECK(f->status == (find_rule(f->rule)->cls == RuleClass::hardening ? Status::warn : Status::fail));
    if (f->rule == rule) found = f;
  }
  test::record_mutant(r.patches.at(0).paths.at(0), patch, found, found ? found->found_after : 0, found ? found->found_s : 0);
  REQUIRE(found);
  INFO(found->name << ": " << found->message);
  REQUIRE(found->minimal);
  INFO(case_to_text(*found->minimal));
  CHECK(found->minimal->variant == std::string(kKernelTreeVariant));
  CHECK(run_case(*found->minimal, {kVetPatched}).rules().count(rule) == 1);
  CHECK(run_case(*found->minimal, {kVetBase}).rules().count(rule) == 0);
}

// A known miss, pinned: logged as a surviving mutant, and this fails once vet catches it (then
// it becomes a require_introduced).
VetResult require_missed(const std::string& patch, const std::string& rule) {
  const VetResult r = vet_patch(kerneltest::patch_path(patch));
  bool found = false;
  for (const VetFinding* f : with(r, VetVerdict::introduced)) found = found || f->rule == rule;
  test::record_mutant(r.patches.at(0).paths.at(0), patch, found, 0, 0);
  CHECK_FALSE(found);
  return r;
}

}  // namespace

TEST_CASE("vet: planted patch iova-limit-off-by-one introduces iova.window", "[kernel][vet]") {
  require_introduced("iova-limit-off-by-one", "iova.window");
}
TEST_CASE("vet: planted patch pgtable-no-rdonly introduces pt.permission", "[kernel][vet]") {
  require_introduced("pgtable-no-rdonly", "pt.permission");
}
TEST_CASE("vet: planted patch dma-merge-across-boundary introduces sg.boundary", "[kernel][vet]") {
  require_introduced("dma-merge-across-boundary", "sg.boundary");
}
TEST_CASE("vet: planted patch dma-boundary-pad-off-by-one introduces dma.spurious_failure", "[kernel][vet]") {
  require_introduced("dma-boundary-pad-off-by-one", "dma.spurious_failure");
}
TEST_CASE("vet: planted patch dma-fq-leak introduces dma.leak although 6.1 has its own", "[kernel][vet]") {
  require_introduced("dma-fq-leak", "dma.leak");
}
TEST_CASE("vet: planted patch iova-crash introduces dma.crash", "[kernel][vet]") {
  require_introduced("iova-crash", "dma.crash");
}
TEST_CASE("vet: dma_info_to_prot() giving DMA_FROM_DEVICE read instead of write introduces pt.permission", "[kernel][vet]") {
  require_introduced("dma-from-device-no-write", "pt.permission");
}
TEST_CASE("vet: __iommu_dma_unmap() sizing without the offset introduces dma.leak", "[kernel][vet]") {
  require_introduced("dma-unmap-drops-offset", "dma.leak");
}

// arm-smmu-v3.c, judged by the smmu target's properties over the real driver, strict and lazy.
TEST_CASE("vet: planted patch smmu-tlbi-no-asid (range TLBI without the domain's ASID) introduces smmu.invalidation", "[kernel][vet][smmu]") {
  require_introduced("smmu-tlbi-no-asid", "smmu.invalidation");
}
TEST_CASE("vet: planted patch smmu-ttl-off-by-one (TTL names the level above the leaf) introduces smmu.invalidation", "[kernel][vet][smmu]") {
  require_introduced("smmu-ttl-off-by-one", "smmu.invalidation");
}
// Since the flush queue's timer fires only when armed (kernel/glue/dma.c), no smmu rule breaks
// within the default budget: the reused IOVA must meet a stale IOTLB entry before a later
// TLBI. vet still shows the patch's effect as a behavioural change: the TLBI_NH_ASID is gone.
TEST_CASE("vet: planted patch smmu-flush-all-atc-only (flush_iotlb_all skips the TLB) is a known miss of smmu.flush_queue, shown as changed", "[kernel][vet][smmu]") {
  const VetResult r = require_missed("smmu-flush-all-atc-only", "smmu.flush_queue");
  bool shown = false;
  for (const VetFinding* f : with(r, VetVerdict::changed)) shown = shown || f->message.find("TLBI_NH_ASID") != std::string::npos;
  CHECK(shown);
}
TEST_CASE("vet: planted patch smmu-tlbi-no-sync (range TLBI without CMD_SYNC) introduces smmu.invalidation", "[kernel][vet][smmu]") {
  require_introduced("smmu-tlbi-no-sync", "smmu.invalidation");
}
TEST_CASE("vet: planted patch smmu-range-one-page-short introduces smmu.invalidation", "[kernel][vet][smmu]") {
  require_introduced("smmu-range-one-page-short", "smmu.invalidation");
}
// Known misses at the default budget, each pinned with its reason.
// The kernel stack does not report the tables io-pgtable-arm.c frees (the impl stack's
// WalkFlushTap has no kernel counterpart), so no walk-cache entry is owed a non-leaf TLBI.
TEST_CASE("vet: planted patch smmu-walk-leaf-only (tlb_flush_walk as a leaf TLBI) is a known miss of smmu.invalidation", "[kernel][vet][smmu]") {
  require_missed("smmu-walk-leaf-only", "smmu.invalidation");
}
// 6.1 writes a domain's CD in finalise, before the master joins the domain's list, so the
// dropped CFGI_CD reached no stream; only live CD updates (SVA, not driven) needed it.
TEST_CASE("vet: planted patch smmu-cd-no-sync (a CD written without CFGI_CD) is a known miss of smmu.config", "[kernel][vet][smmu]") {
  require_missed("smmu-cd-no-sync", "smmu.config");
}
// tg / 4 - 2 is wrong for 16K and 64K only, and the 6.1 driver under a 4K PAGE_SIZE always
// picks the 4K granule (arm_lpae_restrict_pgsizes).
TEST_CASE("vet: planted patch smmu-tg-from-granule (TG wrong for 16K and 64K) is a known miss of smmu.invalidation", "[kernel][vet][smmu]") {
  require_missed("smmu-tg-from-granule", "smmu.invalidation");
}

// Caught at --runs 1500 (diff/smmu.lazy, smmu.flush_queue), not at the default 200: the lazy
// workload seldom hands a flushed IOVA out again before some later CMD_SYNC completes the TLBI.
TEST_CASE("vet: planted patch smmu-inv-asid-no-sync (TLBI_NH_ASID without CMD_SYNC) is a known miss of smmu.flush_queue", "[kernel][vet][smmu]") {
  require_missed("smmu-inv-asid-no-sync", "smmu.flush_queue");
}

TEST_CASE("vet: behaviour-neutral patches show no violation and no change", "[kernel][vet]") {
  const std::pair<const char*, std::vector<Target>> neutral[] = {
      {"neutral-rename-static", {Target::dma, Target::iova, Target::smmu}},      // git format-patch, a static renamed
      {"neutral-comment", {Target::dma, Target::smmu}},                           // a comment in dma-iommu.c
      {"neutral-extract-helper", {Target::dma, Target::pgtable, Target::smmu}},  // io-pgtable-arm.c, a helper extracted
      {"neutral-header-comment", {Target::dma, Target::iova, Target::smmu}},     // include/linux/iova.h, through the link
      {"neutral-smmu-rename", {Target::smmu}},  // arm-smmu-v3.c, the tlb_add_page callback renamed
  };
  for (const auto& [patch, targets] : neutral) {
    INFO(patch);
    const VetResult r = vet_patch(kerneltest::patch_path(patch));
    CHECK(r.targets == targets);
    const bool clean = std::all_of(r.findings.begin(), r.findings.end(), [](const VetFinding& f) {
      return f.verdict == VetVerdict::unchanged && f.status == Status::pass;
    });
    test::record_neutral(r.patches.at(0).paths.at(0), patch, clean);
    for (const VetFinding& f : r.findings) {
      INFO(f.name << ": " << f.message);
      CHECK(f.verdict == VetVerdict::unchanged);
      CHECK(f.status == Status::pass);
    }
  }
  // The header was patched in the scratch tree only.
  std::ifstream header(kerneltest::linux_6_1().root + "/include/linux/iova.h");
  const std::string text{std::istreambuf_iterator<char>(header), {}};
  CHECK(text.find("static inline size_t iova_align(") != std::string::npos);
  CHECK(text.find("whole granules") == std::string::npos);
}

TEST_CASE("vet: a mailed series applies in order, the cover letter skipped, each patch named by its subject", "[kernel][vet]") {
  const VetResult r = vet_patch(series_path());
  REQUIRE(r.patches.size() == 2);
  CHECK(r.patches[0].name == "iommu/iova: Drop the underscores of alloc_and_insert_iova_range()");
  CHECK(r.patches[1].name == "iommu/iova: Search up to the limit");
  bool window = false;
  for (const VetFinding* f : with(r, VetVerdict::introduced)) window |= f->rule == "iova.window";
  CHECK(window);
}

TEST_CASE("vet: which targets a file affects", "[kernel][vet]") {
  std::string why;
  CHECK(targets_of("drivers/iommu/iova.c", &why) == std::vector<Target>{Target::dma, Target::iova, Target::smmu});
  CHECK(targets_of("drivers/iommu/io-pgtable.c", &why) == std::vector<Target>{Target::dma, Target::pgtable, Target::smmu});
  CHECK(targets_of("drivers/iommu/dma-iommu.c", &why) == std::vector<Target>{Target::dma, Target::smmu});
  CHECK(targets_of("drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c", &why) == std::vector<Target>{Target::smmu});
  CHECK(targets_of("drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c", &why).empty());
  CHECK(targets_of("drivers/iommu/intel/iommu.c", &why).empty());
  CHECK(why == "iovet does not compile it");
}

TEST_CASE("vet: a patch that does not apply names the patch and the failed hunk", "[kernel][vet]") {
  // The series' second patch needs the first one's rename.
  std::vector<Patch> series = read_patches(series_path());
  REQUIRE(series.size() == 2);
  try {
    patched_tree(kerneltest::linux_6_1(), {series[1]});
    FAIL("applied");
  } catch (const InputError& e) {
    CHECK(e.pointer == "iommu/iova: Search up to the limit");
    CHECK(e.problem.find("Hunk #1 FAILED") != std::string::npos);
    CHECK(e.problem.find("limit_pfn + 2") != std::string::npos);  // the rejected hunk
  }
}

TEST_CASE("vet: iommu_dma_unmap_page() without its WARN_ON is a behaviour change, no violation", "[kernel][vet]") {
  const VetResult r = vet_patch(kerneltest::patch_path("dma-unmap-page-no-warn"));
  CHECK(with(r, VetVerdict::introduced).empty());
  CHECK(with(r, VetVerdict::fixed).empty());
  const auto changed = with(r, VetVerdict::changed);
  REQUIRE(!changed.empty());
  for (const VetFinding* f : changed) {
    INFO(f->name << ": " << f->message);
    CHECK(f->status == Status::pass);
    CHECK(f->message.find("base: WARN() | patched: (nothing)") != std::string::npos);
    REQUIRE(f->minimal);
    const auto rules = run_case(*f->minimal, {kVetPatched}).rules();
    CHECK(std::vector<std::string>(rules.begin(), rules.end()) == f->minimal->expect_rules);
  }
}
