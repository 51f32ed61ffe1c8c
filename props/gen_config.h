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
// A device that takes scatterlists above 4 GiB: max_seg_size up to UINT_MAX (whole blocks, see
// block_of), boundary windows from 2 MiB to 4 GiB (PCI's default 0xffffffff often) or none,
// masks of 34 bits and up (sometimes 32, where such lists must fail).
rc::Gen<DeviceParams> wide_device(u64 granule, unsigned ias);
// The level-2 block of a granule's table (2 MiB for 4K, 32 MiB for 16K, 512 MiB for 64K).
u64 block_of(u64 granule);
// A PCI device's host bridge: 0-2 outbound windows and 1-3 dma-ranges at or below top + 1
// (the top of the DMA window), where allocations happen. The dma-ranges mostly ascend
// disjointly in bus space; sometimes two overlap or, through their offsets, sort by CPU
// address out of bus order (iommu_dma_init_domain() then fails).
rc::Gen<PciHostBridge> pci_host_bridge(u64 granule, u64 top);
// A DMA configuration over the given device kind; one device in four is PCI.
using DeviceGen = rc::Gen<DeviceParams> (*)(u64 granule, unsigned ias);
rc::Gen<Config> dma_config(DeviceGen dev = device);

}  // namespace iovet::gen
