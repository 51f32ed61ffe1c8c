#include "ref/env/iommu_domain.h"

#include <bit>

namespace iovet {

IommuDomain::IommuDomain(std::unique_ptr<PageTable> pgtable, Range aperture)
    : pgtable_(std::move(pgtable)), pgsize_bitmap_(pgtable_->cfg().pgsize_bitmap), aperture_(aperture) {}

static u64 genmask(unsigned hi) { return hi >= 63 ? ~u64{0} : (u64{2} << hi) - 1; }

// iommu_pgsize(): the biggest supported page size that fits the alignment of iova and paddr
// and the size, and how many of them to map before a bigger page size becomes possible.
u64 IommuDomain::pgsize(u64 iova, u64 paddr, u64 size, u64* count) const {
  const u64 addr_merge = iova | paddr;
  u64 pgsizes = pgsize_bitmap() & genmask(ilog2(size));
  if (addr_merge) pgsizes &= genmask(static_cast<unsigned>(std::countr_zero(addr_merge)));
  const unsigned idx = ilog2(pgsizes);  // callers guarantee min_pagesz alignment
  const u64 pg = u64{1} << idx;
  const u64 bigger = pgsize_bitmap() & ~genmask(idx);
  if (bigger) {
    const u64 next = bigger & -bigger;
    if (!((iova ^ paddr) & (next - 1))) {
      const u64 offset = next - (addr_merge & (next - 1));
      if (offset + next <= size) size = offset;
    }
  }
  *count = size >> idx;
  return pg;
}

// __iommu_map(): split into page sizes; undo everything on failure.
int IommuDomain::map(u64 iova, u64 paddr, u64 size, int prot) {
  if ((iova | paddr | size) & (min_pagesz() - 1)) return -err::einval;
  if (size == min_pagesz()) {  // the loop below, run once (iommu_pgsize picks this page)
    u64 mapped = 0;
    const int ret = pgtable_->map_pages(iova, paddr, size, 1, prot, &mapped);
    if (ret && mapped) unmap(iova, mapped);
    return ret;
  }
  return map_pages_loop(iova, paddr, size, prot);
}

int IommuDomain::map_pages_loop(u64 iova, u64 paddr, u64 size, int prot) {
  const u64 orig_iova = iova, orig_size = size;
  int ret = 0;
  while (size) {
    u64 count = 0, mapped = 0;
    const u64 pg = pgsize(iova, paddr, size, &count);
    ret = pgtable_->map_pages(iova, paddr, pg, count, prot, &mapped);
    size -= mapped;
    if (ret) break;
    iova += mapped;
    paddr += mapped;
  }
  if (ret) unmap(orig_iova, orig_size - size);
  return ret;
}

// __iommu_unmap(): stops at the first hole; a misaligned request unmaps nothing.
u64 IommuDomain::unmap_fast(u64 iova, u64 size, IotlbGather* gather) {
  if ((iova | size) & (min_pagesz() - 1)) return 0;
  if (size == min_pagesz()) return unmap_pages(iova, size, 1, gather);  // the loop, run once
  return unmap_pages_loop(iova, size, gather);
}

u64 IommuDomain::unmap_pages_loop(u64 iova, u64 size, IotlbGather* gather) {
  u64 unmapped = 0;
  while (unmapped < size) {
    u64 count = 0;
    const u64 pg = pgsize(iova, iova, size - unmapped, &count);
    const u64 done = unmap_pages(iova, pg, count, gather);
    if (!done) break;
    iova += done;
    unmapped += done;
  }
  return unmapped;
}

// One ops->unmap_pages() call: walk flushes go to the driver at once, leaves into gather.
u64 IommuDomain::unmap_pages(u64 iova, u64 pgsize, u64 count, IotlbGather* gather) {
  step_.flushes.clear();
  step_.queued = gather->queued;
  const u64 done = pgtable_->unmap_pages(iova, pgsize, count, &step_);
  for (const TlbFlush& f : step_.flushes) {
    if (f.walk) {
      if (ops_) ops_->tlb_flush_walk(f.iova, f.size, f.granule);  // io_pgtable_tlb_flush_walk
    } else if (!gather->queued) {
      gather_add_page(gather, f);  // io_pgtable_tlb_add_page
    }
  }
  return done;
}

// iommu_iotlb_gather_add_page(): a leaf of another size, or one not adjacent to the range,
// syncs what was gathered first, so one range with one page size reaches the driver.
void IommuDomain::gather_add_page(IotlbGather* gather, const TlbFlush& leaf) {
  // iommu_iotlb_gather_is_disjoint(): an empty gather (pgsize 0) is disjoint from nothing.
  const bool disjoint = gather->pgsize && (leaf.iova + leaf.size < gather->start || leaf.iova > gather->end + 1);
  if ((gather->pgsize && gather->pgsize != leaf.size) || disjoint) iotlb_sync(gather);
  gather->add(leaf);
}

void IommuDomain::iotlb_sync(IotlbGather* gather) {
  if (ops_ && gather->pgsize) ops_->iotlb_sync(*gather);
  // iommu_iotlb_gather_init(), keeping the flush list's storage for the next unmap.
  gather->start = IotlbGather{}.start;
  gather->end = 0;
  gather->pgsize = 0;
  gather->flushes.clear();
}

u64 IommuDomain::unmap(u64 iova, u64 size) {
  IotlbGather gather;
  const u64 unmapped = unmap_fast(iova, size, &gather);
  iotlb_sync(&gather);
  return unmapped;
}

// iommu_map_sg(): maps each entry at sg_phys(s), coalescing physically contiguous entries
// (mainline __iommu_map_sg; the 2015 default_iommu_map_sg maps the same translations).
long long IommuDomain::map_sg(u64 iova, const std::vector<Scatterlist>& sg, int nents, int prot) {
  u64 mapped = 0, start = 0, len = 0;
  int ret = 0;
  for (int i = 0; i <= nents; ++i) {
    const u64 s_phys = i < nents ? sg[i].page + sg[i].offset : 0;
    if (len && (i == nents || s_phys != start + len)) {
      ret = map(iova + mapped, start, len, prot);
      if (ret) break;
      mapped += len;
      len = 0;
    }
    if (i == nents) break;
    if (len) {
      len += sg[i].length;
    } else {
      len = sg[i].length;
      start = s_phys;
    }
  }
  if (ret) {
    unmap(iova, mapped);
    return ret;
  }
  return static_cast<long long>(mapped);
}

}  // namespace iovet
