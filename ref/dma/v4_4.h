// `v4.4`: drivers/iommu/dma-iommu.c as first merged (Linux v4.4), over the same 2015 IOVA
// allocator. It is seed-v5 with the review fixed: __iommu_dma_unmap WARNs instead of
// crashing or BUG()ing, map_sg pads each entry to a naturally aligned IOVA, and
// __finalise_sg no longer merges. Since only the in-granule offset is stashed, the
// unchanged restore code puts back the in-granule part of s->offset only (fixed later by "iommu/dma: Restore scatterlist offsets correctly").
#pragma once
#include "ref/dma/seed_v5.h"

namespace iovet {

class V44Dma : public SeedV5Dma {
 public:
  using SeedV5Dma::SeedV5Dma;

 protected:
  void iommu_dma_unmap(u64 dma_addr) override;
  u64 layout_sg(std::vector<Scatterlist>& sg) override;
  int finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr) override;
};

namespace v4_4 {
// map_sg's padding: bytes added after the previous entry so that an entry of aligned length
// s_length starts at a multiple of roundup_pow_of_two(s_length) from the allocation start.
u64 sg_pad_len(u64 iova_len, u64 s_length);
}  // namespace v4_4

}  // namespace iovet
