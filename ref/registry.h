// Named variants of the kernel logic (`--variant NAME`), each naming the source it models.
#pragma once
#include <functional>
#include <memory>
#include <deque>
#include <string>

#include "spec/config.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/iova_allocator.h"
#include "spec/unit/page_table.h"

namespace iovet {

struct IovaVariant {
  std::string name;
  std::string kernel_source;  // which drivers/iommu/iova.c it models
  // init_iova_domain(granule, start_pfn); end_pfn is the 2015 API's dma_32bit_pfn.
  std::function<std::unique_ptr<IovaAllocator>(u64 granule, u64 start_pfn, u64 end_pfn)> make;
};

struct DmaVariant {
  std::string name;
  std::string kernel_source;  // which drivers/iommu/dma-iommu.c it models
  std::string summary;
  std::string iova_variant;   // the allocator that kernel ran on
  // Builds the DMA layer over a domain backed by the given page table.
  std::function<std::unique_ptr<DmaLayer>(const Config&, std::unique_ptr<PageTable>)> make;
};

const std::deque<DmaVariant>& dma_variants();
const std::deque<IovaVariant>& iova_variants();
const DmaVariant* find_dma_variant(std::string_view name);
// The IOVA domain a DMA layer gets for cfg (iommu_dma_init_domain).
std::unique_ptr<IovaAllocator> iommu_dma_init_domain(const Config& cfg, const IovaVariant& iv);
// IOVA allocators are looked up by the DMA variant name too (seed-v5 -> the 2015 allocator).
const IovaVariant* find_iova_variant(std::string_view name);

}  // namespace iovet

namespace iovet {
// Tests add planted-fault variants (deliberately wrong implementations) this way.
void register_dma_variant(DmaVariant v);
void register_iova_variant(IovaVariant v);
}  // namespace iovet
