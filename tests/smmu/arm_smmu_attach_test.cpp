// STE and CD encodings field by field, lazy L2 stream tables, domains, and events.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/smmu/smmu_rig.h"

using namespace iovet;
using namespace iovet::test;
using Op = SmmuCommand::Op;

TEST_CASE("smmu attach: stage-1 STE and CD fields", "[smmu]") {
  SmmuRig rig;
  auto dev = rig.probe();
  ArmLpaePgtable pt(s1_cfg((1ull << 12) | (1ull << 21), 48, 44));
  ArmSmmuDomain dom(*dev, pt);
  CHECK(dom.asid() == 1);
  REQUIRE(dev->attach(0x42, SmmuDomainKind::dma, &dom) == 0);
  const smmu::Entry ste = rig.entry_at(dev->ste_pa(0x42));
  const u64 cd_pa = dev->cd_pa(0x42);
  REQUIRE(cd_pa != 0);
  CHECK(bits(ste[0], 0, 0) == 1);              // V
  CHECK(bits(ste[0], 3, 1) == 0b101);          // Config: S1 translate, S2 bypass
  CHECK(bits(ste[0], 5, 4) == 0);              // S1Fmt linear
  CHECK(bits(ste[0], 51, 6) << 6 == cd_pa);    // S1ContextPtr
  CHECK(bits(ste[0], 63, 59) == 0);            // S1CDMax: one CD
  CHECK(bits(ste[1], 1, 0) == 0b10);           // S1DSS: SSID0
  CHECK(bits(ste[1], 3, 2) == 1);              // S1CIR WBRA
  CHECK(bits(ste[1], 5, 4) == 1);              // S1COR WBRA
  CHECK(bits(ste[1], 7, 6) == 3);              // S1CSH inner shareable
  CHECK(bits(ste[1], 31, 30) == 0);            // STRW NS-EL1
  CHECK(ste[2] == 0);                          // S2VMID 0
  CHECK(ste[3] == 0);

  const smmu::Entry cd = rig.entry_at(cd_pa);
  CHECK(bits(cd[0], 5, 0) == 64 - 48);         // T0SZ
  CHECK(bits(cd[0], 7, 6) == 0);               // TG0 4K
  CHECK(bits(cd[0], 9, 8) == 1);               // IRGN0 WBWA
  CHECK(bits(cd[0], 11, 10) == 1);             // ORGN0 WBWA
  CHECK(bits(cd[0], 13, 12) == 3);             // SH0 inner
  CHECK(bits(cd[0], 14, 14) == 0);             // EPD0: TTB0 walks on
  CHECK(bits(cd[0], 30, 30) == 1);             // EPD1
  CHECK(bits(cd[0], 31, 31) == 1);             // V
  CHECK(bits(cd[0], 34, 32) == 4);             // IPS 44 bits
  CHECK(bits(cd[0], 41, 41) == 1);             // AA64
  CHECK(bits(cd[0], 43, 42) == 0);             // HA/HD off
  CHECK(bits(cd[0], 45, 45) == 1);             // R
  CHECK(bits(cd[0], 46, 46) == 1);             // A
  CHECK(bits(cd[0], 47, 47) == 1);             // ASET
  CHECK(bits(cd[0], 63, 48) == 1);             // ASID
  CHECK(cd[1] == pt.pgd_pa());                 // TTB0
  CHECK(cd[3] == 0xf404ff44);                  // MAIR: NC, WBRWA, DEVICE, INC_OWBRWA
  for (unsigned i : {2u, 4u, 5u, 6u, 7u}) CHECK(cd[i] == 0);
}

TEST_CASE("smmu attach: stage-2 STE fields, start level included", "[smmu]") {
  struct Case { u64 pgsizes; unsigned ias; unsigned granule_shift; };
  for (const Case c : {Case{(1ull << 12) | (1ull << 21), 40, 12},   // 4K, concatenated L1
                       Case{(1ull << 12) | (1ull << 21), 48, 12},   // 4K from level 0
                       Case{(1ull << 12), 32, 12},                  // 4K from level 1
                       Case{(1ull << 16) | (1ull << 29), 42, 16},   // 64K
                       Case{(1ull << 14) | (1ull << 25), 47, 14}}) {// 16K
    SmmuRig rig;
    auto dev = rig.probe();
    ArmLpaePgtable pt(s2_cfg(c.pgsizes, c.ias, 48));
    ArmSmmuDomain dom(*dev, pt);
    REQUIRE(dev->attach(7, SmmuDomainKind::dma, &dom) == 0);
    const smmu::Entry ste = rig.entry_at(dev->ste_pa(7));
    INFO("ias " << c.ias << " granule 2^" << c.granule_shift);
    CHECK(bits(ste[0], 3, 0) == 0b1101);         // V, Config S1 bypass + S2 translate
    CHECK(bits(ste[2], 15, 0) == dom.vmid());    // S2VMID
    CHECK(dom.vmid() == 1);
    CHECK(bits(ste[2], 37, 32) == 64 - c.ias);   // S2T0SZ
    // S2SL0 counts back from the last level; 4K starts one level higher (SL0 2 = level 0).
    const int start = pt.geometry().start_level;
    CHECK(bits(ste[2], 39, 38) == static_cast<u64>((c.granule_shift == 12 ? 2 : 3) - start));
    CHECK(bits(ste[2], 41, 40) == 1);            // S2IR0 WBWA
    CHECK(bits(ste[2], 43, 42) == 1);            // S2OR0 WBWA
    CHECK(bits(ste[2], 45, 44) == 3);            // S2SH0 inner
    CHECK(bits(ste[2], 47, 46) == (c.granule_shift == 12 ? 0u : c.granule_shift == 16 ? 1u : 2u));
    CHECK(bits(ste[2], 50, 48) == 5);            // S2PS 48 bits
    CHECK(bits(ste[2], 51, 51) == 1);            // S2AA64
    CHECK(bits(ste[2], 54, 54) == 1);            // S2PTW
    CHECK(bits(ste[2], 58, 58) == 1);            // S2R
    CHECK(ste[3] == pt.pgd_pa());                // S2TTB
    CHECK(dev->cd_pa(7) == 0);                   // no CD table for stage 2
  }
}

TEST_CASE("smmu attach: bypass and abort STEs, SHCFG with ATTR_TYPES_OVR", "[smmu]") {
  SmmuRig rig;
  rig.mmio.idr1 |= 1u << 27;  // ATTR_TYPES_OVR
  auto dev = rig.probe();
  REQUIRE(dev->attach(3, SmmuDomainKind::identity, nullptr) == 0);
  smmu::Entry ste = rig.entry_at(dev->ste_pa(3));
  CHECK(bits(ste[0], 3, 0) == 0b1001);  // V, Config bypass
  CHECK(bits(ste[1], 45, 44) == 1);     // SHCFG incoming
  REQUIRE(dev->attach(3, SmmuDomainKind::blocked, nullptr) == 0);
  ste = rig.entry_at(dev->ste_pa(3));
  CHECK(ste[0] == 1);                   // V, Config abort
  CHECK(ste[1] == 0);
}

TEST_CASE("smmu attach: L2 stream tables appear lazily with a CFGI after the L1 write", "[smmu]") {
  SmmuRig rig;
  auto dev = rig.probe();
  const u64 l1 = rig.mmio.strtab_base & ((1ull << 52) - 64);
  CHECK(dev->ste_pa(0x1234) == 0);
  for (u32 i = 0; i < 256; ++i) REQUIRE(rig.mem.read(l1 + 8 * i) == 0);
  rig.trace.clear();
  REQUIRE(dev->attach(0x1234, SmmuDomainKind::identity, nullptr) == 0);
  const u64 desc = rig.mem.read(l1 + 8 * 0x12);
  CHECK(bits(desc, 4, 0) == 9);  // SPAN: 2^(9-1) STEs
  const u64 l2 = bits(desc, 51, 6) << 6;
  CHECK(dev->ste_pa(0x1234) == l2 + 0x34 * 64);
  CHECK(dev->ste_pa(0x1200) == l2);
  for (u32 s = 0; s < 256; ++s)
    if (s != 0x34) REQUIRE(rig.mem.read(l2 + s * 64) == 1);  // the others abort
  for (u32 i = 0; i < 256; ++i)
    if (i != 0x12) REQUIRE(rig.mem.read(l1 + 8 * i) == 0);
  const auto cmds = rig.issued();
  REQUIRE(cmds.size() >= 2);
  CHECK(cmds[0].op == Op::cfgi_ste);
  CHECK(cmds[0].sid == 0x1234);
  CHECK_FALSE(cmds[0].leaf);
  CHECK(cmds[1].op == Op::sync);
  // A second stream in the same span reuses the table.
  rig.trace.clear();
  REQUIRE(dev->attach(0x12ff, SmmuDomainKind::identity, nullptr) == 0);
  CHECK(rig.issued()[0].leaf);
  // Beyond SIDSIZE: -EINVAL.
  CHECK(dev->attach(1u << 16, SmmuDomainKind::identity, nullptr) == -22);
}

TEST_CASE("smmu domain: what the SMMU cannot do is refused", "[smmu]") {
  SmmuRig rig;
  rig.mmio.idr0 &= ~2u;                   // no stage 1
  rig.mmio.idr5 = (1u << 4) | 2u;         // 4K only, OAS 40
  auto dev = rig.probe();
  ArmLpaePgtable s1(s1_cfg());
  CHECK_THROWS_AS(ArmSmmuDomain(*dev, s1), std::invalid_argument);
  ArmLpaePgtable s2_64k(s2_cfg((1ull << 16) | (1ull << 29), 40, 40));
  CHECK_THROWS_AS(ArmSmmuDomain(*dev, s2_64k), std::invalid_argument);
  ArmLpaePgtable s2_oas(s2_cfg((1ull << 12), 40, 44));
  CHECK_THROWS_AS(ArmSmmuDomain(*dev, s2_oas), std::invalid_argument);
  ArmLpaePgtable ok(s2_cfg((1ull << 12), 40, 40));
  ArmSmmuDomain a(*dev, ok), b(*dev, ok);
  CHECK(a.vmid() == 1);
  CHECK(b.vmid() == 2);
  // A DMA attach without a domain, or with another SMMU's domain, is refused.
  CHECK(dev->attach(1, SmmuDomainKind::dma, nullptr) == -22);
  SmmuRig other;
  other.mmio.idr5 = (1u << 4) | 2u;
  auto dev2 = other.probe();
  ArmSmmuDomain foreign(*dev2, ok);
  CHECK(dev->attach(1, SmmuDomainKind::dma, &foreign) == -22);
}

TEST_CASE("smmu events: records are decoded and consumed, overflow acknowledged", "[smmu]") {
  SmmuRig rig;
  auto dev = rig.probe();
  CHECK(dev->read_events().empty());
  rig.mmio.inject_event({0x10 | (u64{0x42} << 32), (1ull << 35), 0xdead000, 0});
  rig.mmio.inject_event({0x13 | (u64{7} << 32), (1ull << 39), 0xbeef000, 0});
  rig.mmio.inject_event({0x04 | (u64{9} << 32), 0, 0, 0});
  const auto ev = dev->read_events();
  REQUIRE(ev.size() == 3);
  CHECK(ev[0].id == SmmuEvent::Id::f_translation);
  CHECK(ev[0].sid == 0x42);
  CHECK(ev[0].read);
  CHECK_FALSE(ev[0].stage2);
  CHECK(ev[0].input_addr == 0xdead000);
  CHECK(ev[1].id == SmmuEvent::Id::f_permission);
  CHECK_FALSE(ev[1].read);
  CHECK(ev[1].stage2);
  CHECK(ev[2].id == SmmuEvent::Id::c_bad_ste);
  CHECK(ev[2].raw_id == 4);
  CHECK(rig.mmio.evtq_cons == rig.mmio.evtq_prod);
  // The hardware flags an overflow: the driver notices and acknowledges it in CONS.
  rig.mmio.evtq_prod |= 1u << 31;
  CHECK(dev->read_events().empty());
  CHECK(dev->evtq_overflows() == 1);
  CHECK((rig.mmio.evtq_cons >> 31) == 1);
}
