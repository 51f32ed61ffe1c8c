// `seed-v5`: drivers/iommu/dma-iommu.c exactly as posted in "[PATCH v5 1/3] iommu: Implement
// common IOMMU ops for DMA mapping" (Robin Murphy, 2015-07-31; shared/seeds/003_*.txt),
// over the 2015 IOVA allocator. Its known faults are kept: __iommu_dma_unmap dereferences a
// NULL iova and BUG()s on a short unmap, map_sg lays segments out back to back, and
// __finalise_sg does its sums in `unsigned int`.
#pragma once
#include <optional>

#include "ref/dma/iommu_dma_env.h"

namespace iovet {

class SeedV5Dma : public IommuDmaEnv {
 public:
  // iommu_dma_init_domain(domain, base, size) takes no device in 2015 (nor in v4.4): a PCI
  // device's host-bridge windows and dma-ranges are not reserved.
  SeedV5Dma(const Config& cfg, std::unique_ptr<PageTable> pgtable, std::unique_ptr<IovaAllocator> iovad);
  u64 map_page(u64 page, u64 offset, u64 size, Dir dir) override;
  void unmap_page(u64 handle, u64 size, Dir dir) override;
  int map_sg(std::vector<Scatterlist>& sg, Dir dir) override;
  void unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) override;
  std::optional<CoherentBuffer> alloc(u64 size) override;
  void free(u64 size, const CoherentBuffer& buf) override;

 protected:
  // __alloc_iova(): size-aligned alloc_iova below dma_limit.
  std::optional<IovaRange> alloc_iova(u64 size, u64 dma_limit);
  // __iommu_dma_unmap(): looks the IOVA up by address and unmaps whatever it covers.
  virtual void iommu_dma_unmap(u64 dma_addr);
  // The map_sg layout pass: stash the caller's fields, align each entry, return iova_len.
  virtual u64 layout_sg(std::vector<Scatterlist>& sg);
  virtual int finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr);
  virtual void invalidate_sg(std::vector<Scatterlist>& sg, int nents);
};

namespace seed_v5 {
// The merge test of __finalise_sg, at the C types the patch uses: may entry s (at dma_addr,
// unaligned offset s_offset, length s_length, aligned length s_dma_len) join the segment
// that started at seg_dma and has seg_len bytes so far?
bool finalise_can_merge(u32 seg_dma, u32 seg_len, u64 dma_addr, u32 s_offset, u32 s_length,
                        u32 s_dma_len, u32 max_len, u64 seg_mask);
}  // namespace seed_v5

}  // namespace iovet
