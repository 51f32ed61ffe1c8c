// A test rig for the SMMUv3 model: driver-side structures built by hand in a PhysMem, with
// every field placed at the bit position the architecture (IHI 0070) gives, independently of
// the model's own field definitions, so a wrong position in the model shows up here.
#pragma once
#include <array>
#include <vector>

#include "impl/io_pgtable_arm.h"
#include "impl/smmu_hw/smmu_hw.h"

namespace iovet::test {

// Value v placed at bits [hi:lo].
inline u64 put(unsigned hi, unsigned lo, u64 v) {
  const u64 mask = hi == 63 ? ~u64{0} >> lo : (u64{1} << (hi - lo + 1)) - 1;
  return (v & mask) << lo;
}
inline u64 get(u64 w, unsigned hi, unsigned lo) {
  const u64 mask = hi == 63 ? ~u64{0} >> lo : (u64{1} << (hi - lo + 1)) - 1;
  return (w >> lo) & mask;
}

// Register offsets (IHI 0070 6.3).
namespace off {
inline constexpr u64 IDR0 = 0x0, IDR1 = 0x4, IDR3 = 0xc, IDR5 = 0x14, CR0 = 0x20, CR0ACK = 0x24,
                     GBPA = 0x44, IRQ_CTRL = 0x50, IRQ_CTRLACK = 0x54, GERROR = 0x60,
                     GERRORN = 0x64, STRTAB_BASE = 0x80, STRTAB_BASE_CFG = 0x88,
                     CMDQ_BASE = 0x90, CMDQ_PROD = 0x98, CMDQ_CONS = 0x9c, EVTQ_BASE = 0xa0,
                     EVTQ_PROD = 0x100a8, EVTQ_CONS = 0x100ac;
}

struct Event {
  std::array<u64, 4> d{};
  unsigned id() const { return static_cast<unsigned>(get(d[0], 7, 0)); }
  u32 sid() const { return static_cast<u32>(get(d[0], 63, 32)); }
  bool rnw() const { return get(d[1], 35, 35); }
  bool s2() const { return get(d[1], 39, 39); }
  unsigned cls() const { return static_cast<unsigned>(get(d[1], 41, 40)); }
  u64 input_addr() const { return d[2]; }
  u64 ipa() const { return d[3] & (put(51, 12, ~u64{0})); }
};

inline SmmuHwParams small_params() {
  SmmuHwParams p;
  p.cmdq_log2 = 5;
  p.evtq_log2 = 4;
  return p;
}

// The PTE of a leaf at iova, as the page table holds it (for hand edits of AF / AP).
inline u64 leaf_pte_pa(const ArmLpaePgtable& pt, u64 iova) {
  const LpaeGeometry& g = pt.geometry();
  const unsigned gshift = ilog2(g.granule()), stride = gshift - 3;
  u64 table = pt.pgd_pa();
  for (int lvl = g.start_level; lvl <= 3; ++lvl) {
    const unsigned shift = gshift + stride * static_cast<unsigned>(3 - lvl);
    const unsigned width = lvl == g.start_level ? g.ias - shift : stride;
    const u64 pa = table + ((iova >> shift) & ((u64{1} << width) - 1)) * 8;
    const u64 d = pt.phys_mem().read(pa);
    if (lvl == 3 || (d & 3) != 3) return pa;
    table = d & put(47, 12, ~u64{0}) & ~(g.granule() - 1);
  }
  return 0;
}

class Rig {
 public:
  static constexpr u64 mem_base = 0x1000'0000;

  explicit Rig(const SmmuHwParams& p = small_params(), bool two_level = false)
      : mem_(4096, mem_base), hw_(p, (sys_.add(mem_), sys_), [this](SmmuTrace t) {
          trace.push_back(std::move(t));
        }) {
    p_ = p;
    two_level_ = two_level;
    if (two_level) {
      // 2-level: SPLIT 8, L1 descriptors for every 256 StreamIDs.
      strtab_ = mem_.alloc(1);
      hw_.writeq(off::STRTAB_BASE, strtab_);
      hw_.writel(off::STRTAB_BASE_CFG, static_cast<u32>(put(17, 16, 1) | put(10, 6, 8) |
                                                         put(5, 0, p.sidsize)));
    } else {
      const u64 pages = ((u64{64} << p.sidsize) + 4095) / 4096;
      strtab_ = mem_.alloc(pages);
      hw_.writeq(off::STRTAB_BASE, strtab_);
      hw_.writel(off::STRTAB_BASE_CFG, static_cast<u32>(put(5, 0, p.sidsize)));
    }
    cmdq_log2_ = p.cmdq_log2;
    cmdq_ = mem_.alloc(((u64{16} << cmdq_log2_) + 4095) / 4096);
    hw_.writeq(off::CMDQ_BASE, cmdq_ | put(4, 0, cmdq_log2_));
    evtq_log2_ = p.evtq_log2;
    evtq_ = mem_.alloc(((u64{32} << evtq_log2_) + 4095) / 4096);
    hw_.writeq(off::EVTQ_BASE, evtq_ | put(4, 0, evtq_log2_));
  }

  SmmuHw& hw() { return hw_; }
  PhysMem& mem() { return mem_; }
  void add(const PhysMem& m) { sys_.add(m); }

  // CR0 with SMMUEN | EVTQEN | CMDQEN, as arm_smmu_device_reset ends.
  void enable() { hw_.writel(off::CR0, 0xd); }

  // 2-level: the L1 descriptor for sid's group, with a fresh L2 table of span entries.
  void add_l2(u32 sid, unsigned span = 9) {
    const u64 l2 = mem_.alloc(((u64{64} << (span - 1)) + 4095) / 4096);
    mem_.write(strtab_ + (sid >> 8) * 8, l2 | put(4, 0, span));
  }
  u64 ste_pa(u32 sid) const {
    if (!two_level_) return strtab_ + u64{sid} * 64;
    const u64 l1 = mem_.read(strtab_ + (sid >> 8) * 8);
    return (l1 & put(51, 6, ~u64{0})) + (sid & 0xff) * 64;
  }
  void write_ste(u32 sid, std::array<u64, 4> d) {
    for (unsigned i = 0; i < 4; ++i) mem_.write(ste_pa(sid) + 8 * i, d[i]);
  }
  // Config: 0 abort, 4 bypass, 5 stage 1, 6 stage 2; V = 1.
  void ste_abort(u32 sid) { write_ste(sid, {1 | put(3, 1, 0), 0, 0, 0}); }
  void ste_bypass(u32 sid) { write_ste(sid, {1 | put(3, 1, 4), 0, 0, 0}); }
  void ste_s1(u32 sid, u64 cd_pa, u32 vmid = 0) {
    write_ste(sid, {1 | put(3, 1, 5) | (cd_pa & put(51, 6, ~u64{0})), 0, put(15, 0, vmid), 0});
  }
  void ste_s2(u32 sid, const ArmLpaePgtable& pt, u32 vmid, bool affd = false) {
    const LpaeGeometry& g = pt.geometry();
    const unsigned gshift = ilog2(g.granule());
    // VTCR.TG0: 0 4K, 1 64K, 2 16K; SL0 counts levels up from the last.
    const u64 tg = gshift == 12 ? 0 : gshift == 16 ? 1 : 2;
    const u64 sl0 = (gshift == 12 ? 2 : 3) - g.start_level;
    const u64 vtcr = put(5, 0, 64 - g.ias) | put(7, 6, sl0) | put(15, 14, tg) |
                     put(18, 16, ps_enc(pt.cfg().oas));
    write_ste(sid, {1 | put(3, 1, 6), 0,
                    put(15, 0, vmid) | put(50, 32, vtcr) | put(51, 51, 1) | put(53, 53, affd),
                    pt.pgd_pa() & put(51, 4, ~u64{0})});
  }
  // A stage-1 CD for pt (what arm_smmu_make_s1_cd writes), at a fresh page.
  u64 cd_s1(const ArmLpaePgtable& pt, u32 asid, bool affd = false, unsigned ips_bits = 0) {
    const u64 pa = mem_.alloc(1);
    write_cd(pa, pt, asid, affd, ips_bits);
    return pa;
  }
  void write_cd(u64 pa, const ArmLpaePgtable& pt, u32 asid, bool affd = false,
                unsigned ips_bits = 0) {
    const unsigned gshift = ilog2(pt.geometry().granule());
    const u64 tg = gshift == 12 ? 0 : gshift == 16 ? 1 : 2;
    const u64 d0 = put(5, 0, 64 - pt.cfg().ias) | put(7, 6, tg) | put(30, 30, 1) /*EPD1*/ |
                   put(31, 31, 1) /*V*/ | put(34, 32, ps_enc(ips_bits ? ips_bits : pt.cfg().oas)) |
                   put(35, 35, affd) | put(41, 41, 1) /*AA64*/ | put(63, 48, asid);
    mem_.write(pa, d0);
    mem_.write(pa + 8, pt.pgd_pa() & put(51, 4, ~u64{0}));
    mem_.write(pa + 16, 0);
    mem_.write(pa + 24, 0x0004ff44);  // MAIR
  }
  static u64 ps_enc(unsigned bits) {
    const unsigned w[] = {32, 36, 40, 42, 44, 48, 52};
    for (unsigned i = 0; i < 7; ++i)
      if (w[i] == bits) return i;
    return 7;
  }

  // Writes one command at PROD and publishes it (no consumption yet).
  void push_cmd(u64 d0, u64 d1) {
    const u32 prod = hw_.readl(off::CMDQ_PROD);
    const u64 idx = prod & ((1u << cmdq_log2_) - 1);
    mem_.write(cmdq_ + idx * 16, d0);
    mem_.write(cmdq_ + idx * 16 + 8, d1);
    hw_.writel(off::CMDQ_PROD, (prod + 1) & ((2u << cmdq_log2_) - 1));
  }
  // Polls CONS until the queue is empty or an error stops it; returns the last CONS.
  u32 drain() {
    u32 cons = 0;
    for (int i = 0; i < 1000; ++i) {
      cons = hw_.readl(off::CMDQ_CONS);
      const u32 prod = hw_.readl(off::CMDQ_PROD);
      if (get(cons, 30, 24) || ((cons ^ prod) & ((2u << cmdq_log2_) - 1)) == 0) break;
    }
    return cons;
  }
  void cmd(u64 d0, u64 d1 = 0) {
    push_cmd(d0, d1);
    push_cmd(0x46, 0);  // CMD_SYNC, CS = SIG_NONE
    drain();
  }
  // Command encodings (IHI 0070 4.3-4.7).
  static u64 cfgi_ste0(u32 sid) { return 0x03 | put(63, 32, sid); }
  static u64 cfgi_cd0(u32 sid, u32 ssid) { return 0x05 | put(31, 12, ssid) | put(63, 32, sid); }
  static u64 tlbi0(unsigned op, u32 asid, u32 vmid, unsigned num = 0, unsigned scale = 0) {
    return op | put(16, 12, num) | put(24, 20, scale) | put(47, 32, vmid) | put(63, 48, asid);
  }
  static u64 tlbi1(u64 addr, bool leaf, unsigned tg = 0, unsigned ttl = 0) {
    return (leaf ? 1 : 0) | put(9, 8, ttl) | put(11, 10, tg) | (addr & put(63, 12, ~u64{0}));
  }

  // New event records since the last call; acknowledges them through EVTQ_CONS.
  std::vector<Event> events() {
    std::vector<Event> out;
    const u32 mask = (2u << evtq_log2_) - 1;
    u32 cons = hw_.readl(off::EVTQ_CONS);
    const u32 prod = hw_.readl(off::EVTQ_PROD);
    while (((cons ^ prod) & mask) != 0) {
      Event e;
      const u64 idx = cons & ((1u << evtq_log2_) - 1);
      for (unsigned i = 0; i < 4; ++i) e.d[i] = mem_.read(evtq_ + idx * 32 + 8 * i);
      out.push_back(e);
      cons = (cons & ~mask) | ((cons + 1) & mask);
    }
    // Acknowledge an overflow as arm_smmu_evtq_thread does: OVACKFLG follows OVFLG.
    hw_.writel(off::EVTQ_CONS, (prod & 0x80000000u) | (cons & mask));
    return out;
  }

  std::vector<SmmuTrace> trace;

 private:
  SmmuHwParams p_;
  bool two_level_ = false;
  PhysMem mem_;
  SystemMemory sys_;
  SmmuHw hw_;
  u64 strtab_ = 0, cmdq_ = 0, evtq_ = 0;
  unsigned cmdq_log2_ = 0, evtq_log2_ = 0;
};

}  // namespace iovet::test
