// A minimal SMMUv3 register file for driver tests: ID registers as configured, CR0ACK echoing
// CR0, a command queue consumed from memory `per_poll` entries per CMDQ_CONS read (as the
// hardware contract says), and an event queue the test fills. It checks the driver's queue
// discipline: never more than a queue's worth outstanding, never a published entry rewritten
// before it is consumed.
#pragma once
#include <array>
#include <deque>
#include <vector>

#include "impl/phys_mem.h"
#include "impl/smmu/arm_smmu_v3_defs.h"
#include "impl/smmu/queue.h"
#include "impl/smmu_mmio.h"

namespace iovet::test {

class FakeSmmuMmio : public SmmuMmio {
 public:
  using Cmd = std::array<u64, 2>;
  // A capable default: 2-level stream table, S1+S2, 16-bit ASID/VMID, 16-bit SIDs, 256-entry
  // queues, 4K/16K/64K granules, 48-bit OAS, little-endian AArch64 tables.
  u32 idr0 = static_cast<u32>(smmu::field_prep(smmu::IDR0_ST_LVL, 1) |
                              smmu::field_prep(smmu::IDR0_TTENDIAN, 2) | smmu::IDR0_VMID16 |
                              smmu::IDR0_ASID16 | smmu::field_prep(smmu::IDR0_TTF, 2) |
                              smmu::IDR0_S1P | smmu::IDR0_S2P);
  u32 idr1 = static_cast<u32>(smmu::field_prep(smmu::IDR1_CMDQS, 8) |
                              smmu::field_prep(smmu::IDR1_EVTQS, 8) |
                              smmu::field_prep(smmu::IDR1_SIDSIZE, 16));
  u32 idr3 = 0;
  u32 idr5 = static_cast<u32>(smmu::IDR5_GRAN4K | smmu::IDR5_GRAN16K | smmu::IDR5_GRAN64K |
                              smmu::field_prep(smmu::IDR5_OAS, 5));
  unsigned per_poll = 4;

  explicit FakeSmmuMmio(const PhysMem& mem) : mem_(mem) {}

  u32 readl(u64 off) override {
    using namespace smmu;
    switch (off) {
      case ARM_SMMU_IDR0: return idr0;
      case ARM_SMMU_IDR1: return idr1;
      case ARM_SMMU_IDR3: return idr3;
      case ARM_SMMU_IDR5: return idr5;
      case ARM_SMMU_CR0: return cr0;
      case ARM_SMMU_CR0ACK: return cr0;
      case ARM_SMMU_CMDQ_PROD: return cmdq_prod;
      case ARM_SMMU_CMDQ_CONS: consume(); return cmdq_cons;
      case ARM_SMMU_EVTQ_PROD: return evtq_prod;
      case ARM_SMMU_EVTQ_CONS: return evtq_cons;
      default: return 0;
    }
  }
  void writel(u64 off, u32 v) override {
    using namespace smmu;
    switch (off) {
      case ARM_SMMU_CR0: cr0 = v; break;
      case ARM_SMMU_CR1: cr1 = v; break;
      case ARM_SMMU_CR2: cr2 = v; break;
      case ARM_SMMU_STRTAB_BASE_CFG: strtab_base_cfg = v; break;
      case ARM_SMMU_CMDQ_PROD: publish(v); break;
      case ARM_SMMU_CMDQ_CONS: cmdq_cons = v; break;
      case ARM_SMMU_EVTQ_PROD: evtq_prod = v; break;
      case ARM_SMMU_EVTQ_CONS: evtq_cons = v; break;
      default: break;
    }
  }
  u64 readq(u64) override { return 0; }
  void writeq(u64 off, u64 v) override {
    using namespace smmu;
    if (off == ARM_SMMU_STRTAB_BASE) strtab_base = v;
    if (off == ARM_SMMU_CMDQ_BASE) cmdq_base = v;
    if (off == ARM_SMMU_EVTQ_BASE) evtq_base = v;
  }

  // Appends an event record as the hardware would (the test keeps the queue from filling).
  void inject_event(const std::array<u64, 4>& rec) {
    const unsigned shift = log2size(evtq_base);
    const u64 at = addr(evtq_base) + u64{smmu_queue::idx(shift, evtq_prod)} * 32;
    for (unsigned i = 0; i < 4; ++i) mem_.write(at + 8 * i, rec[i]);
    evtq_prod = smmu_queue::inc_prod_n(shift, evtq_prod, 1);
  }

  u32 cr0 = 0, cr1 = 0, cr2 = 0, strtab_base_cfg = 0;
  u64 strtab_base = 0, cmdq_base = 0, evtq_base = 0;
  u32 cmdq_prod = 0, cmdq_cons = 0, evtq_prod = 0, evtq_cons = 0;
  std::vector<Cmd> consumed;
  bool overflowed = false;   // PROD got more than a queue's size ahead of CONS
  bool overwritten = false;  // a published, unconsumed entry changed before consumption
  u32 max_outstanding = 0;

 private:
  static u64 addr(u64 base) { return base & smmu::Q_BASE_ADDR_MASK; }
  static unsigned log2size(u64 base) {
    return static_cast<unsigned>(smmu::field_get(smmu::Q_BASE_LOG2SIZE, base));
  }
  // Entries between cons and prod, from the wrap-extended counters.
  static u32 distance(unsigned shift, u32 prod, u32 cons) {
    const u32 mask = (u32{2} << shift) - 1;
    return ((prod & mask) - (cons & mask)) & mask;
  }
  Cmd read_cmd(unsigned shift, u32 p) const {
    const u64 at = addr(cmdq_base) + u64{smmu_queue::idx(shift, p)} * 16;
    return {mem_.read(at), mem_.read(at + 8)};
  }
  void publish(u32 prod) {
    const unsigned shift = log2size(cmdq_base);
    const u32 outstanding = distance(shift, prod, cmdq_cons);
    if (outstanding > (u32{1} << shift)) overflowed = true;
    max_outstanding = std::max(max_outstanding, outstanding);
    for (u32 p = cmdq_prod; p != prod; p = smmu_queue::inc_prod_n(shift, p, 1))
      pending_.push_back(read_cmd(shift, p));
    cmdq_prod = prod;
  }
  void consume() {
    const unsigned shift = log2size(cmdq_base);
    for (unsigned k = 0; k < per_poll && !smmu_queue::empty(shift, cmdq_prod, cmdq_cons); ++k) {
      const Cmd c = read_cmd(shift, cmdq_cons);
      if (pending_.empty() || pending_.front() != c) overwritten = true;
      if (!pending_.empty()) pending_.pop_front();
      consumed.push_back(c);
      cmdq_cons = smmu_queue::inc_prod_n(shift, cmdq_cons, 1);
    }
  }

  const PhysMem& mem_;
  std::deque<Cmd> pending_;
};

}  // namespace iovet::test
