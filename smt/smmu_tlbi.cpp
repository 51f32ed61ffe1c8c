// How impl/smmu/tlbi_range.h splits an invalidation of [iova, iova + size) into TLBI commands
// (after __arm_smmu_tlb_inv_range): the commands must cover the range exactly, contiguous and
// in order, each command's range being what the SMMU decodes from its TG, SCALE and NUM fields
// (5 bits each for SCALE and NUM). Both loops are proved by induction: the state before the
// loop satisfies an invariant and one iteration keeps it, issuing the next adjacent command;
// with RIL each iteration clears the page count's lowest 5-bit slice, bounding the loop.
#include "smt/bv.h"
#include "smt/obligation.h"
#include "smt/smmu_terms.h"
#include "smt/smmu_witness.h"

namespace iovet::smt {
namespace {

const char* const kWidths = "unsigned long iova, size, granule, page count (64); u32 command fields";
constexpr unsigned kTgShifts[] = {12, 14, 16};

std::string obligation_id(const std::string& claim) { return "impl.smmu." + claim; }

// A counterexample leaves part of an unmapped range without invalidation.
Obligation make(const std::string& claim, const std::string& statement, std::function<Encoding(z3::context&)> f) {
  return {{obligation_id(claim), "impl", statement, "__arm_smmu_tlb_inv_range(), arm_smmu_cmdq_build_cmd() TLBI fields",
           kWidths, "smmu.invalidation", {}},
          std::move(f)};
}

// The range caller's guarantees: page-aligned, non-empty, inside the address space.
std::vector<std::pair<std::string, z3::expr>> range_assumptions(const z3::expr& iova, const z3::expr& size,
                                                                const z3::expr& mask, const std::string& unit) {
  z3::context& ctx = iova.ctx();
  return {{"iova and size are multiples of the " + unit + " (the caller flushes whole leaves)",
           (iova & mask) == u64c(ctx, 0) && (size & mask) == u64c(ctx, 0)},
          {"size > 0 and iova + size does not wrap", size != u64c(ctx, 0) && z3::ule(iova, iova + size)}};
}

// With RIL, leaf, per tg_shift: the loop's invariant `iova + (num_pages << tg_shift) == end`
// holds before it, and one iteration from any state satisfying it issues a command iff pages
// remain, whose decoded range starts at iova and ends inside [iova, end] where the next state
// (which satisfies it again) starts, and clears the page count's lowest 5-bit slice: its
// lowest set bit rises by 5, so the loop ends within ceil((64 - tg_shift) / 5) iterations, at
// end. (Unrolling those 11 iterations into one query timed out even with 2^32 pages at most.)
// With `max_pages_log2`, page counts of 2^max_pages_log2 or more are assumed away. `claim`
// names the obligation in its witness case.
Encoding ril_exact(z3::context& ctx, const std::string& claim, unsigned max_pages_log2) {
  const z3::expr iova = u64var(ctx, "iova"), size = u64var(ctx, "size"), tg = u64var(ctx, "tg_shift");
  const z3::expr cur = u64var(ctx, "loop_iova"), pages = u64var(ctx, "loop_pages"), end = u64var(ctx, "end");
  const z3::expr zero = u64c(ctx, 0), one = u64c(ctx, 1), u31 = u32c(ctx, 31);
  auto assumptions = range_assumptions(iova, size, z3::shl(one, tg) - one, "page");
  assumptions.insert(assumptions.begin(), {"tg_shift is 12, 14 or 16 (the smallest page of the domain)",
                                           tg == u64c(ctx, 12) || tg == u64c(ctx, 14) || tg == u64c(ctx, 16)});
  const auto invariant = [&](const z3::expr& i, const z3::expr& p, const z3::expr& e) {
    return i + z3::shl(p, tg) == e && z3::lshr(z3::shl(p, tg), tg) == p && z3::ule(i, e);
  };
  assumptions.push_back({"(loop_iova, loop_pages) is a loop state: loop_iova + (loop_pages << tg_shift) == end, "
                         "without wrapping",
                         invariant(cur, pages, end)});
  if (max_pages_log2) {
    const z3::expr limit = z3::shl(one, u64c(ctx, max_pages_log2));
    assumptions.push_back({"size >> tg_shift < 2^" + std::to_string(max_pages_log2) +
                               " (fewer pages than SCALE's 5 bits reach; tlbi_range_exact shows the rest)",
                           z3::ult(z3::lshr(size, tg), limit) && z3::ult(pages, limit)});
  }
  std::vector<z3::expr> cases;
  z3::expr goal = ctx.bool_val(true);
  for (unsigned t : kTgShifts) {
    cases.push_back(tg == u64c(ctx, t));
    const SmmuTlbiRilStep s = smmu_tlbi_ril_step(cur, end, pages, t);
    const SmmuTlbiCmd& c = s.cmd;
    // The SMMU's decoding: TG 1/2/3 is a 4K/16K/64K granule.
    const z3::expr last =
        c.addr + smmu_tlbi_range_bytes(c.tg, c.scale, c.num, zero, u32c(ctx, 10) + u32c(ctx, 2) * c.tg);
    const z3::expr slice = z3::shl(u64c(ctx, 32), widen(c.scale)) - one;  // bits below lowest set + 5
    const z3::expr step =
        c.issued == (pages != zero) &&
        z3::implies(c.issued, !c.throws && c.tg != u32c(ctx, 0) && z3::ule(c.tg, u32c(ctx, 3)) &&
                                  z3::ule(c.scale, u31) && z3::ule(c.num, u31) && c.addr == cur &&
                                  z3::ult(c.addr, last) && z3::ule(last, end) && s.next_iova == last &&
                                  invariant(s.next_iova, s.next_pages, end) && (s.next_pages & slice) == zero);
    const z3::expr base = invariant(iova, smmu_tlbi_ril_pages(size, t, true), iova + size);
    goal = goal && z3::implies(tg == u64c(ctx, t), base && step);
  }
  // Replayable: the failing iteration is the first one of an unmap_page of a power-of-two
  // size with 4K pages, at the iova the empty domain allocates it (top-down, size-aligned,
  // under the witness's 48-bit dma_mask).
  const std::vector<z3::expr> realise{
      tg == u64c(ctx, 12),
      cur == iova && pages == z3::lshr(size, tg),
      // Up to 16 TiB (4K pages: 2^32 of them): replay time grows with the buffer, and the
      // smallest failing sizes are that large.
      is_low_mask(size - one) && z3::ule(size, u64c(ctx, u64{1} << 44)),
      iova == u64c(ctx, kSmmuWitnessDmaMask) + one - size,
  };
  auto witness = [id = obligation_id(claim)](const ModelValues& m) {
    return smmu_unmap_case(id,
                           "counterexample to " + id + ": the TLBI commands of the unmap of " + hex(m.at("size")) +
                               " bytes at " + hex(m.at("iova")) + " do not cover it",
                           m.at("size"));
  };
  return Encoding{std::move(assumptions),
                  goal,
                  {{"iova", iova}, {"size", size}, {"tg_shift", tg}, {"loop_iova", cur}, {"loop_pages", pages}, {"end", end}},
                  realise,
                  witness,
                  std::move(cases)};
}

}  // namespace

std::vector<Obligation> smmu_tlbi_obligations() {
  return {
      make("tlbi_range_exact",
           "with RIL, the leaf commands cover [iova, iova + size) exactly: the first at iova, each next where the "
           "previous ends, the last ending at iova + size, each range decoded from TG, SCALE and NUM, and SCALE and "
           "NUM fit their 5-bit fields",
           [](z3::context& ctx) {
             Encoding e = ril_exact(ctx, "tlbi_range_exact", 0);
             // Full two-worker runs, witness included: 1.0 s, 1.2 s with QF_BV, 2.2 s blasting
             // without ctx-simplify.
             e.tactic = Tactic::ctx_simplify;
             return e;
           }),
      make("tlbi_range_exact_below_4g_pages",
           "tlbi_range_exact for ranges of fewer than 2^32 pages",
           [](z3::context& ctx) {
             Encoding e = ril_exact(ctx, "tlbi_range_exact_below_4g_pages", 32);
             // Full two-worker runs: 1.9-2.0 s, 3.2-3.9 s with QF_BV, 4.4-5.8 s with ctx-simplify.
             e.tactic = Tactic::blast;
             return e;
           }),
      make("tlbi_granule_exact",
           "without RIL, from any granule-aligned position x in [iova, iova + size], the loop issues a command iff "
           "x < iova + size, covering [x, x + granule) without wrapping and going on at x + granule <= iova + size: "
           "by induction from iova, one command per granule, covering the range exactly and in order",
           [](z3::context& ctx) {
             const z3::expr iova = u64var(ctx, "iova"), size = u64var(ctx, "size"), gm = u64var(ctx, "granule_mask"),
                            x = u64var(ctx, "x");
             const z3::expr zero = u64c(ctx, 0), granule = gm + u64c(ctx, 1), end = iova + size;
             auto assumptions = range_assumptions(iova, size, gm, "granule");
             assumptions.insert(assumptions.begin(),
                                {"granule is a power of two below 2^64 (a leaf size of the page table)",
                                 is_low_mask(gm) && gm != u64c(ctx, ~u64{0})});
             assumptions.push_back({"x is a loop position: granule-aligned, iova <= x <= iova + size",
                                    (x & gm) == zero && z3::ule(iova, x) && z3::ule(x, end)});
             const SmmuTlbiGranuleStep s = smmu_tlbi_granule_step(x, end, granule);
             const z3::expr bytes = smmu_tlbi_range_bytes(u32c(ctx, 0), u32c(ctx, 0), u32c(ctx, 0), granule,
                                                          u32c(ctx, 0));
             const z3::expr goal = s.issued == z3::ult(x, end) &&
                                   z3::implies(s.issued, !s.breaks && s.next == x + bytes && z3::ule(s.next, end));
             return Encoding{std::move(assumptions), goal,
                             {{"iova", iova}, {"size", size}, {"granule_mask", gm}, {"x", x}}, {}, {}};
           }),
  };
}

}  // namespace iovet::smt
