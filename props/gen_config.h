// Generators for realistic device and domain parameters.
#pragma once
#include <rapidcheck.h>

#include "spec/config.h"

namespace iovet::gen {

rc::Gen<u64> granule();
rc::Gen<u64> page_size();
// 2^k - 1 for k from 12 to 64, biased to the small windows that make boundaries matter.
rc::Gen<u64> seg_boundary_mask();
// One granule to UINT_MAX, 64 KiB and UINT_MAX included.
rc::Gen<u64> max_seg_size(u64 granule);
// 32 to 64 bits; mostly within the IOMMU's input range.
rc::Gen<u64> dma_mask(unsigned ias);
// A device whose boundary window is at least one granule: a smaller one cannot be honoured
// by any IOMMU layout.
rc::Gen<DeviceParams> device(u64 granule, unsigned ias);
rc::Gen<Config> dma_config();

}  // namespace iovet::gen
