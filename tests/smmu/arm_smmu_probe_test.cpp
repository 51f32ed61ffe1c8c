// Probe and reset against a fake register file.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/smmu/smmu_rig.h"

using namespace iovet;
using namespace iovet::test;
using Op = SmmuCommand::Op;

TEST_CASE("smmu probe: ID registers become features", "[smmu]") {
  SmmuRig rig;
  rig.mmio.idr3 = 1u << 10;                                  // RIL
  rig.mmio.idr5 = (1u << 4) | (1u << 6) | 6u | (1u << 10);  // 4K, 64K, OAS 52, VAX 52
  auto dev = rig.probe();
  const ArmSmmuFeatures& f = dev->features();
  CHECK(f.two_lvl_strtab);
  CHECK(f.trans_s1);
  CHECK(f.trans_s2);
  CHECK(f.ril);
  CHECK(f.vax);
  CHECK(f.asid_bits == 16);
  CHECK(f.vmid_bits == 16);
  CHECK(f.sid_bits == 16);
  CHECK(f.oas == 52);
  CHECK(f.ias == 52);
  CHECK(f.cmdq_shift == 8);
  CHECK(f.evtq_shift == 8);
  // 4K|2M|1G, 64K|512M, and 4TB blocks with a 52-bit OAS; no 16K.
  CHECK(f.pgsize_bitmap == ((1ull << 12) | (1ull << 21) | (1ull << 30) | (1ull << 16) |
                            (1ull << 29) | (1ull << 42)));
}

TEST_CASE("smmu probe: small ID values (8-bit ASIDs, linear table, no RIL)", "[smmu]") {
  SmmuRig rig;
  rig.mmio.idr0 = (2u << 21) | (2u << 2) | 1u;  // LE, AArch64, S2 only, linear
  rig.mmio.idr1 = (7u << 21) | (5u << 16) | 8u;  // 128-entry cmdq, 32-entry evtq, 8 SID bits
  rig.mmio.idr5 = (1u << 4) | 2u;                // 4K, OAS 40
  auto dev = rig.probe();
  const ArmSmmuFeatures& f = dev->features();
  CHECK_FALSE(f.two_lvl_strtab);
  CHECK_FALSE(f.trans_s1);
  CHECK(f.trans_s2);
  CHECK_FALSE(f.ril);
  CHECK(f.asid_bits == 8);
  CHECK(f.vmid_bits == 8);
  CHECK(f.oas == 40);
  CHECK(f.ias == 40);
  CHECK(f.cmdq_shift == 7);
  CHECK(f.evtq_shift == 5);
  // Linear stream table of 256 aborting STEs, LOG2SIZE = 8.
  CHECK(bits(rig.mmio.strtab_base_cfg, 17, 16) == 0);
  CHECK(bits(rig.mmio.strtab_base_cfg, 5, 0) == 8);
  const u64 base = rig.mmio.strtab_base & ((1ull << 52) - 64);
  for (u32 sid = 0; sid < 256; ++sid) {
    REQUIRE(rig.mem.read(base + sid * 64) == 1);  // V=1, Config=abort
    REQUIRE(dev->ste_pa(sid) == base + sid * 64);
  }
  CHECK(dev->ste_pa(256) == 0);
}

TEST_CASE("smmu probe: reset programs tables, queues and invalidates all", "[smmu]") {
  SmmuRig rig;
  auto dev = rig.probe();
  // CR0: CMDQEN | EVTQEN | SMMUEN.
  CHECK(rig.mmio.cr0 == ((1u << 3) | (1u << 2) | 1u));
  // CR1: tables and queues inner-shareable write-back; CR2: PTM | RECINVSID.
  CHECK(rig.mmio.cr1 == 0xd75);
  CHECK(rig.mmio.cr2 == 0x6);
  // Two-level table: FMT 1, SPLIT 8, LOG2SIZE 16 for 16 SID bits; RA set.
  CHECK(bits(rig.mmio.strtab_base_cfg, 17, 16) == 1);
  CHECK(bits(rig.mmio.strtab_base_cfg, 10, 6) == 8);
  CHECK(bits(rig.mmio.strtab_base_cfg, 5, 0) == 16);
  CHECK(bits(rig.mmio.strtab_base, 62, 62) == 1);
  CHECK(bits(rig.mmio.cmdq_base, 4, 0) == 8);
  CHECK(bits(rig.mmio.cmdq_base, 62, 62) == 1);
  CHECK(bits(rig.mmio.evtq_base, 4, 0) == 8);
  const auto cmds = rig.issued();
  REQUIRE(cmds.size() == 4);
  CHECK(cmds[0].op == Op::cfgi_all);
  CHECK(cmds[1].op == Op::sync);
  CHECK(cmds[2].op == Op::tlbi_nsnh_all);
  CHECK(cmds[3].op == Op::sync);
  // The fake consumed exactly those, in order: CFGI_ALL (0x04, RANGE 31), SYNC (0x46, CS=SEV).
  REQUIRE(rig.mmio.consumed.size() == 4);
  CHECK(bits(rig.mmio.consumed[0][0], 7, 0) == 0x04);
  CHECK(bits(rig.mmio.consumed[0][1], 4, 0) == 31);
  CHECK(bits(rig.mmio.consumed[1][0], 7, 0) == 0x46);
  CHECK(bits(rig.mmio.consumed[1][0], 13, 12) == 2);
  CHECK(bits(rig.mmio.consumed[2][0], 7, 0) == 0x30);
}

TEST_CASE("smmu probe: unusable hardware throws", "[smmu]") {
  const auto probe_with = [](auto tweak) {
    SmmuRig rig;
    tweak(rig.mmio);
    rig.probe();
  };
  CHECK_NOTHROW(probe_with([](FakeSmmuMmio&) {}));
  // No translation stage at all.
  CHECK_THROWS_AS(probe_with([](FakeSmmuMmio& m) { m.idr0 &= ~3u; }), std::runtime_error);
  // Big-endian-only table walks.
  CHECK_THROWS_AS(probe_with([](FakeSmmuMmio& m) { m.idr0 |= 3u << 21; }), std::runtime_error);
  // AArch32-only table format.
  CHECK_THROWS_AS(probe_with([](FakeSmmuMmio& m) { m.idr0 = (m.idr0 & ~(3u << 2)) | (1u << 2); }),
                  std::runtime_error);
  // A 64-entry command queue cannot hold a batch plus its SYNC.
  CHECK_THROWS_AS(probe_with([](FakeSmmuMmio& m) { m.idr1 = (m.idr1 & ~(31u << 21)) | (6u << 21); }),
                  std::runtime_error);
  // Preset tables (embedded implementation).
  CHECK_THROWS_AS(probe_with([](FakeSmmuMmio& m) { m.idr1 |= 1u << 30; }), std::runtime_error);
}
