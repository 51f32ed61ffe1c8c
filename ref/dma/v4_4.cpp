#include "ref/dma/v4_4.h"

#include "ref/env/iova_helpers.h"

namespace iovet {

using kernel::iova_align;
using kernel::iova_offset;

// __iommu_dma_unmap() of v4.4
void V44Dma::iommu_dma_unmap(u64 dma_addr) {
  const u64 pfn = dma_addr >> shift();
  const auto iova = iovad_->find(pfn);
  if (!iova) {
    warn("__iommu_dma_unmap: WARN_ON(!iova) at " + hex(dma_addr));
    return;
  }
  u64 size = iova->size() << shift();
  size -= domain_.unmap(pfn << shift(), size);
  if (size > 0) warn("__iommu_dma_unmap: WARN_ON(size > 0): " + hex(size) + " bytes left mapped");
  iovad_->free(iova->pfn_lo);
}

u64 v4_4::sg_pad_len(u64 iova_len, u64 s_length) {
  const u64 pad = roundup_pow_of_two(s_length);
  return (pad - iova_len) & (pad - 1);
}

// iommu_dma_map_sg() of v4.4, first loop: only the in-granule offset is stashed.
u64 V44Dma::layout_sg(std::vector<Scatterlist>& sg) {
  u64 iova_len = 0;
  Scatterlist* prev = nullptr;
  for (Scatterlist& s : sg) {
    const u64 s_offset = iova_offset(granule(), s.offset);
    u64 s_length = s.length;
    s.dma_address = s_offset;
    s.dma_length = static_cast<u32>(s_length);
    s.offset -= static_cast<u32>(s_offset);
    s_length = iova_align(granule(), s_length + s_offset);
    s.length = static_cast<u32>(s_length);
    if (prev) {
      const u64 pad_len = v4_4::sg_pad_len(iova_len, s_length);
      prev->length += static_cast<u32>(pad_len);
      iova_len += pad_len;
    }
    iova_len += s_length;
    prev = &s;
  }
  return iova_len;
}

// __finalise_sg() of v4.4: one segment per entry.
int V44Dma::finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr) {
  for (int i = 0; i < nents; ++i) {
    Scatterlist& s = sg[i];
    const u32 s_offset = static_cast<u32>(s.dma_address);
    const u32 s_length = s.dma_length;
    const u32 s_dma_len = s.length;
    s.offset = s_offset;
    s.length = s_length;
    s.dma_address = dma_addr + s_offset;
    dma_addr += s_dma_len;
  }
  return nents;
}

}  // namespace iovet
