// drivers/iommu/iova.c of Linux v4.3/v4.4, the allocator under the 2015 arm64 IOMMU-backed DMA
// patches (init_iova_domain(iovad, granule, base_pfn, end_pfn)): no rcache, no anchor node, a
// single cached32_node used only when limit_pfn == dma_32bit_pfn.
#pragma once
#include <memory>

#include "spec/unit/iova_allocator.h"

namespace iovet {

// init_iova_domain(iovad, granule, start_pfn, pfn_32bit = end_pfn).
std::unique_ptr<IovaAllocator> make_iova_2015(u64 granule, u64 start_pfn, u64 end_pfn);

}  // namespace iovet
