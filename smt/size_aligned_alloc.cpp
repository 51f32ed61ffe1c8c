// The alignment iommu_dma's map_sg padding relies on: a size-aligned allocation of n pfns
// starts at a multiple of roundup_pow_of_two(n) pfns, so (both being powers of two) it either
// fits in one seg_boundary_mask window or starts on a boundary.
#include "smt/bv.h"
#include "smt/named_roundup.h"
#include "smt/obligation.h"

namespace iovet::smt {
namespace {

// The granules the map_sg obligations assume too: 512 bytes to 1 GiB (init_iova_domain()
// takes no granule above PAGE_SIZE).
constexpr unsigned kMinShift = 9, kMaxShift = 30;

// One case per range of 8 exponents of the alignment 2^j (j = 0..7, 8..15, ..., 56..63), the
// shift symbolic: 2.1-2.7 s where one case per shift (22) took 4.8-5.4 s, one core.
constexpr unsigned kExponentsPerCase = 8;

std::vector<z3::expr> alignment_cases(const z3::expr& align) {
  z3::context& ctx = align.ctx();
  std::vector<z3::expr> v;
  for (unsigned j = 0; j < 64; j += kExponentsPerCase) {
    const z3::expr from = z3::uge(align, u64c(ctx, u64{1} << j));
    v.push_back(j + kExponentsPerCase < 64 ? from && z3::ult(align, u64c(ctx, u64{1} << (j + kExponentsPerCase)))
                                           : from);
  }
  return v;
}

}  // namespace

std::vector<Obligation> size_aligned_alloc_obligations() {
  Obligation ob{{"common.iova.size_aligned_window", "common",
                 "a block of n pfns at a multiple of roundup_pow_of_two(n) pfns lies inside one boundary window "
                 "when its n << shift bytes are at most mask+1, and starts on a boundary otherwise, for every "
                 "mask 2^k - 1",
                 "alloc_iova(size_aligned = true) / alloc_iova_fast() as iommu_dma_alloc_iova() uses them",
                 "unsigned long (64) pfns, shift and addresses", "", {}},
                [](z3::context& ctx) {
                  const z3::expr n = u64var(ctx, "n"), pfn = u64var(ctx, "pfn");
                  const z3::expr shift = u64var(ctx, "granule_shift"), mask = u64var(ctx, "seg_boundary_mask");
                  const z3::expr one = u64c(ctx, 1);
                  const z3::expr align = roundup_pow_of_two(n);
                  const z3::expr last_pfn = pfn + n - one;
                  const z3::expr first = z3::shl(pfn, shift), bytes = z3::shl(n, shift);
                  const z3::expr fits = z3::ule(bytes - one, mask);
                  Encoding e{
                      {{"n >= 1 and roundup_pow_of_two(n) fits in 64 bits", n != u64c(ctx, 0) && align != u64c(ctx, 0)},
                       {"pfn is a multiple of roundup_pow_of_two(n)", (pfn & (align - one)) == u64c(ctx, 0)},
                       {"the granule is 2^shift, 512 bytes to 1 GiB (9 <= shift <= 30)",
                        z3::uge(shift, u64c(ctx, kMinShift)) && z3::ule(shift, u64c(ctx, kMaxShift))},
                       {"the block's bytes lie inside the 64-bit space",
                        z3::ule(pfn, last_pfn) && z3::lshr(last_pfn, u64c(ctx, 64) - shift) == u64c(ctx, 0)},
                       {"the mask is 2^k - 1 (0 <= k <= 64)", is_low_mask(mask)}},
                      z3::implies(fits, !crosses(first, bytes, mask)) &&
                          z3::implies(!fits, (first & mask) == u64c(ctx, 0)),
                      {{"n", n}, {"pfn", pfn}, {"granule_shift", shift}, {"seg_boundary_mask", mask}},
                      {},
                      {},
                      alignment_cases(align),
                      Tactic::ctx_simplify};  // measured 1.5x faster
                  name_roundups(e, {{"align", "n", n}});
                  return e;
                }};
  return {ob};
}

}  // namespace iovet::smt
