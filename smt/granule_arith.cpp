// iova_offset() and iova_align() (include/linux/iova.h) over every power-of-two granule that
// an unsigned long holds: alignment, bounds, idempotence, and exactly when aligning wraps.
#include "smt/bv.h"
#include "smt/iova_terms.h"
#include "smt/obligation.h"

namespace iovet::smt {
namespace {

const char* const kWidths = "unsigned long (64) for the granule, addresses and sizes";

struct Vars {
  z3::expr gm, x, g;  // granule - 1, the argument, the granule
};

Vars vars(z3::context& ctx) {
  const z3::expr gm = u64var(ctx, "granule_mask");
  return {gm, u64var(ctx, "x"), gm + u64c(ctx, 1)};
}

Encoding encoding(const Vars& v, z3::expr goal, std::vector<std::pair<std::string, z3::expr>> extra = {}) {
  z3::context& ctx = v.x.ctx();
  std::vector<std::pair<std::string, z3::expr>> a{
      {"the granule is 2^s with 0 <= s <= 63", is_low_mask(v.gm) && v.gm != u64c(ctx, ~u64{0})}};
  for (auto& e : extra) a.push_back(std::move(e));
  return {std::move(a), std::move(goal), {{"granule_mask", v.gm}, {"x", v.x}}, {}, {}};
}

Obligation make(std::string claim, std::string statement, std::string covers, std::function<Encoding(z3::context&)> f) {
  return {{"common.granule." + claim, "common", std::move(statement), std::move(covers), kWidths, "", {}}, std::move(f)};
}

}  // namespace

std::vector<Obligation> granule_arith_obligations() {
  return {
      make("offset_within_granule",
           "iova_offset(x) is below the granule, at most x, and x - iova_offset(x) is granule-aligned",
           "iova_offset()",
           [](z3::context& ctx) {
             const Vars v = vars(ctx);
             const z3::expr off = iova_offset(v.gm, v.x);
             return encoding(v, z3::ult(off, v.g) && z3::ule(off, v.x) &&
                                    iova_offset(v.gm, v.x - off) == u64c(ctx, 0));
           }),
      make("align_aligned", "iova_align(x) is a multiple of the granule (0 included, when it wraps)", "iova_align()",
           [](z3::context& ctx) {
             const Vars v = vars(ctx);
             return encoding(v, iova_offset(v.gm, iova_align(v.gm, v.x)) == u64c(ctx, 0));
           }),
      make("align_bounds", "when x <= 2^64 - granule, x <= iova_align(x) < x + granule", "iova_align()",
           [](z3::context& ctx) {
             const Vars v = vars(ctx);
             const z3::expr a = iova_align(v.gm, v.x);
             return encoding(v, z3::ule(v.x, a) && z3::ult(a - v.x, v.g),
                             {{"x <= 2^64 - granule", z3::ule(v.x, ~v.gm)}});
           }),
      make("align_wraps_exactly",
           "iova_align(x) < x exactly when x > 2^64 - granule, and then iova_align(x) is 0", "iova_align()",
           [](z3::context& ctx) {
             const Vars v = vars(ctx);
             const z3::expr a = iova_align(v.gm, v.x);
             const z3::expr wraps = z3::ugt(v.x, ~v.gm);
             return encoding(v, z3::ult(a, v.x) == wraps && z3::implies(wraps, a == u64c(ctx, 0)));
           }),
      make("align_idempotent", "iova_align(iova_align(x)) == iova_align(x), and iova_offset(iova_align(x)) == 0",
           "iova_align(), iova_offset()",
           [](z3::context& ctx) {
             const Vars v = vars(ctx);
             const z3::expr a = iova_align(v.gm, v.x);
             return encoding(v, iova_align(v.gm, a) == a && iova_offset(v.gm, a) == u64c(ctx, 0));
           }),
  };
}

}  // namespace iovet::smt
