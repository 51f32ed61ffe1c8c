// The register file: ID registers follow the parameters, CR0/CR0ACK, IRQ_CTRL and GBPA
// handshakes complete, and SMMUEN = 0 follows GBPA.
#include <catch2/catch.hpp>

#include "tests/smmu_hw/smmu_hw_rig.h"

using namespace iovet;
using namespace iovet::test;

TEST_CASE("id registers reflect the parameters", "[smmu_hw]") {
  SmmuHwParams p;
  p.sidsize = 16;
  p.st_2lvl = true;
  p.ril = false;
  p.asid16 = false;
  p.vmid16 = true;
  p.s1 = true;
  p.s2 = false;
  p.oas = 44;
  p.gran16k = false;
  p.cmdq_log2 = 10;
  p.evtq_log2 = 6;
  PhysMem mem(4096, Rig::mem_base);
  SystemMemory sys;
  sys.add(mem);
  SmmuHw hw(p, sys);
  const u32 idr0 = hw.readl(off::IDR0), idr1 = hw.readl(off::IDR1);
  const u32 idr3 = hw.readl(off::IDR3), idr5 = hw.readl(off::IDR5);
  CHECK(get(idr0, 28, 27) == 1);   // ST_LVL 2-level
  CHECK(get(idr0, 18, 18) == 1);   // VMID16
  CHECK(get(idr0, 12, 12) == 0);   // ASID16
  CHECK(get(idr0, 1, 1) == 1);     // S1P
  CHECK(get(idr0, 0, 0) == 0);     // S2P
  CHECK(get(idr0, 3, 2) == 2);     // TTF AArch64
  CHECK(get(idr0, 25, 24) != 0);   // no stalls (Linux would otherwise enable them)
  CHECK(get(idr1, 5, 0) == 16);
  CHECK(get(idr1, 25, 21) == 10);
  CHECK(get(idr1, 20, 16) == 6);
  CHECK(get(idr1, 10, 6) == 0);    // SSIDSIZE
  CHECK(get(idr3, 10, 10) == 0);   // RIL
  CHECK(get(idr5, 2, 0) == 4);     // OAS 44 bits
  CHECK(get(idr5, 4, 4) == 1);
  CHECK(get(idr5, 5, 5) == 0);
  CHECK(get(idr5, 6, 6) == 1);

  SmmuHwParams q;  // defaults
  SmmuHw hw2(q, sys);
  CHECK(get(hw2.readl(off::IDR0), 28, 27) == 0);
  CHECK(get(hw2.readl(off::IDR0), 0, 0) == 1);
  CHECK(get(hw2.readl(off::IDR3), 10, 10) == 1);
  CHECK(get(hw2.readl(off::IDR5), 2, 0) == 5);
  CHECK(get(hw2.readl(off::IDR1), 5, 0) == 8);
}

TEST_CASE("enable handshake, irq ack and gbpa update complete", "[smmu_hw]") {
  Rig r;
  SmmuHw& hw = r.hw();
  CHECK(hw.readl(off::CR0ACK) == 0);
  hw.writel(off::CR0, 0x8);  // CMDQEN
  CHECK(hw.readl(off::CR0ACK) == 0x8);
  hw.writel(off::CR0, 0xc);  // + EVTQEN
  CHECK(hw.readl(off::CR0ACK) == 0xc);
  hw.writel(off::CR0, 0xd);  // + SMMUEN
  CHECK(hw.readl(off::CR0ACK) == 0xd);
  hw.writel(off::CR0, 0x2);  // PRIQEN: the model has no PRI queue (IDR0.PRI = 0), so no ack
  CHECK(hw.readl(off::CR0ACK) == 0);
  hw.writel(off::IRQ_CTRL, 0x5);
  CHECK(hw.readl(off::IRQ_CTRLACK) == 0x5);
  // arm_smmu_update_gbpa: write with UPDATE set, poll until UPDATE clears.
  hw.writel(off::GBPA, (1u << 31) | (1u << 20));
  CHECK(get(hw.readl(off::GBPA), 31, 31) == 0);
  CHECK(get(hw.readl(off::GBPA), 20, 20) == 1);
  // 64-bit registers read back through both widths.
  hw.writeq(off::STRTAB_BASE, 0x1234'5678'9ac0);
  CHECK(hw.readq(off::STRTAB_BASE) == 0x1234'5678'9ac0);
  CHECK(hw.readl(off::STRTAB_BASE + 4) == 0x1234);
}

TEST_CASE("smmuen clear: gbpa abort aborts, gbpa bypass bypasses, no events", "[smmu_hw]") {
  Rig r;
  r.hw().writel(off::CR0, 0xc);  // queues on, translation off
  r.ste_bypass(1);
  CHECK_FALSE(r.hw().access(1, 0x1000, false).ok);  // GBPA.ABORT resets set
  r.hw().writel(off::GBPA, 1u << 31);               // clear ABORT
  const DeviceAccessResult a = r.hw().access(7, 0x5000, true);
  CHECK(a.ok);
  CHECK(a.phys == 0x5000);
  CHECK(r.events().empty());
}
