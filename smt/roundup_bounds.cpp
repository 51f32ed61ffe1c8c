// The bounds that name_roundups() states instead of roundup_pow_of_two()'s smear (include/
// linux/log2.h, as iovet computes it): they hold exactly for p = roundup_pow_of_two(x). The
// obligations that name a roundup are proved given this one.
#include "smt/bv.h"
#include "smt/obligation.h"

namespace iovet::smt {

std::vector<Obligation> roundup_bounds_obligations() {
  Obligation ob{{"common.log2.roundup_pow_of_two_bounds", "common",
                 "p = roundup_pow_of_two(x) exactly when p = 1 for x <= 1, p = 0 for x > 2^63 (no 64-bit result), "
                 "and otherwise p is a power of two with p/2 < x <= p",
                 "roundup_pow_of_two()", "unsigned long (64)", "", {}},
                [](z3::context& ctx) {
                  const z3::expr x = u64var(ctx, "x"), p = u64var(ctx, "p");
                  return Encoding{{}, is_roundup_pow_of_two(p, x) == (p == roundup_pow_of_two(x)),
                                  {{"x", x}, {"p", p}}, {}, {}};
                }};
  return {ob};
}

}  // namespace iovet::smt
