// The SMMUv3 command/event queue index arithmetic (impl/smmu/queue.h, after arm-smmu-v3.c's
// queue_full, queue_empty, queue_has_space, queue_consumed, queue_inc_prod_n) against the
// counter it encodes: the wrap bit and index together are one (shift+1)-bit counter, and what
// lies between prod and cons is their difference modulo 2^(shift+1). Queue sizes 2^1 .. 2^19
// (IDR1.CMDQS/EVTQS are at most 19), split into four cases of up to five shifts; bits above
// the wrap bit and the overflow flag are left free.
#include <algorithm>

#include "smt/bv.h"
#include "smt/obligation.h"
#include "smt/smmu_terms.h"

namespace iovet::smt {
namespace {

constexpr unsigned kMaxShift = 19, kShiftsPerCase = 5;
const char* const kWidths = "u32 PROD/CONS values and n (32), queue of 2^shift entries";

struct Queue {
  z3::context& ctx;
  z3::expr shift = u32var(ctx, "shift");
  z3::expr entries() const { return z3::shl(u32c(ctx, 1), shift); }
  z3::expr counter_mask() const { return z3::shl(u32c(ctx, 2), shift) - u32c(ctx, 1); }
  // The (wrap, idx) counter, modulo 2^(shift+1).
  z3::expr counter(const z3::expr& p) const { return p & counter_mask(); }
  z3::expr distance(const z3::expr& from, const z3::expr& to) const { return (counter(to) - counter(from)) & counter_mask(); }
};

Encoding split(const Queue& q, std::vector<std::pair<std::string, z3::expr>> assumptions, const z3::expr& goal,
               std::vector<std::pair<std::string, z3::expr>> vars) {
  // Ranges of shifts rather than one case per shift, with ctx-simplify: 1.1 s where 19 cases
  // took 2.2-2.6 s and one query 0.7-3 s (queue_occupancy, one core).
  const auto within = [&](unsigned lo, unsigned hi) {
    return z3::ule(u32c(q.ctx, lo), q.shift) && z3::ule(q.shift, u32c(q.ctx, hi));
  };
  std::vector<z3::expr> cases;
  for (unsigned k = 1; k <= kMaxShift; k += kShiftsPerCase)
    cases.push_back(within(k, std::min(k + kShiftsPerCase - 1, kMaxShift)));
  assumptions.insert(assumptions.begin(), {"1 <= shift <= 19 (queues of 2 to 2^19 entries)", within(1, kMaxShift)});
  vars.emplace_back("shift", q.shift);
  return Encoding{std::move(assumptions), goal, std::move(vars), {}, {}, std::move(cases), Tactic::ctx_simplify};
}

Obligation make(const std::string& claim, const std::string& statement, const std::string& covers,
                std::function<Encoding(z3::context&)> f) {
  return {{"impl.smmu." + claim, "impl", statement, covers, kWidths, "", {}}, std::move(f)};
}

}  // namespace

std::vector<Obligation> smmu_queue_obligations() {
  return {
      make("queue_occupancy",
           "with cons at most 2^shift entries behind prod, full <=> occupancy == 2^shift, empty <=> occupancy == 0 "
           "and has_space(n) <=> 2^shift - occupancy >= n, occupancy the (wrap, idx) distance modulo 2^(shift+1)",
           "queue_full(), queue_empty(), queue_has_space()",
           [](z3::context& ctx) {
             const Queue q{ctx};
             const z3::expr prod = u32var(ctx, "prod"), cons = u32var(ctx, "cons"), n = u32var(ctx, "n");
             const z3::expr occ = q.distance(cons, prod);
             return split(q, {{"reachable: occupancy <= 2^shift", z3::ule(occ, q.entries())}},
                          smmu_queue_full(q.shift, prod, cons) == (occ == q.entries()) &&
                              smmu_queue_empty(q.shift, prod, cons) == (occ == u32c(ctx, 0)) &&
                              smmu_queue_has_space(q.shift, prod, cons, n) == z3::uge(q.entries() - occ, n),
                          {{"prod", prod}, {"cons", cons}, {"n", n}});
           }),
      make("queue_inc_prod",
           "inc_prod_n(prod, n) keeps prod's overflow flag, advances the (wrap, idx) counter by n modulo "
           "2^(shift+1) and sets no other bit",
           "queue_inc_prod_n()",
           [](z3::context& ctx) {
             const Queue q{ctx};
             const z3::expr prod = u32var(ctx, "prod"), n = u32var(ctx, "n");
             const z3::expr r = smmu_queue_inc_prod_n(q.shift, prod, n);
             const z3::expr kept = smmu_q_ovf(r) == smmu_q_ovf(prod) &&
                                   q.counter(r) == ((q.counter(prod) + n) & q.counter_mask()) &&
                                   (r & ~(u32c(ctx, u32{1} << 31) | q.counter_mask())) == u32c(ctx, 0);
             return split(q, {{"n <= 2^shift (callers add at most a queue's worth)", z3::ule(n, q.entries())}}, kept,
                          {{"prod", prod}, {"n", n}});
           }),
      make("queue_consumed",
           "consumed(cons, p) <=> the entry written at p is behind cons: (cons - p) modulo 2^(shift+1) is in "
           "[1, 2^shift]; this holds for every pair, so no reachability assumption is needed",
           "queue_consumed()",
           [](z3::context& ctx) {
             const Queue q{ctx};
             const z3::expr cons = u32var(ctx, "cons"), p = u32var(ctx, "prod_of_entry");
             const z3::expr d = q.distance(p, cons);
             return split(q, {},
                          smmu_queue_consumed(q.shift, cons, p) ==
                              (z3::ule(u32c(ctx, 1), d) && z3::ule(d, q.entries())),
                          {{"cons", cons}, {"prod_of_entry", p}});
           }),
  };
}

}  // namespace iovet::smt
