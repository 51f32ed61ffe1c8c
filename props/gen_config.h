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
// A PCI device's host bridge: 0-2 outbound windows and 1-3 dma-ranges at or below top + 1
// (the top of the DMA window), where allocations happen. The dma-ranges mostly ascend
// disjointly in bus space; sometimes two overlap or, through their offsets, sort by CPU
// address out of bus order (iommu_dma_init_domain() then fails).
rc::Gen<PciHostBridge> pci_host_bridge(u64 granule, u64 top);
rc::Gen<Config> dma_config();

}  // namespace iovet::gen
