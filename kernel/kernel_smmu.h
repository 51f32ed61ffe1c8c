// The SMMU stack filled by a kernel tree's drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c and, over
// its default domain, the same tree's dma-iommu.c, iova.c and io-pgtable-arm.c: real kernel code
// down to iovet's simulated SMMUv3 (impl/smmu_hw), which its register accesses reach through
// the shim's MMIO hook and whose walks, command and event queues read the kernel objects'
// memory in the page pool.
#pragma once
#include <map>
#include <memory>
#include <utility>

#include "impl/smmu_hw/smmu_hw.h"
#include "impl/system_memory.h"
#include "kernel/kernel_dma.h"
#include "kernel/library.h"
#include "spec/config.h"
#include "spec/unit/smmu.h"

namespace iovet {

class KernelSmmuStack final : public SmmuStack {
 public:
  // Throws std::invalid_argument when the driver's probe or its default domain fails for
  // this SMMU (its -errno in the text), DmaInitError when iommu_dma_init_domain() does.
  // observe = false leaves take_trace() empty.
  KernelSmmuStack(const KernelLibrary& lib, const Config& cfg, const SmmuHwParams& hw, bool observe);
  ~KernelSmmuStack() override;

  DmaLayer& dma() override { return *dma_; }
  bool lazy() const override { return lazy_; }
  int attach(u32 sid, SmmuDomainKind kind) override;
  DeviceAccessResult access(u32 sid, u64 iova, bool write) override { return hw_.access(sid, iova, write); }
  std::vector<SmmuEvent> take_events() override;
  std::vector<SmmuTrace> take_trace() override { return std::exchange(trace_, {}); }
  StreamView stream_view(u32 sid) const override { return hw_.stream_view(sid); }
  StreamView config_in_use(u32 sid) const override { return hw_.config_in_use(sid); }
  std::vector<IotlbLine> iotlb() const override { return hw_.iotlb(); }
  std::optional<Translation> hw_walk(u64 iova) const override;
  u64 iova_to_phys(u64 iova) const override { return dma_->page_table().iova_to_phys(iova); }
  // arm_smmu_tlb_inv_range_domain() on the default domain (smt/tree_check); its commands
  // show in take_trace().
  void tlb_inv_range(u64 iova, u64 size, u64 granule, bool leaf) {
    inst_->check(inst_->ops().smmu_tlb_inv(inst_->get(), iova, size, granule, leaf));
  }

 private:
  static u64 mmio_read(void* ctx, u64 off, unsigned size);
  static void mmio_write(void* ctx, u64 off, u64 val, unsigned size);
  static void mmio_store(void* ctx, u64 addr);
  void entry_states();
  void issued(u32 new_prod);

  bool lazy_;
  bool observe_;
  std::vector<SmmuTrace> trace_;
  SystemMemory sysmem_;
  SmmuHw hw_;
  std::shared_ptr<KernelInstance> inst_;
  std::unique_ptr<KernelDma> dma_;
  std::map<u32, SmmuDomainKind> kinds_;
  std::map<u32, StreamView> seen_;  // the last view of each stream the driver was asked about
};

}  // namespace iovet
