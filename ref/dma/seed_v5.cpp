#include "ref/dma/seed_v5.h"

#include "ref/env/iova_helpers.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet {

using kernel::iova_align;
using kernel::iova_offset;

SeedV5Dma::SeedV5Dma(const Config& cfg, std::unique_ptr<PageTable> pgtable,
                     std::unique_ptr<IovaAllocator> iovad)
    : IommuDmaEnv(cfg, std::move(pgtable), std::move(iovad), HostBridge::ignored) {}

std::optional<IovaRange> SeedV5Dma::alloc_iova(u64 size, u64 dma_limit) {
  const u64 length = iova_align(granule(), size) >> shift();
  return iovad_->alloc(length, dma_limit >> shift(), true);
}

// iommu_dma_map_page()
u64 SeedV5Dma::map_page(u64 page, u64 offset, u64 size, Dir dir) {
  const u64 phys = page + offset;
  const u64 iova_off = iova_offset(granule(), phys);
  const u64 len = iova_align(granule(), size + iova_off);
  const auto iova = alloc_iova(len, dev().dma_mask);
  if (!iova) return DMA_MAPPING_ERROR;
  const u64 dma_addr = iova->pfn_lo << shift();
  if (domain_.map(dma_addr, phys - iova_off, len, dir_to_prot(dir, dev().coherent))) {
    iovad_->free(iova->pfn_lo);
    return DMA_MAPPING_ERROR;
  }
  return dma_addr + iova_off;
}

void SeedV5Dma::iommu_dma_unmap(u64 dma_addr) {
  const u64 pfn = dma_addr >> shift();
  const auto iova = iovad_->find(pfn);
  if (!iova)
    throw KernelCrash("__iommu_dma_unmap: find_iova() found no IOVA at " + hex(dma_addr) +
                      " and iova_size(NULL) dereferences it");
  const u64 size = iova->size() << shift();
  if (domain_.unmap(pfn << shift(), size) < size)
    throw KernelBug("__iommu_dma_unmap: BUG_ON(iommu_unmap() < size) for " + hex(size) +
                    " bytes at " + hex(pfn << shift()));
  iovad_->free(iova->pfn_lo);
}

void SeedV5Dma::unmap_page(u64 handle, u64, Dir) { iommu_dma_unmap(handle); }

// iommu_dma_map_sg(), first loop: the original offset goes in dma_address, the length in
// dma_length; each entry is widened to whole granules and laid out back to back.
u64 SeedV5Dma::layout_sg(std::vector<Scatterlist>& sg) {
  u64 iova_len = 0;
  for (Scatterlist& s : sg) {
    const u64 s_offset = iova_offset(granule(), s.offset);
    u64 s_length = s.length;
    s.dma_address = s.offset;
    s.dma_length = static_cast<u32>(s_length);
    s.offset -= static_cast<u32>(s_offset);
    s_length = iova_align(granule(), s_length + s_offset);
    s.length = static_cast<u32>(s_length);
    iova_len += s_length;
  }
  return iova_len;
}

int SeedV5Dma::map_sg(std::vector<Scatterlist>& sg, Dir dir) {
  const int nents = static_cast<int>(sg.size());
  const u64 iova_len = layout_sg(sg);
  const auto iova = alloc_iova(iova_len, dev().dma_mask);
  if (iova) {
    const u64 dma_addr = iova->pfn_lo << shift();
    const long long mapped = domain_.map_sg(dma_addr, sg, nents, dir_to_prot(dir, dev().coherent));
    if (mapped >= 0 && static_cast<u64>(mapped) >= iova_len) return finalise_sg(sg, nents, dma_addr);
    iovad_->free(iova->pfn_lo);
  }
  invalidate_sg(sg, nents);
  return 0;
}

bool seed_v5::finalise_can_merge(u32 seg_dma, u32 seg_len, u64 dma_addr, u32 s_offset, u32 s_length,
                                 u32 s_dma_len, u32 max_len, u64 seg_mask) {
  return seg_len && (u64{static_cast<u32>(seg_dma + seg_len)} == dma_addr + s_offset) &&
         (static_cast<u32>(seg_len + s_dma_len) <= max_len) &&
         ((seg_dma & seg_mask) <= seg_mask - static_cast<u32>(seg_len + s_length));
}

// __finalise_sg(): restore the caller's fields and merge entries that run together.
int SeedV5Dma::finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr) {
  const u64 seg_mask = dev().seg_boundary_mask;
  const u32 max_len = static_cast<u32>(dev().max_seg_size);
  u32 seg_len = 0, seg_dma = 0;
  int count = 1;
  std::size_t seg = 0;
  for (int i = 0; i < nents; ++i) {
    Scatterlist& s = sg[i];
    const u32 s_offset = static_cast<u32>(s.dma_address);
    const u32 s_length = s.dma_length;
    const u32 s_dma_len = s.length;
    s.offset = s_offset;
    s.length = s_length;
    s.dma_address = DMA_MAPPING_ERROR;
    s.dma_length = 0;
    if (seed_v5::finalise_can_merge(seg_dma, seg_len, dma_addr, s_offset, s_length, s_dma_len, max_len,
                                    seg_mask)) {
      sg[seg].dma_length += s_dma_len;
    } else {
      if (seg_len) {
        ++seg;
        ++count;
      }
      sg[seg].dma_length = s_dma_len - s_offset;
      sg[seg].dma_address = dma_addr + s_offset;
      seg_len = s_offset;
      seg_dma = static_cast<u32>(dma_addr + s_offset);
    }
    seg_len += s_length;
    dma_addr += s_dma_len;
  }
  return count;
}

// __invalidate_sg()
void SeedV5Dma::invalidate_sg(std::vector<Scatterlist>& sg, int nents) {
  for (int i = 0; i < nents; ++i) {
    Scatterlist& s = sg[i];
    if (s.dma_address != DMA_MAPPING_ERROR) s.offset = static_cast<u32>(s.dma_address);
    if (s.dma_length) s.length = s.dma_length;
    s.dma_address = DMA_MAPPING_ERROR;
    s.dma_length = 0;
  }
}

// iommu_dma_unmap_sg(): the whole list is one IOVA allocation, found from the first segment.
void SeedV5Dma::unmap_sg(std::vector<Scatterlist>& sg, int, Dir) { iommu_dma_unmap(sg.at(0).dma_address); }

// iommu_dma_alloc(): CPU pages (any order), one IOVA allocation below the coherent mask.
std::optional<CoherentBuffer> SeedV5Dma::alloc(u64 size) {
  const u64 page_size = cfg_.page_size;
  const u32 count = static_cast<u32>((size + page_size - 1) / page_size);
  std::vector<u64> pages = alloc_buffer_pages(count, (u64{1} << 11) - 1);  // orders 0..MAX_ORDER-1
  if (pages.empty()) return std::nullopt;
  const auto iova = alloc_iova(size, dev().coherent_mask());
  if (iova) {
    size = iova_align(granule(), size);
    const u64 dma_addr = iova->pfn_lo << shift();
    const auto sg = pages_to_sg(pages, size);
    const long long mapped =
        domain_.map_sg(dma_addr, sg, static_cast<int>(sg.size()), dir_to_prot(Dir::bidirectional, dev().coherent));
    if (mapped >= 0 && static_cast<u64>(mapped) >= size) return CoherentBuffer{dma_addr, std::move(pages)};
    iovad_->free(iova->pfn_lo);
  }
  free_buffer_pages(pages);
  return std::nullopt;
}

// iommu_dma_free()
void SeedV5Dma::free(u64, const CoherentBuffer& buf) {
  iommu_dma_unmap(buf.handle);
  free_buffer_pages(buf.pages);
}

}  // namespace iovet
