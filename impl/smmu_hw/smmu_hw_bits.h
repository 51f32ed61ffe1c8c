// Bit fields of SMMUv3 registers and in-memory structures, named by their [hi:lo] positions as
// the architecture (IHI 0070) tables give them.
#pragma once
#include "spec/types.h"

namespace iovet::smmu_hw {

// GENMASK_ULL(hi, lo): bits hi..lo set.
constexpr u64 genmask(unsigned hi, unsigned lo) {
  return (hi == 63 ? ~u64{0} : (u64{1} << (hi + 1)) - 1) & ~((u64{1} << lo) - 1);
}
constexpr u64 bit(unsigned n) { return u64{1} << n; }

// FIELD_GET / FIELD_PREP over a contiguous mask.
constexpr u64 field_get(u64 mask, u64 v) { return (v & mask) >> __builtin_ctzll(mask); }
constexpr u64 field_prep(u64 mask, u64 v) { return (v << __builtin_ctzll(mask)) & mask; }

}  // namespace iovet::smmu_hw
