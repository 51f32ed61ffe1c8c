#include "ref/dma/iommu_dma_env.h"

#include <algorithm>

namespace iovet {

IommuDmaEnv::IommuDmaEnv(const Config& cfg, std::unique_ptr<PageTable> pgtable,
                         std::unique_ptr<IovaAllocator> iovad)
    : cfg_(cfg),
      pages_(cfg.page_size),
      domain_(std::move(pgtable), cfg.aperture()),
      iovad_(std::move(iovad)),
      shift_(cfg.granule_shift()) {
  // iova_reserve_iommu_regions(): the platform's reserved regions are never handed out.
  for (const Range& r : cfg.domain.reserved) iovad_->reserve(r.first >> shift(), r.last >> shift());
}

std::vector<std::string> IommuDmaEnv::take_warnings() {
  std::vector<std::string> w;
  w.swap(warnings_);
  for (std::string& p : domain_.take_pgtable_warnings()) w.push_back("io-pgtable: " + std::move(p));
  return w;
}

std::vector<u64> IommuDmaEnv::alloc_buffer_pages(u32 count, u64 order_mask) {
  std::vector<u64> pages;
  while (count) {
    const u64 usable = order_mask & ((u64{2} << ilog2(count)) - 1);
    if (!usable) {
      free_buffer_pages(pages);
      return {};
    }
    const unsigned order = ilog2(usable);
    const u64 block = pages_.alloc(order);
    for (u64 i = 0; i < (u64{1} << order); ++i) pages.push_back(block + i * pages_.page_size());
    count -= u32{1} << order;
  }
  return pages;
}

// __iommu_dma_free_pages(): the blocks were split, so every page goes back on its own.
void IommuDmaEnv::free_buffer_pages(const std::vector<u64>& pages) {
  for (u64 p : pages) pages_.free(p, 0);
}

std::vector<Scatterlist> IommuDmaEnv::pages_to_sg(const std::vector<u64>& pages, u64 size) const {
  std::vector<Scatterlist> sg;
  for (u64 p : pages) {
    if (!size) break;
    const u64 len = std::min(size, cfg_.page_size);
    sg.push_back({p, 0, static_cast<u32>(len)});
    size -= len;
  }
  return sg;
}

}  // namespace iovet
