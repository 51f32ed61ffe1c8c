// The IOMMU core (drivers/iommu/iommu.c) for one domain: iommu_map, iommu_unmap, iommu_map_sg
// and iova_to_phys over a page table, with the domain's geometry.
#pragma once
#include <memory>
#include <vector>

#include "spec/unit/dma_layer.h"
#include "spec/unit/iommu_tlb_ops.h"
#include "spec/unit/page_table.h"

namespace iovet {

class IommuDomain {
 public:
  IommuDomain(std::unique_ptr<PageTable> pgtable, Range aperture);
  u64 pgsize_bitmap() const { return pgsize_bitmap_; }
  u64 min_pagesz() const { return pgsize_bitmap() & -pgsize_bitmap(); }
  Range aperture() const { return aperture_; }  // geometry.aperture_start/end, force_aperture

  // The driver's TLB maintenance (none: a domain nothing caches, as the dma target models).
  void set_tlb_ops(IommuTlbOps* ops) { ops_ = ops; }

  int map(u64 iova, u64 paddr, u64 size, int prot);      // 0 or -errno
  // iommu_unmap(): bytes unmapped, synced. Out of line: map()'s undo path calls it.
  [[gnu::noinline]] u64 unmap(u64 iova, u64 size);
  // iommu_unmap_fast(): leaves go into gather (unless gather->queued), walk flushes to the
  // driver at once.
  u64 unmap_fast(u64 iova, u64 size, IotlbGather* gather);
  void iotlb_sync(IotlbGather* gather);                  // iommu_iotlb_sync()
  // Mapped bytes, or -errno after undoing what was mapped (callers compare with the length).
  long long map_sg(u64 iova, const std::vector<Scatterlist>& sg, int nents, int prot);
  u64 iova_to_phys(u64 iova) const { return pgtable_->iova_to_phys(iova); }
  const PageTable& page_table() const { return *pgtable_; }
  // The io-pgtable's WARN()s since the last call.
  std::vector<std::string> take_pgtable_warnings() { return pgtable_->take_warnings(); }

 private:
  u64 pgsize(u64 iova, u64 paddr, u64 size, u64* count) const;
  // __iommu_map() / __iommu_unmap()'s loops over page sizes, out of line so that the one-page
  // case (dma_map_page's usual one) does not pay for their registers.
  [[gnu::noinline]] int map_pages_loop(u64 iova, u64 paddr, u64 size, int prot);
  [[gnu::noinline]] u64 unmap_pages_loop(u64 iova, u64 size, IotlbGather* gather);
  u64 unmap_pages(u64 iova, u64 pgsize, u64 count, IotlbGather* gather);
  void gather_add_page(IotlbGather* gather, const TlbFlush& leaf);
  std::unique_ptr<PageTable> pgtable_;
  u64 pgsize_bitmap_;  // the page table's, fixed for its life: read once, not per map/unmap
  Range aperture_;
  IommuTlbOps* ops_ = nullptr;
  IotlbGather step_;  // what one unmap_pages call asked for; kept to reuse its storage
};

}  // namespace iovet
