#include "smt/bv.h"

namespace iovet::smt {

z3::expr u64c(z3::context& ctx, u64 v) { return ctx.bv_val(static_cast<uint64_t>(v), 64); }
z3::expr u32c(z3::context& ctx, u32 v) { return ctx.bv_val(static_cast<unsigned>(v), 32); }
z3::expr u64var(z3::context& ctx, const char* name) { return ctx.bv_const(name, 64); }
z3::expr u32var(z3::context& ctx, const char* name) { return ctx.bv_const(name, 32); }

z3::expr widen(const z3::expr& u32) { return z3::zext(u32, 32); }
z3::expr narrow(const z3::expr& u64) { return u64.extract(31, 0); }

z3::expr is_low_mask(const z3::expr& m) { return (m & (m + u64c(m.ctx(), 1))) == u64c(m.ctx(), 0); }

std::vector<z3::expr> low_mask_cases(const z3::expr& m, unsigned lo, unsigned hi) {
  std::vector<z3::expr> v;
  for (unsigned k = lo; k <= hi; ++k) v.push_back(m == u64c(m.ctx(), k == 64 ? ~u64{0} : (u64{1} << k) - 1));
  return v;
}

z3::expr roundup_pow_of_two(const z3::expr& x) {
  z3::context& ctx = x.ctx();
  z3::expr v = x - u64c(ctx, 1);
  for (unsigned sh : {1u, 2u, 4u, 8u, 16u, 32u}) v = v | z3::lshr(v, u64c(ctx, sh));
  // x <= 1: 1; x > 2^63: the smear is ~0 and the sum wraps to 0.
  return z3::ite(z3::ule(x, u64c(ctx, 1)), u64c(ctx, 1), v + u64c(ctx, 1));
}

z3::expr is_roundup_pow_of_two(const z3::expr& p, const z3::expr& x) {
  z3::context& ctx = x.ctx();
  const z3::expr zero = u64c(ctx, 0), one = u64c(ctx, 1);
  const z3::expr pow2 = p != zero && (p & (p - one)) == zero;
  return z3::ite(z3::ule(x, one), p == one,
                 z3::ite(z3::ugt(x, u64c(ctx, u64{1} << 63)), p == zero,
                         pow2 && z3::ult(z3::lshr(p, one), x) && z3::ule(x, p)));
}

z3::expr crosses(const z3::expr& addr, const z3::expr& len, const z3::expr& mask) {
  return (addr & ~mask) != ((addr + len - u64c(addr.ctx(), 1)) & ~mask);
}

z3::expr crosses_in_aligned_block(const z3::expr& pos, const z3::expr& len, const z3::expr& size,
                                  const z3::expr& mask) {
  // A block no bigger than a window sits inside one; a bigger one starts on a boundary.
  return z3::ugt(roundup_pow_of_two(size) - u64c(size.ctx(), 1), mask) && crosses(pos, len, mask);
}

}  // namespace iovet::smt
