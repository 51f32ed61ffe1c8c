#include "ref/registry.h"

#include <algorithm>
#include <deque>

#include "ref/dma/mainline.h"
#include "ref/dma/seed_v5.h"
#include "ref/dma/v4_4.h"
#include "ref/iova/iova_2015.h"
#include "ref/iova/iova_mainline.h"

namespace iovet {
namespace {

template <class Dma>
auto dma_factory(std::string iova_variant) {
  return [iova_variant](const Config& cfg, std::unique_ptr<PageTable> pt) -> std::unique_ptr<DmaLayer> {
    return std::make_unique<Dma>(cfg, std::move(pt), iommu_dma_init_domain(cfg, *find_iova_variant(iova_variant)));
  };
}

// deques: registering a planted variant must not move the ones already handed out.
std::deque<IovaVariant>& iova_list() {
  static std::deque<IovaVariant> v = {
      {"mainline", "drivers/iommu/iova.c, current Linux (rbtree allocator, cached nodes, rcache)",
       make_iova_mainline},
      {"2015", "drivers/iommu/iova.c of Linux v4.3/v4.4 (rbtree allocator, cached32_node, no rcache)",
       make_iova_2015},
  };
  return v;
}

std::deque<DmaVariant>& dma_list() {
  static std::deque<DmaVariant> v = {
      {"seed-v5", "[PATCH v5 1/3] iommu: Implement common IOMMU ops for DMA mapping (2015-07-31)",
       "the reviewed patch: NULL iova on double unmap, BUG_ON on short unmap, back-to-back map_sg layout",
       "2015", dma_factory<SeedV5Dma>("2015")},
      {"v4.4", "drivers/iommu/dma-iommu.c of Linux v4.4 (first merged)",
       "WARN on bad unmap, map_sg pads to natural alignment, no segment merging", "2015",
       dma_factory<V44Dma>("2015")},
      {"mainline", "drivers/iommu/dma-iommu.c of current Linux (6.x), strict mode",
       "size-based unmap with WARN, rcache IOVAs clamped to the aperture, boundary padding, merging",
       "mainline", dma_factory<MainlineDma>("mainline")},
  };
  return v;
}

}  // namespace

// iommu_dma_init_domain(): base_pfn is at least 1 and inside the aperture; the 2015 code also
// bounds the domain by base + size - 1 with size from the coherent mask.
std::unique_ptr<IovaAllocator> iommu_dma_init_domain(const Config& cfg, const IovaVariant& iv) {
  const unsigned shift = cfg.granule_shift();
  const Range ap = cfg.aperture();
  const u64 base_pfn = std::max<u64>(1, ap.first >> shift);
  const u64 end_pfn = std::min(cfg.device.coherent_mask() >> shift, ap.last >> shift);
  return iv.make(cfg.granule, base_pfn, end_pfn);
}

const std::deque<DmaVariant>& dma_variants() { return dma_list(); }
const std::deque<IovaVariant>& iova_variants() { return iova_list(); }

const DmaVariant* find_dma_variant(std::string_view name) {
  for (const DmaVariant& v : dma_list())
    if (v.name == name) return &v;
  return nullptr;
}

const IovaVariant* find_iova_variant(std::string_view name) {
  if (const DmaVariant* d = find_dma_variant(name); d && d->iova_variant != name)
    return find_iova_variant(d->iova_variant);
  for (const IovaVariant& v : iova_list())
    if (v.name == name) return &v;
  return nullptr;
}

void register_dma_variant(DmaVariant v) { dma_list().push_back(std::move(v)); }
void register_iova_variant(IovaVariant v) { iova_list().push_back(std::move(v)); }

}  // namespace iovet
