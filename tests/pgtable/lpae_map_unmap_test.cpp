// map_pages / unmap_pages semantics: errors, multi-page batches, leaks, TLB gathers, partial
// unmap under both policies, the kernel-faithful table lifetime, dirty tracking.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "tests/pgtable/lpae_test_util.h"

using namespace iovet;
using namespace iovet::test;

namespace {

constexpr int RW = prot::read | prot::write;
constexpr Format S1 = Format::arm64_lpae_s1, S2 = Format::arm64_lpae_s2;

bool has_warning(ArmLpaePgtable& pt, const std::string& needle) {
  const auto w = pt.take_warnings();
  return std::any_of(w.begin(), w.end(),
                     [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

// Every byte of [iova, iova + size) lies in some flush of the gather.
bool gather_covers(const IotlbGather& g, u64 iova, u64 size) {
  std::vector<std::pair<u64, u64>> r;
  for (const TlbFlush& f : g.flushes) r.push_back({f.iova, f.iova + f.size});
  std::sort(r.begin(), r.end());
  u64 at = iova;
  for (auto [b, e] : r)
    if (b <= at && e > at) at = e;
  return at >= iova + size;
}

}  // namespace

TEST_CASE("map_pages argument errors", "[pgtable][lpae][map]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 40, 36));
  u64 mapped = 99;
  CHECK(pt.map_pages(0, 0, 8192, 1, RW, &mapped) == -err::einval);  // not a page size
  CHECK(mapped == 0);
  CHECK(pt.map_pages(0, 0, SZ_4K | SZ_2M, 1, RW, &mapped) == -err::einval);
  CHECK(pt.map_pages(SZ_4K, 0, SZ_2M, 1, RW, &mapped) == -err::einval);  // iova unaligned
  CHECK(pt.map_pages(0, SZ_4K, SZ_2M, 1, RW, &mapped) == -err::einval);  // paddr unaligned
  CHECK(pt.map_pages(0, 0, SZ_4K, 1, 0, &mapped) == -err::einval);       // no access
  CHECK(pt.map_pages(0, 0, SZ_4K, 1, prot::noexec | prot::cache, &mapped) == -err::einval);
  CHECK(pt.map_pages(u64{1} << 40, 0, SZ_4K, 1, RW, &mapped) == -err::erange);  // > ias
  CHECK(pt.map_pages(0, u64{1} << 36, SZ_4K, 1, RW, &mapped) == -err::erange);  // > oas
  CHECK(pt.leaves().empty());
  CHECK(pt.table_pages() == 1);

  // A range that crosses the top of ias or oas is refused as a whole.
  const u64 top = (u64{1} << 40) - SZ_4K;
  CHECK(pt.map_pages(top, 0x1000, SZ_4K, 2, RW, &mapped) == -err::erange);
  CHECK(mapped == 0);
  CHECK(pt.iova_to_phys(top) == 0);
  const u64 otop = (u64{1} << 36) - SZ_4K;
  CHECK(pt.map_pages(0x10000, otop, SZ_4K, 2, RW, &mapped) == -err::erange);
  CHECK(pt.map_pages(0, 0, SZ_4K, ~u64{0} / 2, RW, &mapped) == -err::erange);  // wraps
  CHECK(pt.leaves().empty());
  // Exactly up to the top is fine.
  CHECK(pt.map_pages(top, otop, SZ_4K, 1, RW, &mapped) == 0);
  CHECK(pt.iova_to_phys(top + 42) == otop + 42);
}

TEST_CASE("EEXIST in a multi-page map keeps earlier table batches", "[pgtable][lpae][map]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48));
  const u64 base = 0x4000'0000;
  REQUIRE(pt.map_pages(base + 700 * SZ_4K, 0x7777'0000, SZ_4K, 1, prot::read, nullptr) == 0);
  pt.take_warnings();
  u64 mapped = 0;
  // Pages 0..511 fill one level-3 table; 512..1023 the next, which holds page 700.
  CHECK(pt.map_pages(base, 0x1'0000'0000, SZ_4K, 1024, RW, &mapped) == -err::eexist);
  CHECK(mapped == 512 * SZ_4K);
  CHECK(has_warning(pt, "already mapped"));
  CHECK(pt.iova_to_phys(base + 511 * SZ_4K) == 0x1'0000'0000 + 511 * SZ_4K);
  CHECK(pt.iova_to_phys(base + 512 * SZ_4K) == 0);  // the failing batch wrote nothing
  CHECK(pt.iova_to_phys(base + 699 * SZ_4K) == 0);
  CHECK(pt.iova_to_phys(base + 700 * SZ_4K) == 0x7777'0000);  // the live page is untouched
  CHECK_FALSE(pt.translate(base + 700 * SZ_4K).write);
  CHECK(pt.leaves().size() == 513);

  // A block over live pages and pages inside a live block both fail.
  CHECK(pt.map_pages(base, 0, SZ_2M, 1, RW, &mapped) == -err::eexist);
  REQUIRE(pt.map_pages(4 * SZ_1G, 0, SZ_2M, 1, RW, &mapped) == 0);
  CHECK(pt.map_pages(4 * SZ_1G + SZ_4K, 0, SZ_4K, 1, RW, &mapped) == -err::eexist);
  CHECK(pt.iova_to_phys(4 * SZ_1G + SZ_4K) == SZ_4K);
}

TEST_CASE("batches split at table and concatenated-pgd boundaries", "[pgtable][lpae][map]") {
  // Stage 2, 4K, ias = oas = 40: two concatenated level-1 tables of 512 1G entries each.
  ArmLpaePgtable pt(lpae_cfg_for_granule(S2, SZ_4K, 40, 40));
  REQUIRE(pt.geometry().concatenated);
  u64 mapped = 0;
  const u64 iova = 510 * SZ_1G;
  REQUIRE(pt.map_pages(iova, 0, SZ_1G, 4, RW, &mapped) == 0);
  CHECK(mapped == 4 * SZ_1G);
  for (u64 i = 0; i < 4; ++i) CHECK(pt.iova_to_phys(iova + i * SZ_1G + 5) == i * SZ_1G + 5);
  CHECK(pt.unmap_pages(iova, SZ_1G, 4, nullptr) == 4 * SZ_1G);
  // 4K pages across three level-3 tables.
  REQUIRE(pt.map_pages(SZ_2M - 3 * SZ_4K, 0x1000'0000, SZ_4K, 1030, RW, &mapped) == 0);
  CHECK(mapped == 1030 * SZ_4K);
  CHECK(pt.leaves().size() == 1030);
  CHECK(pt.iova_to_phys(SZ_2M - 3 * SZ_4K + 1029 * SZ_4K) == 0x1000'0000 + 1029 * SZ_4K);
  CHECK(pt.unmap_pages(SZ_2M - 3 * SZ_4K, SZ_4K, 1030, nullptr) == 1030 * SZ_4K);
  CHECK(pt.table_pages() == pt.geometry().pgd_pages());
}

TEST_CASE("unmap_pages stops at holes and refuses bad arguments", "[pgtable][lpae][unmap]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48));
  REQUIRE(pt.map_pages(0, 0, SZ_4K, 10, RW, nullptr) == 0);
  REQUIRE(pt.unmap_pages(5 * SZ_4K, SZ_4K, 1, nullptr) == SZ_4K);
  pt.take_warnings();
  CHECK(pt.unmap_pages(0, SZ_4K, 10, nullptr) == 5 * SZ_4K);  // up to the hole
  CHECK(has_warning(pt, "not mapped"));
  CHECK(pt.iova_to_phys(6 * SZ_4K) == 6 * SZ_4K);
  CHECK(pt.unmap_pages(6 * SZ_4K, SZ_4K, 0, nullptr) == 0);  // pgcount 0
  CHECK(pt.unmap_pages(6 * SZ_4K, 8192, 1, nullptr) == 0);   // not a page size
  CHECK(pt.unmap_pages(u64{1} << 48, SZ_4K, 1, nullptr) == 0);
  CHECK(pt.unmap_pages(6 * SZ_4K, SZ_4K, 4, nullptr) == 4 * SZ_4K);
  CHECK(pt.leaves().empty());
}

TEST_CASE("no table leaks after mixed maps and unmaps", "[pgtable][lpae][leak]") {
  for (Format fmt : {S1, S2})
    for (u64 granule : {SZ_4K, SZ_16K, SZ_64K}) {
      CAPTURE(granule, fmt == S2);
      ArmLpaePgtable pt(lpae_cfg_for_granule(fmt, granule, 48, 48, PartialUnmap::split));
      const u64 blk = pt.geometry().block_size(2);
      std::map<u64, u64> live;  // iova -> size
      u64 x = 12345;
      for (int step = 0; step < 400; ++step) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const u64 size = (x >> 60) & 1 ? blk : granule;
        const u64 iova = ((x >> 20) % 64) * blk + (size == granule ? ((x >> 8) % 4) * granule : 0);
        if (pt.map_pages(iova, iova, size, 1, RW, nullptr) == 0) live[iova] = size;
      }
      pt.take_warnings();
      REQUIRE(pt.leaves().size() == live.size());
      REQUIRE(pt.table_pages() > pt.geometry().pgd_pages());
      for (auto [iova, size] : live) REQUIRE(pt.unmap_pages(iova, size, 1, nullptr) == size);
      CHECK(pt.leaves().empty());
      CHECK(pt.table_pages() == pt.geometry().pgd_pages());
    }
}

TEST_CASE("the IOTLB gather covers every unmapped byte", "[pgtable][lpae][gather]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48));
  // 4K pages in the first 2M, a 2M block in the second, 4K pages in the third.
  REQUIRE(pt.map_pages(0, 0, SZ_4K, 3, RW, nullptr) == 0);
  REQUIRE(pt.map_pages(SZ_2M, SZ_2M, SZ_2M, 1, RW, nullptr) == 0);
  REQUIRE(pt.map_pages(2 * SZ_2M + 5 * SZ_4K, 0, SZ_4K, 1, RW, nullptr) == 0);
  const auto before = pt.leaves();

  IotlbGather g;
  CHECK(pt.unmap_pages(0, SZ_2M, 3, &g) == 3 * SZ_2M);
  for (const Leaf& l : before) CHECK(gather_covers(g, l.iova, l.size));
  // Leaf flushes for the block, walk flushes for the two level-3 tables that went.
  int walks = 0, leaves = 0;
  for (const TlbFlush& f : g.flushes) {
    (f.walk ? walks : leaves)++;
    if (f.walk) CHECK(f.granule == SZ_4K);
  }
  CHECK(leaves == 1);
  CHECK(walks >= 2);
  CHECK(g.start == 0);
  CHECK(g.end >= 3 * SZ_2M - 1);
  CHECK(pt.table_pages() == 1);

  // Leaf-by-leaf unmap: one flush per page, then walk flushes as the emptied tables go.
  REQUIRE(pt.map_pages(SZ_1G, 0, SZ_4K, 4, RW, nullptr) == 0);
  IotlbGather g2;
  CHECK(pt.unmap_pages(SZ_1G, SZ_4K, 4, &g2) == 4 * SZ_4K);
  int leaf_flushes = 0;
  for (const TlbFlush& f : g2.flushes)
    if (!f.walk) {
      ++leaf_flushes;
      CHECK(f.size == SZ_4K);
      CHECK(f.granule == SZ_4K);
    }
  CHECK(leaf_flushes == 4);
  CHECK(gather_covers(g2, SZ_1G, 4 * SZ_4K));
  CHECK(g2.flushes.size() == 4 + 3);  // level-3, level-2 and level-1 tables freed
  CHECK(pt.table_pages() == 1);
}

TEST_CASE("partial unmap of a block, refuse policy (Linux 6.13+)", "[pgtable][lpae][partial]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48, PartialUnmap::refuse));
  REQUIRE(pt.map_pages(SZ_1G, 0x80'0000'0000, SZ_1G, 1, RW | prot::cache, nullptr) == 0);
  const auto before = pt.leaves();
  IotlbGather g;
  CHECK(pt.unmap_pages(SZ_1G + SZ_2M, SZ_4K, 1, &g) == 0);
  CHECK(has_warning(pt, "Unmap of a partial large IOPTE is not allowed"));
  CHECK(pt.unmap_pages(SZ_1G, SZ_2M, 1, &g) == 0);
  CHECK(g.flushes.empty());
  const auto after = pt.leaves();
  REQUIRE(after.size() == before.size());
  CHECK(after[0].iova == before[0].iova);
  CHECK(after[0].size == SZ_1G);
  CHECK(pt.table_pages() == 2);
}

TEST_CASE("partial unmap of a block, split policy (before 6.13)", "[pgtable][lpae][partial]") {
  for (u64 granule : {SZ_4K, SZ_16K, SZ_64K}) {
    CAPTURE(granule);
    ArmLpaePgtable pt(lpae_cfg_for_granule(S1, granule, 48, 48, PartialUnmap::split));
    const LpaeGeometry& geo = pt.geometry();
    // The largest block with two levels below it where there is one (4K: 1G), else level 2.
    const int blk_lvl = granule == SZ_4K ? 1 : 2;
    const u64 blk = geo.block_size(blk_lvl);
    const u64 iova = 4 * blk, pa = 8 * blk;
    const int p = RW | prot::noexec | prot::cache;
    REQUIRE(pt.map_pages(iova, pa, blk, 1, p, nullptr) == 0);
    const u64 hole = iova + 3 * granule;
    IotlbGather g;
    CHECK(pt.unmap_pages(hole, granule, 2, &g) == 2 * granule);
    CHECK(gather_covers(g, hole, 2 * granule));
    // Exactly the two pages went; the rest still maps to the same physical bytes with the
    // same permissions and attributes.
    u64 covered = 0;
    for (const Leaf& l : pt.leaves()) {
      CHECK(l.prot == (p | prot::read));
      CHECK(l.phys == pa + (l.iova - iova));
      CHECK((l.iova + l.size <= hole || l.iova >= hole + 2 * granule));
      covered += l.size;
    }
    CHECK(covered == blk - 2 * granule);
    CHECK(pt.iova_to_phys(hole) == 0);
    CHECK(pt.iova_to_phys(hole + 2 * granule) == pa + 5 * granule);
    CHECK(pt.iova_to_phys(iova + blk - 1) == pa + blk - 1);
    // Unmapping the rest, page by page and block by block, leaves only the pgd.
    for (const Leaf& l : pt.leaves()) REQUIRE(pt.unmap_pages(l.iova, l.size, 1, nullptr) == l.size);
    CHECK(pt.table_pages() == geo.pgd_pages());
  }
}

TEST_CASE("ENOMEM when table memory runs out, nothing left behind", "[pgtable][lpae][map]") {
  LpaeOptions opt;
  opt.max_table_pages = 3;  // pgd + two tables: one short of a 4K page at ias 48
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48), opt);
  u64 mapped = 1;
  CHECK(pt.map_pages(0, 0, SZ_4K, 1, RW, &mapped) == -err::enomem);
  CHECK(mapped == 0);
  CHECK(pt.table_pages() == 1);
  CHECK(pt.map_pages(0, 0, SZ_2M, 1, RW, &mapped) == 0);  // a block needs one table less
  // A split that needs a table it cannot get unmaps nothing.
  ArmLpaePgtable sp(lpae_cfg_for_granule(S1, SZ_4K, 48, 48, PartialUnmap::split), opt);
  REQUIRE(sp.map_pages(0, 0, SZ_2M, 1, RW, nullptr) == 0);
  REQUIRE(sp.map_pages(SZ_1G, 0, SZ_4K, 1, RW, nullptr) == -err::enomem);
  CHECK(sp.unmap_pages(SZ_4K, SZ_4K, 1, nullptr) == 0);
  CHECK(sp.iova_to_phys(SZ_4K) == SZ_4K);
}

TEST_CASE("kernel-faithful table lifetime (free_empty_tables off)", "[pgtable][lpae][linux]") {
  LpaeOptions linux_opt;
  linux_opt.free_empty_tables = false;
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48), linux_opt);
  REQUIRE(pt.map_pages(0, 0, SZ_4K, 8, RW, nullptr) == 0);
  CHECK(pt.table_pages() == 4);
  REQUIRE(pt.unmap_pages(0, SZ_4K, 8, nullptr) == 8 * SZ_4K);
  // Linux keeps tables emptied leaf by leaf.
  CHECK(pt.table_pages() == 4);
  // A block over the empty level-3 table frees it (arm_lpae_init_pte).
  REQUIRE(pt.map_pages(0, SZ_1G, SZ_2M, 1, RW, nullptr) == 0);
  CHECK(pt.table_pages() == 3);
  CHECK(pt.iova_to_phys(SZ_4K) == SZ_1G + SZ_4K);
  // ... and over a table that still maps pages, which silently go with it: what pt.exists
  // catches in the kernel's logic.
  REQUIRE(pt.map_pages(SZ_2M, 0, SZ_4K, 1, RW, nullptr) == 0);
  CHECK(pt.table_pages() == 4);
  CHECK(pt.map_pages(SZ_2M, SZ_1G, SZ_2M, 1, RW, nullptr) == 0);
  CHECK(pt.iova_to_phys(SZ_2M) == SZ_1G);
  CHECK(pt.table_pages() == 3);
  // The default policy refuses the same map.
  ArmLpaePgtable dflt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48));
  REQUIRE(dflt.map_pages(SZ_2M, 0, SZ_4K, 1, RW, nullptr) == 0);
  CHECK(dflt.map_pages(SZ_2M, SZ_1G, SZ_2M, 1, RW, nullptr) == -err::eexist);
  CHECK(dflt.iova_to_phys(SZ_2M) == 0);
}

// The walk skips to the leaf table it used last; a freed table must never be reused that way.
TEST_CASE("a freed leaf table is never reached through the walk shortcut", "[pgtable][lpae]") {
  for (const bool free_empty : {false, true}) {
    INFO("free_empty_tables " << free_empty);
    ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48), LpaeOptions{.free_empty_tables = free_empty});
    REQUIRE(pt.map_pages(0, SZ_1G, SZ_4K, 1, RW, nullptr) == 0);
    REQUIRE(pt.unmap_pages(0, SZ_4K, 1, nullptr) == SZ_4K);  // free_empty: the tables go
    REQUIRE(pt.map_pages(SZ_4K, 2 * SZ_1G, SZ_4K, 1, RW, nullptr) == 0);
    CHECK(pt.iova_to_phys(SZ_4K) == 2 * SZ_1G);
    CHECK(pt.unmap_pages(SZ_4K, SZ_4K, 1, nullptr) == SZ_4K);
    CHECK(pt.iova_to_phys(SZ_4K) == 0);
    CHECK(pt.leaves().empty());
  }
}

TEST_CASE("leaves() lists every leaf in IOVA order", "[pgtable][lpae][leaves]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(S2, SZ_16K, 48, 48));
  REQUIRE(pt.map_pages(SZ_1G, 0x200'0000, SZ_32M, 2, prot::write | prot::mmio, nullptr) == 0);
  REQUIRE(pt.map_pages(SZ_16K, 0x4000, SZ_16K, 3, prot::read, nullptr) == 0);
  const auto l = pt.leaves();
  REQUIRE(l.size() == 5);
  CHECK(l[0].iova == SZ_16K);
  CHECK(l[0].phys == 0x4000);
  CHECK(l[0].size == SZ_16K);
  CHECK(l[0].prot == prot::read);
  CHECK(l[2].iova == 3 * SZ_16K);
  CHECK(l[3].iova == SZ_1G);
  CHECK(l[3].size == SZ_32M);
  CHECK(l[3].prot == (prot::write | prot::mmio));
  CHECK(l[4].iova == SZ_1G + SZ_32M);
  CHECK(l[4].phys == 0x200'0000 + SZ_32M);
  for (size_t i = 1; i < l.size(); ++i) CHECK(l[i - 1].iova + l[i - 1].size <= l[i].iova);
}

TEST_CASE("HD dirty tracking: read_and_clear_dirty", "[pgtable][lpae][dirty]") {
  LpaeOptions opt;
  opt.quirk_arm_hd = true;
  ArmLpaePgtable pt(lpae_cfg_for_granule(S1, SZ_4K, 48, 48), opt);
  REQUIRE(pt.map_pages(0, 0, SZ_4K, 4, RW, nullptr) == 0);
  REQUIRE(pt.map_pages(SZ_2M, 0, SZ_2M, 1, RW, nullptr) == 0);
  REQUIRE(pt.map_pages(4 * SZ_4K, 0, SZ_4K, 1, prot::read, nullptr) == 0);
  std::vector<std::pair<u64, u64>> rec;
  auto record = [&](u64 iova, u64 size) { rec.push_back({iova, size}); };

  // Writable leaves start writable-dirty (DBM set, AP[2] clear); the read-only one never is.
  // The walk fails on the hole after page 4 (the kernel's walker stops on an invalid entry).
  REQUIRE(pt.read_and_clear_dirty(0, 2 * SZ_2M, iommu_dirty_no_clear, record) == -err::einval);
  CHECK(rec.size() == 4);
  rec.clear();
  REQUIRE(pt.read_and_clear_dirty(0, 5 * SZ_4K, 0, record) == 0);
  CHECK(rec == std::vector<std::pair<u64, u64>>{{0, SZ_4K}, {SZ_4K, SZ_4K}, {2 * SZ_4K, SZ_4K},
                                                {3 * SZ_4K, SZ_4K}});
  REQUIRE(pt.read_and_clear_dirty(SZ_2M, SZ_2M, 0, record) == 0);
  CHECK(rec.back() == std::make_pair(SZ_2M, SZ_2M));
  // Now clean: AP[2] set with DBM, still writable for the device.
  rec.clear();
  REQUIRE(pt.read_and_clear_dirty(0, 5 * SZ_4K, 0, record) == 0);
  CHECK(rec.empty());
  int lvl = -1;
  CHECK(bits(arch_walk(pt, SZ_4K, &lvl), 7, 7) == 1);
  CHECK(pt.translate(SZ_4K).write);
  CHECK_FALSE(pt.device_write(4 * SZ_4K));  // read-only
  // A device write makes one dirty again; NO_CLEAR reports it and leaves it dirty.
  CHECK(pt.device_write(SZ_4K + 8));
  CHECK(bits(arch_walk(pt, SZ_4K, &lvl), 7, 7) == 0);
  REQUIRE(pt.read_and_clear_dirty(0, 5 * SZ_4K, iommu_dirty_no_clear, record) == 0);
  REQUIRE(pt.read_and_clear_dirty(0, 5 * SZ_4K, 0, record) == 0);
  CHECK(rec == std::vector<std::pair<u64, u64>>{{SZ_4K, SZ_4K}, {SZ_4K, SZ_4K}});
  rec.clear();
  REQUIRE(pt.read_and_clear_dirty(0, 5 * SZ_4K, 0, record) == 0);
  CHECK(rec.empty());

  CHECK(pt.read_and_clear_dirty(0, 0, 0, record) == -err::einval);
  CHECK(pt.read_and_clear_dirty(u64{1} << 48, SZ_4K, 0, record) == -err::einval);
  ArmLpaePgtable s2(lpae_cfg_for_granule(S2, SZ_4K, 48, 48));
  CHECK(s2.read_and_clear_dirty(0, SZ_4K, 0, record) == -err::einval);
  // Without the quirk nothing is ever dirty.
  ArmLpaePgtable plain(lpae_cfg_for_granule(S1, SZ_4K, 48, 48));
  REQUIRE(plain.map_pages(0, 0, SZ_4K, 1, RW, nullptr) == 0);
  CHECK(plain.read_and_clear_dirty(0, SZ_4K, 0, record) == 0);
  CHECK(rec.empty());
}
