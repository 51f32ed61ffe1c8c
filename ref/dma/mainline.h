// `mainline`: drivers/iommu/dma-iommu.c of current Linux (6.x) for a trusted platform or PCI
// device (no swiotlb bouncing, no P2PDMA; a PCI device's host-bridge windows reserved, and its
// IOVAs tried below 4 GiB first): size-based unmap that WARNs, IOVAs from
// alloc_iova_fast / free_iova_fast (the rcache) clamped to the aperture, map_sg padding to
// the segment boundary, and __finalise_sg's merge rule. Strict mode by default; over a
// driver's TLB ops, strict (iommu_iotlb_sync per unmap) or lazy (DMA-FQ flush queue).
#pragma once
#include <functional>
#include <set>

#include "ref/dma/flush_queue.h"
#include "ref/dma/iommu_dma_env.h"

namespace iovet {

// The IOMMU driver under the domain: its TLB maintenance and, for lazy mode, the flush queue
// iommu_dma_init_fq() sets up over it (a factory, so tests can plant a faulty queue).
struct MainlineDriver {
  IommuTlbOps* tlb_ops = nullptr;
  std::function<std::unique_ptr<FlushQueue>(IommuTlbOps&, IovaAllocator&)> make_fq;
};

// How iommu_dma_alloc_iova() tries a PCI device's IOVAs below 4 GiB first: until one such try
// fails (since v6.5, "iommu: Optimise PCI SAC address trick"), or on every allocation (before,
// as Linux 6.1 does).
enum class PciSac { until_first_failure, every_time };

// The driver under the dma target's domain, which has no IOMMU hardware: none when strict; in
// DMA-FQ mode (smmu.mode lazy) a flush queue over IOTLB maintenance that does nothing (target
// smmu drives a real one).
MainlineDriver dma_target_driver(const Config& cfg);

class MainlineDma : public IommuDmaEnv {
 public:
  MainlineDma(const Config& cfg, std::unique_ptr<PageTable> pgtable, std::unique_ptr<IovaAllocator> iovad,
              const MainlineDriver& driver = {}, PciSac sac = PciSac::until_first_failure);
  u64 map_page(u64 page, u64 offset, u64 size, Dir dir) override;
  void unmap_page(u64 handle, u64 size, Dir dir) override;
  int map_sg(std::vector<Scatterlist>& sg, Dir dir) override;
  void unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) override;
  std::optional<CoherentBuffer> alloc(u64 size) override;
  void free(u64 size, const CoherentBuffer& buf) override;
  void flush_queue_timeout() override;
  std::vector<IovaRange> flush_queue() const override { return fq_ ? fq_->queued_ranges() : std::vector<IovaRange>{}; }

 private:
  u64 alloc_iova(u64 size, u64 dma_limit);
  // iommu_dma_free_iova(): a queued unmap goes through the flush queue.
  void free_iova(u64 iova, u64 size, bool queued = false);
  void iommu_dma_unmap(u64 dma_addr, u64 size);
  int finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr);
  void invalidate_sg(std::vector<Scatterlist>& sg, int nents);

  std::unique_ptr<FlushQueue> fq_;
  // dma_common_pages_remap() areas still mapped, by the cpu address iommu_dma_alloc() returned:
  // __iommu_dma_free() frees pages only through a live one (a stale address finds none).
  std::set<u64> remapped_;
  u64 next_remap_ = u64{0xffffc9} << 40;  // where the vmalloc area starts on arm64
  IotlbGather gather_;  // iommu_dma_unmap()'s on-stack gather, kept to reuse its storage
  // dev->iommu->pci_32bit_workaround: iommu_setup_dma_ops() sets it for a PCI device
  // (iommu.forcedac off); with PciSac::until_first_failure a failed 32-bit try clears it.
  bool pci_32bit_workaround_;
  PciSac sac_;
};

namespace mainline {
// iommu_dma_map_sg(): padding so that the next entry does not straddle a boundary.
u64 sg_pad_len(u64 iova_len, u64 mask);
// Whether map_sg pads before an entry of aligned length s_length.
bool sg_pads(u64 pad_len, u64 s_length);
// __finalise_sg()'s test for concatenating entry s with the current output segment.
bool finalise_can_merge(u32 cur_len, u32 s_iova_off, u64 dma_addr, u64 seg_mask, u32 max_len, u32 s_length);
}  // namespace mainline

}  // namespace iovet
