#include "run/smmu_stack.h"

#include <map>
#include <stdexcept>

#include "impl/io_pgtable_arm.h"
#include "impl/smmu/arm_smmu_domain.h"
#include "impl/smmu/arm_smmu_v3.h"
#include "impl/smmu_hw/smmu_hw.h"
#include "impl/system_memory.h"
#include "ref/dma/mainline.h"
#include "ref/models.h"
#include "run/variants.h"
#include "run/iova_free_tap.h"
#include "run/walk_flush_tap.h"
#include "run/make_page_table.h"

namespace iovet {
namespace {

// The driver's coherent allocations (stream table, CD tables, queues) live apart from the
// page tables' arena, at an address no page table uses.
constexpr u64 kSmmuMemBase = u64{0x40} << 32;
constexpr u64 kSmmuMemPages = 1 << 14;
constexpr u64 kUnmanagedPtBase = u64{0x30} << 32;

}  // namespace

SmmuHwParams smmu_hw_params(const Config& c) {
  SmmuHwParams p;
  p.sidsize = c.smmu.sidsize;
  p.st_2lvl = c.smmu.st_2lvl;
  p.ril = c.smmu.ril;
  p.cmdq_log2 = c.smmu.cmdq_log2;
  p.cmdq_per_poll = c.smmu.cmdq_per_poll;
  p.iotlb_entries = c.smmu.iotlb_entries;
  p.replacement = c.smmu.replacement == TlbReplacement::lru    ? SmmuHwParams::Replacement::lru
                  : c.smmu.replacement == TlbReplacement::fifo ? SmmuHwParams::Replacement::fifo
                                                               : SmmuHwParams::Replacement::random;
  p.oas = std::max(c.oas, 48u);
  return p;
}

namespace {

class SimulatedSmmuStack final : public SmmuStack {
 public:
  SimulatedSmmuStack(const Config& cfg, const SmmuVariant& v, bool observe)
      : cfg_(cfg),
        observe_(observe),
        detach_first_(v.detach_first),
        mem_(4096, kSmmuMemBase, kSmmuMemPages),
        hw_(smmu_hw_params(cfg), sysmem_, sink()) {
    sysmem_.add(mem_);
    smmu_ = v.make_driver ? v.make_driver(hw_, mem_, sink()) : std::make_unique<ArmSmmuDevice>(hw_, mem_, sink());
    // The hardware may fetch the configuration between any two stores (and keeps it until a
    // CFGI): observed after each, and fetched by the model then.
    smmu_->on_entry_store = [this](u32 sid) {
      if (observe_) trace_.push_back({SmmuTrace::EntryState{sid, hw_.stream_view(sid)}});
      hw_.fetch_config(sid);
    };
    // Tables stay when emptied, as in Linux: no walk invalidation hides a missing leaf one.
    auto pt = std::make_unique<ArmLpaePgtable>(pgtable_cfg(cfg), LpaeOptions{.free_empty_tables = false});
    pgtable_ = pt.get();
    sysmem_.add(pgtable_->phys_mem());
    domain_ = std::make_unique<ArmSmmuDomain>(*smmu_, *pgtable_);
    // The unmanaged domain's tables live in their own arena, apart from the DMA domain's.
    unmanaged_pt_ = std::make_unique<ArmLpaePgtable>(
        pgtable_cfg(cfg), LpaeOptions{.free_empty_tables = false, .phys_base = kUnmanagedPtBase});
    sysmem_.add(unmanaged_pt_->phys_mem());
    unmanaged_ = std::make_unique<ArmSmmuDomain>(*smmu_, *unmanaged_pt_);
    std::unique_ptr<IovaAllocator> iovad = iommu_dma_init_domain(cfg, find_iova_model("mainline")->make);
    if (observe) {
      const unsigned shift = cfg.granule_shift();
      iovad = std::make_unique<IovaFreeTap>(std::move(iovad), [this, shift](u64 pfn, u64 pages) {
        trace_.push_back({SmmuTrace::IovaFreed{pfn << shift, pages << shift}});
      });
    }
    IommuTlbOps* tlb_ops = domain_.get();
    if (observe) {
      walk_tap_ = std::make_unique<WalkFlushTap>(*domain_, [this](u64 iova, u64 size) {
        trace_.push_back({SmmuTrace::TableFreed{iova, size}});
      });
      tlb_ops = walk_tap_.get();
    }
    pgtable_->set_tlb_ops(tlb_ops);
    MainlineDriver drv{tlb_ops, {}};
    if (cfg.smmu.lazy) {
      const unsigned size = cfg.smmu.fq_size;
      auto make = v.make_fq;
      drv.make_fq = [size, make](IommuTlbOps& ops, IovaAllocator& iovad) {
        return make ? make(size, ops, iovad) : std::make_unique<FlushQueue>(size, ops, iovad);
      };
    }
    std::unique_ptr<PageTable> dma_pt = v.wrap_pgtable ? v.wrap_pgtable(std::move(pt)) : std::move(pt);
    dma_ = std::make_unique<MainlineDma>(cfg, std::move(dma_pt), std::move(iovad), drv);
  }

  DmaLayer& dma() override { return *dma_; }
  bool lazy() const override { return cfg_.smmu.lazy; }
  int attach(u32 sid, SmmuDomainKind kind) override {
    ArmSmmuDomain* d = kind == SmmuDomainKind::dma ? domain_.get() : kind == SmmuDomainKind::unmanaged ? unmanaged_.get() : nullptr;
    const auto had = kinds_.find(sid);
    if (detach_first_ && had != kinds_.end() && had->second != kind && had->second != SmmuDomainKind::blocked &&
        kind != SmmuDomainKind::blocked)
      smmu_->attach(sid, SmmuDomainKind::blocked, nullptr);
    const int ret = smmu_->attach(sid, kind, d);
    if (ret == 0) kinds_[sid] = kind;
    return ret;
  }
  DeviceAccessResult access(u32 sid, u64 iova, bool write) override { return hw_.access(sid, iova, write); }
  std::vector<SmmuEvent> take_events() override { return smmu_->read_events(); }
  std::vector<SmmuTrace> take_trace() override { return std::exchange(trace_, {}); }
  StreamView stream_view(u32 sid) const override { return hw_.stream_view(sid); }
  StreamView config_in_use(u32 sid) const override { return hw_.config_in_use(sid); }
  std::vector<IotlbLine> iotlb() const override { return hw_.iotlb(); }
  std::optional<Translation> hw_walk(u64 iova) const override {
    for (const auto& [sid, kind] : kinds_)
      if (kind == SmmuDomainKind::dma) return hw_.walk(sid, iova);
    return std::nullopt;
  }
  u64 iova_to_phys(u64 iova) const override { return pgtable_->iova_to_phys(iova); }

 private:
  SmmuTraceSink sink() {
    if (!observe_) return {};
    return [this](SmmuTrace t) { trace_.push_back(std::move(t)); };
  }

  Config cfg_;
  bool observe_;
  bool detach_first_;
  std::vector<SmmuTrace> trace_;
  PhysMem mem_;
  SystemMemory sysmem_;
  SmmuHw hw_;
  std::unique_ptr<ArmSmmuDevice> smmu_;
  ArmLpaePgtable* pgtable_ = nullptr;  // owned by the DMA layer's domain
  std::unique_ptr<ArmSmmuDomain> domain_;
  std::unique_ptr<WalkFlushTap> walk_tap_;
  std::unique_ptr<ArmLpaePgtable> unmanaged_pt_;
  std::unique_ptr<ArmSmmuDomain> unmanaged_;
  std::unique_ptr<MainlineDma> dma_;
  std::map<u32, SmmuDomainKind> kinds_;
};

}  // namespace

void register_smmu_variant(SmmuVariant v) {
  Variant out{v.name, "planted SMMU stack", v.summary};
  out.smmu = [v](const Config& c, bool observe) { return make_smmu_stack(c, v, observe); };
  register_variant(std::move(out));
}

std::unique_ptr<SmmuStack> make_smmu_stack(const Config& cfg, const SmmuVariant& v, bool observe) {
  return std::make_unique<SimulatedSmmuStack>(cfg, v, observe);
}

}  // namespace iovet
