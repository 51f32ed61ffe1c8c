#include "smt/smmu_terms.h"

#include "smt/bv.h"

namespace iovet::smt {
namespace {

z3::expr bit(const z3::expr& shift) { return z3::shl(u32c(shift.ctx(), 1), shift); }

// std::countr_zero of a u64 as a u32 (64 for 0): the kernel's __ffs where defined.
z3::expr countr_zero(const z3::expr& v) {
  z3::context& ctx = v.ctx();
  z3::expr r = u32c(ctx, 64);
  for (int b = 63; b >= 0; --b) r = z3::ite(v.extract(b, b) == ctx.bv_val(1, 1), u32c(ctx, b), r);
  return r;
}

}  // namespace

z3::expr smmu_q_idx(const z3::expr& shift, const z3::expr& p) { return p & (bit(shift) - u32c(p.ctx(), 1)); }
z3::expr smmu_q_wrp(const z3::expr& shift, const z3::expr& p) { return p & bit(shift); }
z3::expr smmu_q_ovf(const z3::expr& p) { return p & u32c(p.ctx(), u32{1} << 31); }

z3::expr smmu_queue_full(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons) {
  return smmu_q_idx(shift, prod) == smmu_q_idx(shift, cons) && smmu_q_wrp(shift, prod) != smmu_q_wrp(shift, cons);
}

z3::expr smmu_queue_empty(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons) {
  return smmu_q_idx(shift, prod) == smmu_q_idx(shift, cons) && smmu_q_wrp(shift, prod) == smmu_q_wrp(shift, cons);
}

z3::expr smmu_queue_has_space(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons, const z3::expr& n) {
  const z3::expr p = smmu_q_idx(shift, prod), c = smmu_q_idx(shift, cons);
  const z3::expr space = z3::ite(smmu_q_wrp(shift, prod) == smmu_q_wrp(shift, cons), bit(shift) - (p - c), c - p);
  return z3::uge(space, n);
}

z3::expr smmu_queue_consumed(const z3::expr& shift, const z3::expr& cons, const z3::expr& prod_of_entry) {
  const z3::expr same_wrap = smmu_q_wrp(shift, cons) == smmu_q_wrp(shift, prod_of_entry);
  const z3::expr c = smmu_q_idx(shift, cons), p = smmu_q_idx(shift, prod_of_entry);
  return (same_wrap && z3::ugt(c, p)) || (!same_wrap && z3::ule(c, p));
}

z3::expr smmu_queue_inc_prod_n(const z3::expr& shift, const z3::expr& prod, const z3::expr& n) {
  const z3::expr p = (smmu_q_wrp(shift, prod) | smmu_q_idx(shift, prod)) + n;
  return smmu_q_ovf(prod) | smmu_q_wrp(shift, p) | smmu_q_idx(shift, p);
}

z3::expr smmu_tlbi_ril_pages(const z3::expr& size, unsigned tg_shift, bool leaf) {
  z3::context& ctx = size.ctx();
  const z3::expr num_pages = z3::lshr(size, u64c(ctx, tg_shift));
  if (leaf) return num_pages;
  // The non-leaf errata work-around: one more page rather than SCALE = NUM = 0.
  return z3::ite((num_pages & u64c(ctx, 31)) == u64c(ctx, 1), num_pages + u64c(ctx, 1), num_pages);
}

SmmuTlbiRilStep smmu_tlbi_ril_step(const z3::expr& iova, const z3::expr& end, const z3::expr& num_pages,
                                   unsigned tg_shift) {
  z3::context& ctx = iova.ctx();
  const z3::expr issued = z3::ult(iova, end);
  const z3::expr scale = countr_zero(num_pages), scale64 = widen(scale);
  const z3::expr num = z3::lshr(num_pages, scale64) & u64c(ctx, 31);  // CMDQ_TLBI_RANGE_NUM_MAX
  return {{issued, issued && num_pages == u64c(ctx, 0), iova, u32c(ctx, (tg_shift - 10) / 2), scale,
           narrow(num - u64c(ctx, 1))},
          iova + z3::shl(num, scale64 + u64c(ctx, tg_shift)),
          num_pages - z3::shl(num, scale64)};
}

SmmuTlbiGranuleStep smmu_tlbi_granule_step(const z3::expr& x, const z3::expr& end, const z3::expr& granule) {
  const z3::expr next = x + granule;
  return {z3::ult(x, end), z3::ult(next, x), next};
}

z3::expr smmu_tlbi_range_bytes(const z3::expr& tg, const z3::expr& scale, const z3::expr& num,
                               const z3::expr& granule, const z3::expr& tg_shift) {
  z3::context& ctx = tg.ctx();
  return z3::ite(tg == u32c(ctx, 0), granule, z3::shl(widen(num) + u64c(ctx, 1), widen(scale + tg_shift)));
}

}  // namespace iovet::smt
