// Current mainline drivers/iommu/iova.c behind IovaAllocator: the anchored rbtree with
// cached_node/cached32_node, max32_alloc_size and the retry walk, and the per-CPU rcache
// (kIovaCpus CPUs, the current one set by set_cpu()) with its shared depot.
#pragma once
#include <memory>

#include "spec/unit/iova_allocator.h"

namespace iovet {

// init_iova_domain(granule, start_pfn) + iova_domain_init_rcaches(); end_pfn is unused.
std::unique_ptr<IovaAllocator> make_iova_mainline(u64 granule, u64 start_pfn, u64 end_pfn);

}  // namespace iovet
