#include "kernel/kernel_smmu.h"

#include <algorithm>
#include <stdexcept>

#include "impl/smmu/arm_smmu_v3.h"
#include "impl/smmu_hw/smmu_hw_cmd.h"
#include "impl/smmu_hw/smmu_hw_queue.h"
#include "kernel/page_pool.h"

namespace iovet {

using namespace smmu_hw;

KernelSmmuStack::KernelSmmuStack(const KernelLibrary& lib, const Config& cfg, const SmmuHwParams& hw, bool observe)
    : lazy_(cfg.smmu.lazy), observe_(observe), hw_(hw, sysmem_, [this](SmmuTrace t) {
        if (observe_) trace_.push_back(std::move(t));
      }) {
  sysmem_.add_host_window(PagePool::get().base(), PagePool::get().size());
  // The page table is the driver's choice (kabi_smmu_cfg ignores dma.pgtable); the views
  // read it as arm_smmu_domain_finalise() configured it.
  KabiDmaCfg dma(cfg, PgtableCfg{});
  kabi_smmu_cfg k{{this, mmio_read, mmio_write, mmio_store}, 1, dma.cfg};
  kabi_inst* inst = nullptr;
  int probe_err = 0, setup_err = 0, init_err = 0;
  const int st = lib.ops->smmu_create(&inst, &k, &probe_err, &setup_err, &init_err);
  inst_ = std::make_shared<KernelInstance>(lib, inst);
  inst_->check(st);
  if (probe_err)
    throw std::invalid_argument("Linux " + lib.tree.version + "'s arm_smmu_device_probe() fails on this SMMU (error " +
                                std::to_string(probe_err) + ")");
  check_dma_setup(lib, setup_err, init_err);
  kabi_pgtable_cfg pc{};
  inst_->check(lib.ops->smmu_pgtable_cfg(inst, &pc));
  PgtableCfg pg;
  pg.format = pc.stage2 ? Format::arm64_lpae_s2 : Format::arm64_lpae_s1;
  pg.pgsize_bitmap = pc.pgsize_bitmap;
  pg.ias = pc.ias;
  pg.oas = pc.oas;
  pg.coherent_walk = pc.coherent_walk;
  dma_ = std::make_unique<KernelDma>(inst_, pg, lib.page_shift);
}

// The driver's teardown (release, domain free, disable) still reaches the hardware: the
// instance goes first, unobserved, while every member it touches is alive.
KernelSmmuStack::~KernelSmmuStack() {
  observe_ = false;
  dma_.reset();
  inst_.reset();
}

u64 KernelSmmuStack::mmio_read(void* ctx, u64 off, unsigned size) {
  auto* self = static_cast<KernelSmmuStack*>(ctx);
  self->entry_states();
  return size == 8 ? self->hw_.readq(off) : self->hw_.readl(off);
}

void KernelSmmuStack::mmio_write(void* ctx, u64 off, u64 val, unsigned size) {
  auto* self = static_cast<KernelSmmuStack*>(ctx);
  self->entry_states();
  if (off == reg::CMDQ_PROD && size == 4) self->issued(static_cast<u32>(val));
  if (size == 8)
    self->hw_.writeq(off, val);
  else
    self->hw_.writel(off, static_cast<u32>(val));
}

// The driver publishes an STE's or CD's first word (V, Config) with WRITE_ONCE(): the SMMU may
// fetch a valid entry at any time, so it may fetch there (as at impl/smmu's stores).
void KernelSmmuStack::mmio_store(void* ctx, u64) {
  auto* self = static_cast<KernelSmmuStack*>(ctx);
  self->entry_states();
  for (const auto& [sid, last] : self->seen_) self->hw_.fetch_config(sid);
}

// The driver's other STE/CD stores are plain memory writes iovet cannot see one by one; each
// WRITE_ONCE() and register access (a command submission, a poll) is where the configuration
// the hardware could fetch is sampled, so a changed view is recorded before what follows it.
void KernelSmmuStack::entry_states() {
  if (!observe_) return;
  for (auto& [sid, last] : seen_) {
    const StreamView v = hw_.stream_view(sid);
    if (v == last) continue;
    last = v;
    trace_.push_back({SmmuTrace::EntryState{sid, v}});
  }
}

// A CMDQ_PROD write publishes the commands between the old producer index and the new one:
// what the driver issued, decoded from the queue memory as the hardware will read it.
void KernelSmmuStack::issued(u32 new_prod) {
  if (!observe_) return;
  const u64 base = hw_.readq(reg::CMDQ_BASE);
  const unsigned log2 = QueuePtrs{base, 0, 0}.log2size(hw_.params().cmdq_log2);
  const QueuePtrs q{base, 0, 0};
  for (u32 p = hw_.readl(reg::CMDQ_PROD) & QueuePtrs::ptr_mask(log2);
       !QueuePtrs::empty(p, new_prod, log2); p = QueuePtrs::inc(p, log2)) {
    u64 d0 = 0, d1 = 0;
    const u64 pa = q.entry_pa(p, log2, cmd::ENT_SIZE);
    if (!sysmem_.read64(pa, &d0) || !sysmem_.read64(pa + 8, &d1)) return;
    trace_.push_back({SmmuTrace::Issued{decode_command(hw_.params(), d0, d1).cmd}});
  }
}

// The ABI numbers the domain kinds as spec/unit/smmu.h does.
static_assert(static_cast<int>(SmmuDomainKind::blocked) == KABI_SMMU_BLOCKED &&
              static_cast<int>(SmmuDomainKind::unmanaged) == KABI_SMMU_UNMANAGED);

int KernelSmmuStack::attach(u32 sid, SmmuDomainKind kind) {
  seen_.try_emplace(sid, hw_.stream_view(sid));
  int ret = 0;
  inst_->check(inst_->ops().smmu_attach(inst_->get(), sid, static_cast<int>(kind), &ret));
  entry_states();
  if (ret == 0) kinds_[sid] = kind;
  return ret;
}

std::vector<SmmuEvent> KernelSmmuStack::take_events() {
  // Room for the whole event queue: nothing the thread consumes is lost.
  std::vector<u64> raw((std::size_t{1} << hw_.params().evtq_log2) * smmu::evtq_ent_dwords);
  std::size_t n = 0;
  inst_->check(inst_->ops().smmu_events(inst_->get(), raw.data(), raw.size(), &n));
  std::vector<SmmuEvent> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::array<u64, smmu::evtq_ent_dwords> rec{};
    std::copy_n(raw.begin() + static_cast<std::ptrdiff_t>(i * rec.size()), rec.size(), rec.begin());
    out.push_back(arm_smmu_decode_event(rec));
  }
  return out;
}

std::optional<Translation> KernelSmmuStack::hw_walk(u64 iova) const {
  for (const auto& [sid, kind] : kinds_)
    if (kind == SmmuDomainKind::dma) return hw_.walk(sid, iova);
  return std::nullopt;
}

}  // namespace iovet
