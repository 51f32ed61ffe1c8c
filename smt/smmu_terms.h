// The SMMUv3 driver's queue and TLBI arithmetic as impl/smmu/ writes it (queue.h, after
// arm-smmu-v3.c's Q_IDX ... queue_inc_prod_n; tlbi_range.h, after __arm_smmu_tlb_inv_range) as
// Z3 terms at the C types: u32 PROD/CONS values, u64 addresses and page counts, u32 command
// fields. Shift amounts are terms a case split makes constant, so every query stays shift-based.
#pragma once
#include <vector>

#include <z3++.h>

namespace iovet::smt {

// smmu_queue:: on u32 values; shift (u32) is log2 of the queue's entries.
z3::expr smmu_q_idx(const z3::expr& shift, const z3::expr& p);
z3::expr smmu_q_wrp(const z3::expr& shift, const z3::expr& p);
z3::expr smmu_q_ovf(const z3::expr& p);
z3::expr smmu_queue_full(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons);
z3::expr smmu_queue_empty(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons);
z3::expr smmu_queue_has_space(const z3::expr& shift, const z3::expr& prod, const z3::expr& cons, const z3::expr& n);
z3::expr smmu_queue_consumed(const z3::expr& shift, const z3::expr& cons, const z3::expr& prod_of_entry);
z3::expr smmu_queue_inc_prod_n(const z3::expr& shift, const z3::expr& prod, const z3::expr& n);

// One command of tlbi_range_plan() (TlbiRange's addr, tg, scale, num; ttl, a lookup hint, is
// left out) and whether the loop issues it.
struct SmmuTlbiCmd {
  z3::expr issued;  // the loop runs this iteration: iova < end
  z3::expr throws;  // ...with num_pages == 0 (tlbi_range_plan throws; the kernel would spin)
  z3::expr addr;    // u64
  z3::expr tg, scale, num;  // u32, as TlbiRange holds them
};

// tlbi_range_plan() with RIL: the page count before the loop (size >> tg_shift, one more page
// for a non-leaf count of 1 mod 32), and one loop iteration from (iova, num_pages).
z3::expr smmu_tlbi_ril_pages(const z3::expr& size, unsigned tg_shift, bool leaf);
struct SmmuTlbiRilStep {
  SmmuTlbiCmd cmd;
  z3::expr next_iova, next_pages;
};
SmmuTlbiRilStep smmu_tlbi_ril_step(const z3::expr& iova, const z3::expr& end, const z3::expr& num_pages,
                                   unsigned tg_shift);

// One iteration of tlbi_range_plan()'s loop without RIL, at position x: it issues a command
// for x when x < end, then stops if x + granule wraps, else goes on at next.
struct SmmuTlbiGranuleStep {
  z3::expr issued, breaks, next;
};
SmmuTlbiGranuleStep smmu_tlbi_granule_step(const z3::expr& x, const z3::expr& end, const z3::expr& granule);

// tlbi_range_bytes(): granule when tg is 0, else (num + 1) << (scale + tg_shift); u32 fields and
// tg_shift, u64 granule and result.
z3::expr smmu_tlbi_range_bytes(const z3::expr& tg, const z3::expr& scale, const z3::expr& num,
                               const z3::expr& granule, const z3::expr& tg_shift);

}  // namespace iovet::smt
