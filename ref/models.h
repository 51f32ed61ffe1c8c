// The hand models of the kernel logic: which dma-iommu.c and iova.c each transcribes. The
// variant catalogue (run/variants.h) turns them into `--variant` names.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "spec/config.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/iova_allocator.h"
#include "spec/unit/page_table.h"

namespace iovet {

// init_iova_domain(granule, start_pfn); end_pfn is the 2015 API's dma_32bit_pfn.
using IovaFactory = std::function<std::unique_ptr<IovaAllocator>(u64 granule, u64 start_pfn, u64 end_pfn)>;

struct IovaModel {
  std::string name;
  std::string kernel_source;  // which drivers/iommu/iova.c it models
  IovaFactory make;
};

struct DmaModel {
  std::string name;
  std::string kernel_source;  // which drivers/iommu/dma-iommu.c it models
  std::string summary;
  std::string iova_model;     // the allocator that kernel ran on
  // Builds the DMA layer over a domain backed by the given page table.
  std::function<std::unique_ptr<DmaLayer>(const Config&, std::unique_ptr<PageTable>)> make;
};

std::span<const DmaModel> dma_models();
std::span<const IovaModel> iova_models();
const DmaModel* find_dma_model(std::string_view name);
const IovaModel* find_iova_model(std::string_view name);
// The IOVA domain a DMA layer gets for cfg (iommu_dma_init_domain).
std::unique_ptr<IovaAllocator> iommu_dma_init_domain(const Config& cfg, const IovaFactory& make);

}  // namespace iovet
