// The IOTLB and the configuration cache keep stale entries until the matching invalidation,
// and no longer; range and TTL forms invalidate exactly what they name.
#include <catch2/catch.hpp>

#include "tests/pgtable/lpae_test_util.h"
#include "tests/smmu_hw/smmu_hw_rig.h"

using namespace iovet;
using namespace iovet::test;

namespace {

constexpr int RW = prot::read | prot::write;
constexpr unsigned TLBI_NH_ASID = 0x11, TLBI_NH_VA = 0x12, TLBI_S12_VMALL = 0x28,
                   TLBI_S2_IPA = 0x2a, TLBI_NSNH_ALL = 0x30;

struct S1Rig {
  ArmLpaePgtable pt{test::lpae_cfg_for_granule(Format::arm64_lpae_s1, 4096, 48, 48)};
  Rig r;
  S1Rig(const SmmuHwParams& p = small_params()) : r(p) {
    r.add(pt.phys_mem());
    r.enable();
    r.ste_s1(1, r.cd_s1(pt, 7), 0);
  }
  void map(u64 iova, u64 pa, u64 size) {
    u64 mapped;
    REQUIRE(pt.map_pages(iova, pa, size, 1, RW, &mapped) == 0);
  }
  void unmap(u64 iova, u64 size) { REQUIRE(pt.unmap_pages(iova, size, 1, nullptr) == size); }
  bool ok(u64 iova) { return r.hw().access(1, iova, false).ok; }
};

}  // namespace

TEST_CASE("iotlb keeps a stale entry until TLBI_NH_VA and SYNC", "[smmu_hw]") {
  S1Rig s;
  s.map(0x10'0000, 0x4000'0000, 4096);
  CHECK(s.ok(0x10'0000));
  CHECK(s.r.hw().stats().iotlb_misses == 1);
  s.unmap(0x10'0000, 4096);
  const DeviceAccessResult stale = s.r.hw().access(1, 0x10'0010, false);
  CHECK(stale.ok);  // the point: the hardware still translates
  CHECK(stale.iotlb_hit);
  CHECK(stale.phys == 0x4000'0010);
  CHECK_FALSE(s.r.hw().walk(1, 0x10'0000).valid);
  // Another ASID or another page does not remove it.
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 8, 0), Rig::tlbi1(0x10'0000, true));
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x10'1000, true));
  CHECK(s.ok(0x10'0000));
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x10'0000, true));
  CHECK_FALSE(s.ok(0x10'0000));
  auto ev = s.r.events();
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id() == 0x10);
}

TEST_CASE("range TLBI covers exactly (NUM+1) << SCALE pages", "[smmu_hw]") {
  const unsigned num = GENERATE(0u, 2u, 5u);
  const unsigned scale = GENERATE(0u, 1u, 3u);
  S1Rig s;
  const u64 pages = u64{num + 1} << scale;
  const u64 base = 0x40'0000;
  for (u64 i = 0; i <= pages; ++i) s.map(base + i * 4096, 0x4000'0000 + i * 4096, 4096);
  for (u64 i = 0; i <= pages; ++i) CHECK(s.ok(base + i * 4096));
  for (u64 i = 0; i <= pages; ++i) s.unmap(base + i * 4096, 4096);
  // TG = 1 (4K), TTL = 3: last-level entries.
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0, num, scale), Rig::tlbi1(base, true, 1, 3));
  for (u64 i = 0; i < pages; ++i) CHECK_FALSE(s.ok(base + i * 4096));
  CHECK(s.ok(base + pages * 4096));  // one page beyond stays cached
}

TEST_CASE("a wrong TTL or TG does not invalidate; the right one does", "[smmu_hw]") {
  S1Rig s;
  s.map(0x4000'0000, 0x8000'0000, 1u << 21);  // 2M block: level 2
  s.map(0x10'0000, 0x4000'0000, 4096);         // page: level 3
  CHECK(s.ok(0x4000'0000));
  CHECK(s.ok(0x10'0000));
  s.unmap(0x4000'0000, 1u << 21);
  s.unmap(0x10'0000, 4096);
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x4000'0000, true, 1, 3));  // TTL 3: wrong
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x10'0000, true, 1, 2));    // TTL 2: wrong
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x10'0000, true, 2, 0));    // TG 16K: wrong
  CHECK(s.ok(0x4010'0000));
  CHECK(s.ok(0x10'0000));
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x4000'0000, true, 1, 2));
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x10'0000, true, 1, 0));  // no hint
  CHECK_FALSE(s.ok(0x4010'0000));
  CHECK_FALSE(s.ok(0x10'0000));
}

TEST_CASE("TLBI_NH_ASID and TLBI_NSNH_ALL", "[smmu_hw]") {
  S1Rig s;
  s.map(0x1000, 0x4000'0000, 4096);
  CHECK(s.ok(0x1000));
  s.unmap(0x1000, 4096);
  s.r.cmd(Rig::tlbi0(TLBI_NH_ASID, 8, 0));
  CHECK(s.ok(0x1000));
  s.r.cmd(Rig::tlbi0(TLBI_NH_ASID, 7, 0));
  CHECK_FALSE(s.ok(0x1000));
  s.map(0x2000, 0x4000'0000, 4096);
  CHECK(s.ok(0x2000));
  s.unmap(0x2000, 4096);
  s.r.cmd(Rig::tlbi0(TLBI_NSNH_ALL, 0, 0));
  CHECK_FALSE(s.ok(0x2000));
}

TEST_CASE("stage-2 entries: TLBI_S2_IPA by VMID and range, TLBI_S12_VMALL", "[smmu_hw]") {
  ArmLpaePgtable pt(test::lpae_cfg_for_granule(Format::arm64_lpae_s2, 65536, 42, 48));
  Rig r;
  r.add(pt.phys_mem());
  r.enable();
  r.ste_s2(3, pt, 9);
  u64 mapped;
  for (u64 i = 0; i < 4; ++i)
    REQUIRE(pt.map_pages(i << 16, 0x4000'0000 + (i << 16), 65536, 1, RW, &mapped) == 0);
  for (u64 i = 0; i < 4; ++i) CHECK(r.hw().access(3, i << 16, true).ok);
  for (u64 i = 0; i < 4; ++i) pt.unmap_pages(i << 16, 65536, 1, nullptr);
  r.cmd(Rig::tlbi0(TLBI_S2_IPA, 0, 10), Rig::tlbi1(0, true));  // other VMID
  CHECK(r.hw().access(3, 0, true).ok);
  // 64K granule (TG 3), NUM 1: IPAs 0 and 0x10000.
  r.cmd(Rig::tlbi0(TLBI_S2_IPA, 0, 9, 1, 0), Rig::tlbi1(0, true, 3, 3));
  CHECK_FALSE(r.hw().access(3, 0, true).ok);
  CHECK_FALSE(r.hw().access(3, 0x10000, true).ok);
  CHECK(r.hw().access(3, 0x20000, true).ok);
  r.cmd(Rig::tlbi0(TLBI_S12_VMALL, 0, 9));
  CHECK_FALSE(r.hw().access(3, 0x30000, true).ok);
}

TEST_CASE("configuration cache is stale until CFGI_STE / CFGI_CD", "[smmu_hw]") {
  ArmLpaePgtable a(test::lpae_cfg_for_granule(Format::arm64_lpae_s1, 4096, 48, 48));
  Rig r;
  r.add(a.phys_mem());
  r.enable();
  r.ste_bypass(4);
  CHECK(r.hw().access(4, 0x1000, false).ok);
  r.ste_abort(4);
  CHECK(r.hw().stream_view(4).kind == StreamView::Kind::abort);  // memory says abort
  CHECK(r.hw().access(4, 0x1000, false).ok);                     // the cache says bypass
  r.cmd(Rig::cfgi_ste0(5), 1);
  CHECK(r.hw().access(4, 0x1000, false).ok);
  r.cmd(Rig::cfgi_ste0(4), 1);
  CHECK_FALSE(r.hw().access(4, 0x1000, false).ok);

  // CD: a new ASID is seen only after CFGI_CD.
  u64 mapped;
  REQUIRE(a.map_pages(0x1000, 0x4000'0000, 4096, 1, RW, &mapped) == 0);
  const u64 cd = r.cd_s1(a, 1);
  r.ste_s1(4, cd);
  r.cmd(Rig::cfgi_ste0(4), 1);
  CHECK(r.hw().access(4, 0x1000, false).ok);
  r.write_cd(cd, a, 2);
  a.unmap_pages(0x1000, 4096, 1, nullptr);
  CHECK(r.hw().access(4, 0x1000, false).ok);  // old CD (ASID 1), its IOTLB entry
  r.cmd(Rig::cfgi_cd0(4, 0), 1);
  CHECK_FALSE(r.hw().access(4, 0x1000, false).ok);  // ASID 2 has no entry: walk faults
  // Only the first transaction missed: every later one found what a CFGI had fetched.
  CHECK(r.hw().stats().cfg_misses == 1);
  CHECK(r.hw().stats().cfg_hits >= 4);
}

TEST_CASE("iotlb replacement: LRU keeps the recently used entry, every policy is bounded",
          "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.iotlb_entries = 2;
  S1Rig s(p);
  for (u64 i = 0; i < 3; ++i) s.map(i << 12, 0x4000'0000 + (i << 12), 4096);
  CHECK(s.ok(0x0000));
  CHECK(s.ok(0x1000));
  CHECK(s.ok(0x0000));  // 0x0000 is now the most recently used
  CHECK(s.ok(0x2000));  // evicts 0x1000
  for (u64 i = 0; i < 3; ++i) s.unmap(i << 12, 4096);
  CHECK(s.ok(0x0000));
  CHECK(s.ok(0x2000));
  CHECK_FALSE(s.ok(0x1000));

  for (auto repl : {SmmuHwParams::Replacement::fifo, SmmuHwParams::Replacement::random}) {
    p.replacement = repl;
    S1Rig f(p);
    for (u64 i = 0; i < 8; ++i) f.map(i << 12, 0x4000'0000 + (i << 12), 4096);
    for (u64 i = 0; i < 8; ++i) CHECK(f.ok(i << 12));
    for (u64 i = 0; i < 8; ++i) f.unmap(i << 12, 4096);
    unsigned cached = 0;
    for (u64 i = 0; i < 8; ++i) cached += f.ok(i << 12);
    CHECK(cached == 2);
    if (repl == SmmuHwParams::Replacement::fifo) {
      CHECK(f.r.hw().access(1, 7 << 12, false).ok);  // the last two inserted stay
      CHECK(f.r.hw().access(1, 6 << 12, false).ok);
    }
  }
}

// Each stream keeps the IOTLB entry it used last (its micro-TLB): a hit through it must count
// for replacement like any hit, and must end with the entry.
TEST_CASE("a stream's micro-TLB hit counts for LRU and never outlives its entry", "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.iotlb_entries = 2;
  S1Rig s(p);
  s.r.ste_s1(2, s.r.cd_s1(s.pt, 7), 0);  // stream 2 shares stream 1's ASID: one set of entries
  auto ok2 = [&](u64 iova) { return s.r.hw().access(2, iova, false).ok; };
  for (u64 i = 0; i < 3; ++i) s.map(i << 12, 0x4000'0000 + (i << 12), 4096);
  CHECK(ok2(0x0000));   // fill A (and cache stream 2's configuration)
  CHECK(s.ok(0x1000));  // fill B
  CHECK(s.ok(0x0000));  // A, which stream 1's micro-TLB now holds
  CHECK(ok2(0x1000));   // B, the most recent
  const u64 misses = s.r.hw().stats().iotlb_misses;
  CHECK(s.ok(0x0000));  // A through the micro-TLB: now A is the most recent
  CHECK(s.r.hw().stats().iotlb_misses == misses);
  CHECK(ok2(0x2000));   // C evicts B
  for (u64 i = 0; i < 3; ++i) s.unmap(i << 12, 4096);
  CHECK(s.ok(0x0000));
  CHECK_FALSE(ok2(0x1000));
  // Two more fills evict A: stream 1's next access walks and faults.
  s.map(0x3000, 0x4000'3000, 4096);
  s.map(0x4000, 0x4000'4000, 4096);
  CHECK(ok2(0x3000));
  CHECK(ok2(0x4000));
  CHECK_FALSE(s.ok(0x0000));
}

TEST_CASE("a block entry goes with any address inside it; CFGI_ALL drops every config",
          "[smmu_hw]") {
  S1Rig s;
  s.map(0x4000'0000, 0x8000'0000, 1u << 21);
  CHECK(s.ok(0x4000'0000));
  s.unmap(0x4000'0000, 1u << 21);
  CHECK(s.ok(0x401f'f000));  // the 2M entry answers for the whole block
  s.r.cmd(Rig::tlbi0(TLBI_NH_VA, 7, 0), Rig::tlbi1(0x4012'3000, true));
  CHECK_FALSE(s.ok(0x4000'0000));

  s.r.ste_bypass(2);
  CHECK(s.r.hw().access(2, 0, false).ok);
  s.r.ste_abort(2);
  s.r.cmd(0x04 | put(63, 32, 8), 1);  // CFGI_STE_RANGE RANGE 1: SIDs 8..11 only
  CHECK(s.r.hw().access(2, 0, false).ok);
  s.r.cmd(0x04, 31);  // CFGI_ALL
  CHECK_FALSE(s.r.hw().access(2, 0, false).ok);
}

TEST_CASE("a configuration cache too small for a stage-1 stream still translates",
          "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.cfg_cache_entries = 1;  // the CD evicts the STE and the STE the CD
  S1Rig s(p);
  s.map(0x1000, 0x4000'0000, 4096);
  for (int i = 0; i < 4; ++i) {
    const DeviceAccessResult a = s.r.hw().access(1, 0x1008, i & 1);
    CHECK(a.ok);
    CHECK(a.phys == 0x4000'0008);
  }
  CHECK(s.r.hw().stats().cfg_misses == 8);  // both structures fetched on every access
  CHECK(s.r.hw().stats().iotlb_hits == 3);
  CHECK(s.r.events().empty());
}

TEST_CASE("CFGI_STE, Leaf = 1 as Linux issues it, also drops the CDs fetched through the STE", "[smmu_hw]") {
  ArmLpaePgtable a(test::lpae_cfg_for_granule(Format::arm64_lpae_s1, 4096, 48, 48));
  Rig r;
  r.add(a.phys_mem());
  r.enable();
  u64 mapped;
  REQUIRE(a.map_pages(0x1000, 0x4000'0000, 4096, 1, RW, &mapped) == 0);
  // 6.1's move to another domain: a new CD table in the STE, then CFGI_STE alone.
  r.ste_s1(4, r.cd_s1(a, 1));
  r.cmd(Rig::cfgi_ste0(4), 1);
  CHECK(r.hw().config_in_use(4).asid == 1);
  r.ste_s1(4, r.cd_s1(a, 2));
  r.cmd(Rig::cfgi_ste0(4), 1);
  CHECK(r.hw().config_in_use(4) == r.hw().stream_view(4));
  CHECK(r.hw().config_in_use(4).asid == 2);
}

TEST_CASE("configuration cache: fetched at every CFGI and at a store, kept until the next CFGI",
          "[smmu_hw]") {
  using K = StreamView::Kind;
  Rig r;
  r.enable();
  r.ste_bypass(4);
  r.cmd(Rig::cfgi_ste0(4), 1);  // the SMMU fetches the bypass STE at once
  r.ste_abort(4);
  CHECK(r.hw().stream_view(4).kind == K::abort);
  CHECK(r.hw().config_in_use(4).kind == K::bypass);
  r.hw().fetch_config(4);  // a store: what is cached stays
  CHECK(r.hw().config_in_use(4).kind == K::bypass);
  r.cmd(Rig::cfgi_ste0(4), 1);
  CHECK(r.hw().config_in_use(4).kind == K::abort);
  // An invalid STE is never cached: the next valid one is fetched at a store.
  r.write_ste(4, {0, 0, 0, 0});
  r.cmd(Rig::cfgi_ste0(4), 1);
  r.ste_bypass(4);
  r.hw().fetch_config(4);
  r.ste_abort(4);
  CHECK(r.hw().config_in_use(4).kind == K::bypass);
  CHECK(r.hw().access(4, 0x1000, false).ok);  // transactions use it too
}
