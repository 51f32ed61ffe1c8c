// The DMA-API unit filled by a kernel tree's drivers/iommu/dma-iommu.c, over the same tree's
// iova.c and io-pgtable-arm.c, for a trusted device (platform, or PCI behind the case's host
// bridge) whose domain the tree's own iommu_dma_init_domain() set up (aperture, reserved
// regions, host-bridge windows).
#pragma once
#include <memory>
#include <vector>

#include "kernel/kernel_iova.h"
#include "kernel/kernel_pgtable.h"
#include "spec/config.h"
#include "spec/unit/dma_layer.h"

namespace iovet {

// struct kabi_dma_cfg for a case's device and domain, with the arrays it points into.
struct KabiDmaCfg {
  KabiDmaCfg(const Config& c, const PgtableCfg& pgcfg);
  KabiDmaCfg(const KabiDmaCfg&) = delete;
  KabiDmaCfg& operator=(const KabiDmaCfg&) = delete;
  std::vector<kabi_range> reserved;
  std::vector<kabi_resource_entry> windows, dma_ranges;
  kabi_pci_bridge bridge{};
  kabi_dma_cfg cfg{};
};

// Throws for a failed DMA domain setup (std::invalid_argument) or iommu_dma_init_domain()
// (DmaInitError), naming the tree.
void check_dma_setup(const KernelLibrary& lib, int setup_err, int init_err);

class KernelDma : public DmaLayer {
 public:
  // Throws std::invalid_argument when the domain cannot be set up for cfg (its -errno in the
  // text), DmaInitError when the tree's iommu_dma_init_domain() fails. DMA-FQ when
  // cfg.smmu.lazy: the tree's own flush queue, its timer fired by the case.
  KernelDma(const KernelLibrary& lib, const Config& cfg, const PgtableCfg& pgcfg);
  // The DMA API device of another object (an SMMU instance's default domain), its io-pgtable
  // configured as pgcfg says.
  KernelDma(std::shared_ptr<KernelInstance> inst, const PgtableCfg& pgcfg, unsigned page_shift);

  u64 map_page(u64 page, u64 offset, u64 size, Dir dir) override;
  void unmap_page(u64 handle, u64 size, Dir dir) override;
  int map_sg(std::vector<Scatterlist>& sg, Dir dir) override;
  void unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) override;
  std::optional<CoherentBuffer> alloc(u64 size) override;
  void free(u64 size, const CoherentBuffer& buf) override;
  u64 iommu_unmap(u64 iova, u64 size) override;
  const PageTable& page_table() const override { return pgtable_; }
  const IovaAllocator& iova() const override { return iova_; }
  std::vector<std::string> take_warnings() override { return inst_->take_warnings(); }
  void flush_queue_timeout() override;
  std::vector<IovaRange> flush_queue() const override;

 private:
  std::shared_ptr<KernelInstance> inst_;
  KernelPgtable pgtable_;
  KernelIova iova_;
  unsigned page_shift_;
};

}  // namespace iovet
