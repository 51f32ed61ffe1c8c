// Z3 bit-vector terms at the kernel's C types: 64-bit `unsigned long` / dma_addr_t / size_t
// and 32-bit `unsigned int`, with C's conversions between them. Powers of two appear as their
// masks 2^k - 1 (granule - 1, seg_boundary_mask, dma_mask), constrained by is_low_mask(), so
// queries need no symbolic shift and no multiplication and stay small.
#pragma once
#include <z3++.h>

#include "spec/types.h"

namespace iovet::smt {

z3::expr u64c(z3::context& ctx, u64 v);
z3::expr u32c(z3::context& ctx, u32 v);
z3::expr u64var(z3::context& ctx, const char* name);
z3::expr u32var(z3::context& ctx, const char* name);

// An `unsigned int` promoted to 64 bits (C's usual arithmetic conversions).
z3::expr widen(const z3::expr& u32);
// A 64-bit value stored into an `unsigned int` (truncation).
z3::expr narrow(const z3::expr& u64);

// m is 2^k - 1 for some 0 <= k <= 64 (~0UL included).
z3::expr is_low_mask(const z3::expr& m);
// The case split m = 2^k - 1 for k = lo..hi (k = 64: ~0UL), one equation per k.
std::vector<z3::expr> low_mask_cases(const z3::expr& m, unsigned lo = 0, unsigned hi = 64);
// roundup_pow_of_two(x) as iovet::roundup_pow_of_two computes it: 1 for x <= 1, 0 when the
// result does not fit in 64 bits. Built by smearing the top bit of x - 1 downwards.
z3::expr roundup_pow_of_two(const z3::expr& x);
// p == roundup_pow_of_two(x) stated by bounds instead of the smear: p = 1 for x <= 1, p = 0 for
// x > 2^63, otherwise p is the power of two with p/2 < x <= p. A few comparisons, where the smear
// is a chain of shifted ORs that Z3 bit-blasts and cannot see through; name_roundups() uses it,
// common.log2.roundup_pow_of_two_bounds proves the two agree.
z3::expr is_roundup_pow_of_two(const z3::expr& p, const z3::expr& x);
// Whether [addr, addr + len) (len > 0) contains both j*(mask+1)-1 and j*(mask+1).
z3::expr crosses(const z3::expr& addr, const z3::expr& len, const z3::expr& mask);
// crosses(start + pos, len, mask) for a start aligned to roundup_pow_of_two(size) and
// pos + len <= size, without the start (the fact common.iova.size_aligned_window states:
// such a block fits in one window or starts on a boundary). Keeps the 64-bit start out of
// the layout queries, which Z3 could not decide with it.
z3::expr crosses_in_aligned_block(const z3::expr& pos, const z3::expr& len, const z3::expr& size,
                                  const z3::expr& mask);

}  // namespace iovet::smt
