// Translation per stream kind and the event record of each fault.
#include <catch2/catch.hpp>

#include "tests/pgtable/lpae_test_util.h"
#include "tests/smmu_hw/smmu_hw_rig.h"

using namespace iovet;
using namespace iovet::test;

namespace {

constexpr int RW = prot::read | prot::write;

void map(ArmLpaePgtable& pt, u64 iova, u64 pa, u64 size, int prot) {
  u64 mapped = 0;
  REQUIRE(pt.map_pages(iova, pa, size, 1, prot, &mapped) == 0);
}

}  // namespace

TEST_CASE("bypass, abort and invalid streams", "[smmu_hw]") {
  Rig r;
  r.enable();
  r.ste_bypass(1);
  r.ste_abort(2);
  const DeviceAccessResult b = r.hw().access(1, 0xdead'b000, true);
  CHECK(b.ok);
  CHECK(b.phys == 0xdead'b000);
  CHECK_FALSE(r.hw().access(2, 0x1000, false).ok);
  CHECK(r.events().empty());  // Config = abort is silent

  CHECK_FALSE(r.hw().access(3, 0x1000, false).ok);  // V = 0
  auto ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x04);  // C_BAD_STE
  CHECK(ev[0].sid() == 3);

  CHECK_FALSE(r.hw().access(1u << 8, 0x1000, false).ok);  // beyond SIDSIZE
  ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x02);  // C_BAD_STREAMID
  CHECK(ev[0].sid() == 1u << 8);

  // Reserved Config 0b001 is ILLEGAL.
  r.write_ste(4, {1 | put(3, 1, 1), 0, 0, 0});
  CHECK_FALSE(r.hw().access(4, 0, false).ok);
  ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x04);
  CHECK(r.hw().stream_view(4).kind == StreamView::Kind::invalid);
  CHECK(r.hw().stream_view(1).kind == StreamView::Kind::bypass);
  CHECK(r.hw().stream_view(2).kind == StreamView::Kind::abort);
}

TEST_CASE("stage-1 translation, permissions and its view", "[smmu_hw]") {
  ArmLpaePgtable pt(test::lpae_cfg_for_granule(Format::arm64_lpae_s1, 4096, 48, 48));
  Rig r;
  r.add(pt.phys_mem());
  r.enable();
  map(pt, 0x10'0000, 0x4000'0000, 4096, RW);
  map(pt, 0x20'0000, 0x5000'0000, 4096, prot::read);
  map(pt, 0x4000'0000, 0x6000'0000, 1u << 21, RW);  // a 2M block
  const u64 cd = r.cd_s1(pt, 7);
  r.ste_s1(5, cd, 3);

  DeviceAccessResult a = r.hw().access(5, 0x10'0123, true);
  CHECK(a.ok);
  CHECK(a.phys == 0x4000'0123);
  a = r.hw().access(5, 0x4012'3456, false);
  CHECK(a.ok);
  CHECK(a.phys == 0x6012'3456);
  CHECK(r.hw().access(5, 0x20'0008, false).ok);
  CHECK_FALSE(r.hw().access(5, 0x20'0008, true).ok);  // read-only
  auto ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x13);  // F_PERMISSION
  CHECK(ev[0].sid() == 5);
  CHECK(ev[0].input_addr() == 0x20'0008);
  CHECK_FALSE(ev[0].rnw());
  CHECK_FALSE(ev[0].s2());
  CHECK(ev[0].cls() == 2);  // CLASS = IN

  const StreamView v = r.hw().stream_view(5);
  CHECK(v.kind == StreamView::Kind::s1);
  CHECK(v.cd_table == cd);
  CHECK(v.cd_valid);
  CHECK(v.asid == 7);
  CHECK(v.vmid == 3);
  CHECK(v.ttb == pt.pgd_pa());
  CHECK(v.tsz == 16);
  CHECK(v.tg == 12);
  CHECK(v.ps == 48);
  CHECK(v.mair == 0x0004ff44);
  CHECK(v.epd1);

  const Translation t = r.hw().walk(5, 0x20'0010);
  CHECK(t.valid);
  CHECK(t.phys == 0x5000'0010);
  CHECK(t.read);
  CHECK_FALSE(t.write);
}

TEST_CASE("stage-2 translation with concatenated tables and s2ap", "[smmu_hw]") {
  // 16K, 48-bit: the walk must start one level lower on two concatenated tables.
  ArmLpaePgtable pt(test::lpae_cfg_for_granule(Format::arm64_lpae_s2, 16384, 48, 48));
  REQUIRE(pt.geometry().concatenated);
  Rig r;
  r.add(pt.phys_mem());
  r.enable();
  map(pt, 0x8000'0000'0000, 0x1'0000'0000, 16384, RW);  // upper concatenated table
  map(pt, 0x4000, 0x2'0000'0000, 16384, prot::write);   // write-only
  r.ste_s2(9, pt, 42);
  DeviceAccessResult a = r.hw().access(9, 0x8000'0000'0abc, true);
  CHECK(a.ok);
  CHECK(a.phys == 0x1'0000'0abc);
  CHECK(r.hw().access(9, 0x4010, true).ok);
  CHECK_FALSE(r.hw().access(9, 0x4010, false).ok);
  auto ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x13);
  CHECK(ev[0].rnw());
  CHECK(ev[0].s2());
  CHECK(ev[0].ipa() == 0x4000);

  const StreamView v = r.hw().stream_view(9);
  CHECK(v.kind == StreamView::Kind::s2);
  CHECK(v.vmid == 42);
  CHECK(v.ttb == pt.pgd_pa());
  CHECK(v.tsz == 16);
  CHECK(v.tg == 14);
  CHECK(v.sl0 == 2);  // 16K SL0: 0 level 3, 1 level 2, 2 level 1 (start level 1 here)
  CHECK(v.ps == 48);
}

TEST_CASE("fault events: translation, access flag, address size, bad cd", "[smmu_hw]") {
  ArmLpaePgtable pt(test::lpae_cfg_for_granule(Format::arm64_lpae_s1, 4096, 48, 48));
  ArmLpaePgtable pt2(test::lpae_cfg_for_granule(Format::arm64_lpae_s2, 4096, 40, 48));
  Rig r;
  r.add(pt.phys_mem());
  r.add(pt2.phys_mem());
  r.enable();
  map(pt, 0x1000, 0x4000'0000, 4096, RW);
  map(pt, 0x2000, 0x40'0000'0000, 4096, RW);  // beyond a 36-bit IPS
  map(pt2, 0x3000, 0x4000'0000, 4096, RW);
  r.ste_s1(1, r.cd_s1(pt, 1));
  r.ste_s2(2, pt2, 5);

  SECTION("translation fault, stage 1 and stage 2") {
    CHECK_FALSE(r.hw().access(1, 0x9000, false).ok);
    CHECK_FALSE(r.hw().access(2, 0x9123, true).ok);
    CHECK_FALSE(r.hw().access(2, u64{1} << 40, false).ok);  // beyond S2T0SZ
    auto ev = r.events();
    REQUIRE(ev.size() == 3);
    CHECK(ev[0].id() == 0x10);
    CHECK(ev[0].sid() == 1);
    CHECK(ev[0].input_addr() == 0x9000);
    CHECK(ev[0].rnw());
    CHECK_FALSE(ev[0].s2());
    CHECK(ev[1].id() == 0x10);
    CHECK(ev[1].sid() == 2);
    CHECK(ev[1].input_addr() == 0x9123);
    CHECK_FALSE(ev[1].rnw());
    CHECK(ev[1].s2());
    CHECK(ev[1].ipa() == 0x9000);
    CHECK(ev[2].id() == 0x10);
    CHECK(ev[2].input_addr() == u64{1} << 40);
  }
  SECTION("access flag fault unless AFFD") {
    const u64 pte_pa = leaf_pte_pa(pt, 0x1000);
    pt.phys_mem().write(pte_pa, pt.phys_mem().read(pte_pa) & ~(u64{1} << 10));
    CHECK_FALSE(r.hw().access(1, 0x1000, false).ok);
    auto ev = r.events();
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].id() == 0x12);
    CHECK(r.hw().walk(1, 0x1000).valid == false);
    r.ste_s1(3, r.cd_s1(pt, 1, /*affd=*/true));
    CHECK(r.hw().access(3, 0x1000, false).ok);
    CHECK(r.events().empty());
  }
  SECTION("address size fault beyond ips") {
    r.ste_s1(4, r.cd_s1(pt, 2, false, 36));
    CHECK(r.hw().access(4, 0x1000, false).ok);
    CHECK_FALSE(r.hw().access(4, 0x2000, false).ok);
    auto ev = r.events();
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].id() == 0x11);
    CHECK(ev[0].input_addr() == 0x2000);
    CHECK(r.hw().stream_view(4).ps == 36);
  }
  SECTION("cd with V = 0 reports C_BAD_CD; its view says so") {
    const u64 cd = r.cd_s1(pt, 1);
    r.mem().write(cd, r.mem().read(cd) & ~(u64{1} << 31));
    r.ste_s1(6, cd);
    CHECK_FALSE(r.hw().access(6, 0x1000, false).ok);
    auto ev = r.events();
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].id() == 0x0a);
    CHECK(ev[0].sid() == 6);
    const StreamView v = r.hw().stream_view(6);
    CHECK(v.kind == StreamView::Kind::s1);
    CHECK_FALSE(v.cd_valid);
    CHECK(v.cd_table == cd);
    // An ILLEGAL CD (AA64 = 0) makes the view invalid.
    r.mem().write(cd, (r.mem().read(cd) | (u64{1} << 31)) & ~(u64{1} << 41));
    CHECK(r.hw().stream_view(6).kind == StreamView::Kind::invalid);
  }
}

TEST_CASE("event queue overflow drops records and toggles OVFLG once", "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.evtq_log2 = 2;  // 4 records
  Rig r(p);
  r.enable();
  for (u32 sid = 10; sid < 16; ++sid) CHECK_FALSE(r.hw().access(sid, 0, false).ok);
  const u32 prod = r.hw().readl(off::EVTQ_PROD);
  CHECK(get(prod, 31, 31) == 1);
  auto ev = r.events();  // acknowledges the overflow
  REQUIRE(ev.size() == 4);
  for (unsigned i = 0; i < 4; ++i) CHECK(ev[i].sid() == 10 + i);
  CHECK(get(r.hw().readl(off::EVTQ_CONS), 31, 31) == 1);
  CHECK_FALSE(r.hw().access(20, 0, false).ok);
  ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].sid() == 20);
  CHECK(get(r.hw().readl(off::EVTQ_PROD), 31, 31) == 1);  // no new overflow
}

TEST_CASE("two-level stream table", "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.st_2lvl = true;
  p.sidsize = 16;
  Rig r(p, /*two_level=*/true);
  r.enable();
  r.add_l2(0x1234);        // full 256-entry L2 table for SIDs 0x1200..0x12ff
  r.add_l2(0x3400, 2);     // SPAN 2: only SIDs 0x3400, 0x3401
  r.ste_bypass(0x1234);
  r.ste_bypass(0x3401);
  CHECK(r.hw().access(0x1234, 0x7000, false).ok);
  CHECK(r.hw().access(0x3401, 0x7000, false).ok);
  CHECK_FALSE(r.hw().access(0x3402, 0x7000, false).ok);  // beyond SPAN
  CHECK_FALSE(r.hw().access(0x5000, 0x7000, false).ok);  // L1 descriptor invalid
  auto ev = r.events();
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].id() == 0x02);
  CHECK(ev[0].sid() == 0x3402);
  CHECK(ev[1].id() == 0x02);
  CHECK(ev[1].sid() == 0x5000);
  CHECK(r.hw().stream_view(0x1234).kind == StreamView::Kind::bypass);
  CHECK(r.hw().stream_view(0x1235).kind == StreamView::Kind::invalid);
}

TEST_CASE("walk external abort, illegal stage-2 geometry, events off", "[smmu_hw]") {
  ArmLpaePgtable pt(test::lpae_cfg_for_granule(Format::arm64_lpae_s2, 4096, 40, 48));
  map(pt, 0x1000, 0x4000'0000, 4096, RW);
  Rig r;  // the page table's memory is NOT reachable: every walk aborts
  r.enable();
  r.ste_s2(1, pt, 1);
  CHECK_FALSE(r.hw().access(1, 0x1000, false).ok);
  auto ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x0b);  // F_WALK_EABT
  CHECK(ev[0].s2());
  CHECK(get(ev[0].d[3], 51, 3) << 3 != 0);  // FetchAddr of the descriptor

  // S2T0SZ 40 bits with SL0 = 0 (4K: start at level 2) would need 2^10 concatenated tables.
  const u64 vtcr = put(5, 0, 24) | put(7, 6, 0) | put(15, 14, 0) | put(18, 16, 5);
  r.write_ste(2, {1 | put(3, 1, 6), 0, put(50, 32, vtcr) | put(51, 51, 1), pt.pgd_pa()});
  CHECK_FALSE(r.hw().access(2, 0x1000, false).ok);
  ev = r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x04);
  CHECK(r.hw().stream_view(2).kind == StreamView::Kind::invalid);

  r.hw().writel(off::CR0, 0x9);  // EVTQEN off: faults still abort, records are discarded
  CHECK_FALSE(r.hw().access(3, 0, false).ok);
  CHECK(r.events().empty());
}
