// The bit helpers of include/linux/bitops.h and log2.h that iova.c uses, at unsigned long
// (64-bit) width.
#pragma once
#include <bit>

#include "spec/types.h"

namespace iovet::kernel {

// fls_long(): 1-based index of the most significant set bit, 0 for 0.
inline unsigned fls_long(u64 x) { return x ? 64u - static_cast<unsigned>(std::countl_zero(x)) : 0u; }

// order_base_2(): ceil(log2(n)), 0 for n <= 1.
inline unsigned order_base_2(u64 n) { return n > 1 ? fls_long(n - 1) : 0u; }

// `x << shift` for an unsigned long with a shift the C code does not bound: shifts of 64 are
// undefined in C; arm64's LSL (register) uses the shift modulo 64, which is what we model.
inline u64 shl_arm64(u64 x, unsigned shift) { return x << (shift & 63u); }

}  // namespace iovet::kernel
