// smt's encodings against the compiled tree's own functions (smt/tree_check.h): linux-6.1
// agrees with every encoding it has a function for, and a planted patch to a scratch copy is a
// disagreement naming the input and both values.
#include <catch2/catch.hpp>

#include <algorithm>

#include "smt/obligation.h"
#include "smt/tree_check.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;

namespace {

std::vector<std::string> covered_ids() {
  std::vector<std::string> ids;
  for (const smt::Obligation& ob : smt::catalog())
    if (smt::tree_covers(ob.info.variant)) ids.push_back(ob.info.id);
  return ids;
}

}  // namespace

TEST_CASE("every obligation a kernel tree covers has a tree check or says why not", "[kernel][tree_check]") {
  std::vector<std::string> covered = covered_ids(), listed = smt::tree_check_ids();
  std::sort(covered.begin(), covered.end());
  std::sort(listed.begin(), listed.end());
  CHECK(covered == listed);
  CHECK(!smt::tree_covers("seed-v5"));
  CHECK(!smt::tree_covers("v4.4"));
}

TEST_CASE("linux-6.1 agrees with every encoding it has a function for", "[kernel][tree_check]") {
  const auto res = smt::check_against_tree(kerneltest::linux_6_1(), covered_ids(), {1, 300});
  int checked = 0;
  for (const auto& [id, a] : res) {
    INFO(id << ": " << a.against << " " << a.note << " " << a.disagreement);
    if (!a.checked()) {
      CHECK(!a.note.empty());
      CHECK(a.inputs == 0);
      continue;
    }
    ++checked;
    CHECK(a.inputs == 300);
    CHECK(a.agrees());
    CHECK(a.disagreement.empty());
  }
  // iova_offset/iova_align (5), alloc_iova (1), iommu_dma_map_sg (1), __finalise_sg (5),
  // iommu_dma_map_page (1), ARM_LPAE_LVL_IDX (2), arm_lpae_map_pages (1), arm-smmu-v3.c's
  // queue helpers (3) and __arm_smmu_tlb_inv_range (3).
  CHECK(checked == 22);
  CHECK(res.at("impl.smmu.queue_consumed").against.find("arm-smmu-v3.c:queue_full") != std::string::npos);
  CHECK(res.at("mainline.finalise.merge_within_boundary").against == "drivers/iommu/dma-iommu.c:__finalise_sg");
  // 6.1 concatenates stage-2 tables where impl does not; its geometry is still one the
  // encodings cover, and the difference is shown, not hidden.
  const smt::TreeAgreement& idx = res.at("impl.lpae.index_partition");
  CHECK(idx.version_differences > 0);
  CHECK(idx.version_difference.find("the tree builds start level") != std::string::npos);
}

TEST_CASE("tree checks are deterministic per seed", "[kernel][tree_check]") {
  const std::vector<std::string> ids{"common.granule.align_bounds", "impl.lpae.index_partition"};
  const auto a = smt::check_against_tree(kerneltest::linux_6_1(), ids, {7, 100});
  const auto b = smt::check_against_tree(kerneltest::linux_6_1(), ids, {7, 100});
  for (const std::string& id : ids) {
    CHECK(a.at(id).agree == b.at(id).agree);
    CHECK(a.at(id).version_difference == b.at(id).version_difference);
  }
}

TEST_CASE("planted patch: __finalise_sg() merging across a boundary disagrees with the encoding", "[kernel][tree_check][planted]") {
  const KernelTree tree = open_kernel_tree(kerneltest::scratch_tree("tree-check-merge-across-boundary", {"dma-merge-across-boundary"}));
  const auto res = smt::check_against_tree(tree, {"mainline.finalise.merge_within_boundary", "mainline.map_sg.slot_within_boundary"}, {1, 1000});
  const smt::TreeAgreement& f = res.at("mainline.finalise.merge_within_boundary");
  INFO(f.disagreement);
  CHECK(f.checked());
  CHECK(!f.agrees());
  CHECK(f.agree < f.inputs);
  // The input, then both values.
  CHECK(f.disagreement.find("seg_boundary_mask 0x") != std::string::npos);
  CHECK(f.disagreement.find("entry 1 offset 0x") != std::string::npos);
  CHECK(f.disagreement.find(": encoding 0x") != std::string::npos);
  CHECK(f.disagreement.find(", tree 0x") != std::string::npos);
  // The layout before __finalise_sg() is untouched by the patch.
  CHECK(res.at("mainline.map_sg.slot_within_boundary").agrees());
}

TEST_CASE("planted patch: alloc_iova() one pfn past its limit disagrees with the size-aligned encoding", "[kernel][tree_check][planted]") {
  const KernelTree tree = open_kernel_tree(kerneltest::scratch_tree("tree-check-iova-limit-off-by-one", {"iova-limit-off-by-one"}));
  const auto res = smt::check_against_tree(tree, {"common.iova.size_aligned_window", "common.granule.align_bounds"}, {1, 1000});
  const smt::TreeAgreement& a = res.at("common.iova.size_aligned_window");
  INFO(a.disagreement);
  CHECK(!a.agrees());
  CHECK(a.disagreement.find("limit_pfn 0x") != std::string::npos);
  CHECK(res.at("common.granule.align_bounds").agrees());
}

TEST_CASE("planted patch: __arm_smmu_tlb_inv_range() one page short disagrees with the TLBI plan", "[kernel][tree_check][planted]") {
  const KernelTree tree = open_kernel_tree(kerneltest::scratch_tree("tree-check-smmu-range-one-page-short", {"smmu-range-one-page-short"}));
  const auto res = smt::check_against_tree(tree, {"impl.smmu.tlbi_granule_exact", "impl.smmu.queue_consumed"}, {1, 200});
  const smt::TreeAgreement& a = res.at("impl.smmu.tlbi_granule_exact");
  INFO(a.disagreement);
  CHECK(!a.agrees());
  CHECK(a.disagreement.find("iova 0x") != std::string::npos);
  CHECK(res.at("impl.smmu.queue_consumed").agrees());
}
