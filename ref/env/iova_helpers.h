// The inline helpers of include/linux/iova.h, at the C types the kernel uses.
#pragma once
#include "spec/types.h"

namespace iovet::kernel {

inline unsigned iova_shift(u64 granule) { return ilog2(granule); }
inline u64 iova_mask(u64 granule) { return granule - 1; }
// iova_offset(): the offset of an address inside its granule.
inline u64 iova_offset(u64 granule, u64 iova) { return iova & iova_mask(granule); }
// iova_align(): ALIGN(size, granule); wraps like the kernel's size_t arithmetic.
inline u64 iova_align(u64 granule, u64 size) { return (size + granule - 1) & ~iova_mask(granule); }
inline u64 iova_pfn(u64 granule, u64 iova) { return iova >> iova_shift(granule); }

}  // namespace iovet::kernel
