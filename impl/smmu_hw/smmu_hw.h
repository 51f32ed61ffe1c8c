// A simulated SMMUv3 (IHI 0070), written from the architecture and sharing no code with the
// driver: the register file, the stream table / CD walk, the VMSAv8-64 walker, a configuration
// cache and an IOTLB that keep stale entries until the matching CFGI / TLBI, a command queue
// consumed only when the driver polls CMDQ_CONS, and an event queue in memory.
//
// With SMMUEN = 0 transactions follow SMMU_GBPA: abort while GBPA.ABORT is set (its reset
// value here, and what Linux programs), otherwise bypass; no event either way.
#pragma once
#include "impl/smmu_hw/smmu_hw_cfg_cache.h"
#include "impl/smmu_hw/smmu_hw_cmdq.h"
#include "impl/smmu_hw/smmu_hw_config.h"
#include "impl/smmu_hw/smmu_hw_evtq.h"
#include "impl/smmu_hw/smmu_hw_iotlb.h"
#include "impl/smmu_hw/smmu_hw_params.h"
#include "impl/smmu_hw/smmu_hw_regs.h"
#include "impl/smmu_hw/smmu_hw_walk_cache.h"
#include "impl/smmu_mmio.h"
#include "impl/system_memory.h"
#include "spec/unit/smmu.h"

namespace iovet {

class SmmuHw final : public SmmuMmio {
 public:
  SmmuHw(const SmmuHwParams& p, const SystemMemory& mem, SmmuTraceSink sink = {});
  u32 readl(u64 off) override;
  void writel(u64 off, u32 v) override;
  u64 readq(u64 off) override;
  void writeq(u64 off, u64 v) override;
  // A device transaction: through the configuration cache and IOTLB, walking on a miss.
  // Records an event on a fault (as the architecture says) and returns ok=false. Inline: the
  // stream's micro-TLB hit, the one path where a few instructions are most of the cost.
  DeviceAccessResult access(u32 sid, u64 iova, bool write) {
    StreamFast& f = fast_[sid % fast_slots];
    if (f.utlb_epoch == iotlb_.epoch() && f.gen == cfg_.generation() && f.sid == sid &&
        (cr0_ & smmu_hw::reg::CR0_SMMUEN)) {
      const smmu_hw::IotlbEntry& e = iotlb_.at(f.utlb);
      if (e.covers(iova) && e.allows(write)) {
        stats_.cfg_hits += f.lookups;
        ++stats_.iotlb_hits;
        iotlb_.reuse(f.utlb);
        return {true, e.output(iova), true};
      }
    }
    return access_slow(sid, iova, write);
  }
  // The configuration as memory holds it NOW (no caches): STE, and for stage 1 the CD at
  // SSID 0, decoded into the fields in use (Kind::invalid for V=0 or an ILLEGAL STE/CD).
  StreamView stream_view(u32 sid) const;
  // The configuration the next transaction of the stream would use: cached STE and CD where
  // the configuration cache holds them, memory otherwise.
  StreamView config_in_use(u32 sid) const;
  // The architecture lets the SMMU fetch a valid STE or CD at any time and keep it until a
  // CFGI removes it. The model does so at every CFGI it consumes for the stream and
  // whenever its caller says the driver stored into the stream's STE or CD; it fills only
  // what is not cached, so it keeps the oldest configuration it could have kept. No events.
  void fetch_config(u32 sid);
  // The walker alone on the stream's current in-memory configuration (no caches, no events).
  Translation walk(u32 sid, u64 iova) const;
  std::vector<IotlbLine> iotlb() const;
  const SmmuHwStats& stats() const { return stats_; }
  const SmmuHwParams& params() const { return p_; }

 private:
  u32 idr(u64 off) const;
  smmu_hw::StrtabRegs strtab() const { return {strtab_base_, strtab_cfg_}; }
  void write_cr0(u32 v);
  void write_gerrorn(u32 v);
  void write_cmdq_prod(u32 v);
  u32 read_cmdq_cons();
  void execute(const smmu_hw::DecodedCommand& c);
  void trace(SmmuTrace t) const {
    if (sink_) sink_(std::move(t));
  }
  struct StreamFast;
  DeviceAccessResult access_slow(u32 sid, u64 iova, bool write);
  DeviceAccessResult translate(StreamFast& f, u64 ia, bool write);
  DeviceAccessResult walk_and_fill(StreamFast& f, u64 ia, bool write);
  void record(const smmu_hw::EventRecord& e);
  void record_cfg_fault(u32 sid, smmu_hw::CfgFault f, u64 fetch_addr);
  [[gnu::cold]] void record_fault(u32 sid, smmu_hw::Fault f, bool stage2, u64 ia, bool write,
                                 u64 fetch_addr);

  // What access() derived from the configuration cache for a StreamID, reused while the
  // cache's generation stands: one compare instead of the STE and CD lookups. Its micro-TLB
  // (as a TBU keeps in front of the shared TLB) is the IOTLB entry the stream last used,
  // valid while the IOTLB's epoch stands, so any invalidation or refill empties it.
  struct StreamFast {
    u64 gen = 0;
    u32 sid = 0;
    StreamView::Kind kind = StreamView::Kind::invalid;
    unsigned lookups = 0;  // configuration structures behind it (STE, and CD for stage 1)
    u32 asid = 0, vmid = 0;
    const smmu_hw::WalkCfg* walk = nullptr;  // inside the cache entry
    bool disabled = false;                   // CD.EPD0
    unsigned utlb = 0;
    u64 utlb_epoch = ~u64{0};
  };
  static constexpr unsigned fast_slots = 64;
  bool lookup_stream(u32 sid, StreamFast& f);

  SmmuHwParams p_;
  const SystemMemory& mem_;
  SmmuTraceSink sink_;
  SmmuHwStats stats_;
  smmu_hw::CfgCache cfg_;
  smmu_hw::Iotlb iotlb_;
  smmu_hw::WalkCache walk_cache_;
  smmu_hw::CommandQueue cmdq_;
  smmu_hw::EventQueue evtq_;

  StreamFast fast_[fast_slots];

  u32 cr0_ = 0, cr1_ = 0, cr2_ = 0, gbpa_;
  u32 irq_ctrl_ = 0, gerror_ = 0, gerrorn_ = 0;
  u64 strtab_base_ = 0;
  u32 strtab_cfg_ = 0;
};

}  // namespace iovet
