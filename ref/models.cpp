#include "ref/models.h"

#include <algorithm>
#include <vector>

#include "ref/dma/mainline.h"
#include "ref/dma/seed_v5.h"
#include "ref/dma/v4_4.h"
#include "ref/iova/iova_2015.h"
#include "ref/iova/iova_mainline.h"

namespace iovet {
namespace {

template <class Dma>
auto dma_factory(IovaFactory iova) {
  return [iova](const Config& cfg, std::unique_ptr<PageTable> pt) -> std::unique_ptr<DmaLayer> {
    return std::make_unique<Dma>(cfg, std::move(pt), iommu_dma_init_domain(cfg, iova));
  };
}

std::unique_ptr<DmaLayer> make_mainline_dma(const Config& cfg, std::unique_ptr<PageTable> pt) {
  return std::make_unique<MainlineDma>(cfg, std::move(pt), iommu_dma_init_domain(cfg, make_iova_mainline),
                                       dma_target_driver(cfg));
}

const std::vector<IovaModel>& iova_list() {
  static const std::vector<IovaModel> v = {
      {"mainline", "drivers/iommu/iova.c, current Linux (rbtree allocator, cached nodes, rcache)",
       make_iova_mainline},
      {"2015", "drivers/iommu/iova.c of Linux v4.3/v4.4 (rbtree allocator, cached32_node, no rcache)",
       make_iova_2015},
  };
  return v;
}

const std::vector<DmaModel>& dma_list() {
  static const std::vector<DmaModel> v = {
      {"seed-v5", "[PATCH v5 1/3] iommu: Implement common IOMMU ops for DMA mapping (2015-07-31)",
       "the reviewed patch: NULL iova on double unmap, BUG_ON on short unmap, back-to-back map_sg layout",
       "2015", dma_factory<SeedV5Dma>(make_iova_2015)},
      {"v4.4", "drivers/iommu/dma-iommu.c of Linux v4.4 (first merged)",
       "WARN on bad unmap, map_sg pads to natural alignment, no segment merging", "2015",
       dma_factory<V44Dma>(make_iova_2015)},
      {"mainline", "drivers/iommu/dma-iommu.c of current Linux (6.x), strict or DMA-FQ",
       "size-based unmap with WARN, rcache IOVAs clamped to the aperture, boundary padding, merging",
       "mainline", make_mainline_dma},
  };
  return v;
}

}  // namespace

// iommu_dma_init_domain(): base_pfn is at least 1 and inside the aperture; the 2015 code also
// bounds the domain by base + size - 1 with size from the coherent mask.
std::unique_ptr<IovaAllocator> iommu_dma_init_domain(const Config& cfg, const IovaFactory& make) {
  const unsigned shift = cfg.granule_shift();
  const Range ap = cfg.aperture();
  const u64 base_pfn = std::max<u64>(1, ap.first >> shift);
  const u64 end_pfn = std::min(cfg.device.coherent_mask() >> shift, ap.last >> shift);
  return make(cfg.granule, base_pfn, end_pfn);
}

std::span<const DmaModel> dma_models() { return dma_list(); }
std::span<const IovaModel> iova_models() { return iova_list(); }

const DmaModel* find_dma_model(std::string_view name) {
  for (const DmaModel& v : dma_list())
    if (v.name == name) return &v;
  return nullptr;
}

const IovaModel* find_iova_model(std::string_view name) {
  if (const DmaModel* d = find_dma_model(name); d && d->iova_model != name)
    return find_iova_model(d->iova_model);
  for (const IovaModel& v : iova_list())
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace iovet
