// Descriptors checked field by field against the VMSAv8-64 long-descriptor format (Arm DDI0487
// D8.3), for both stages and every granule, through a walker that reads physical memory.
#include <catch2/catch.hpp>

#include "tests/pgtable/lpae_test_util.h"

using namespace iovet;
using namespace iovet::test;

namespace {

struct Fields {
  u64 type, attr_lo, ap_or_s2ap, sh, af, ng, oa, dbm, contig, xn, upper_ignored;
};

Fields decode(u64 d, u64 granule, int lvl) {
  const unsigned oa_lo = lvl == 3 ? ilog2(granule) : ilog2(granule) + (ilog2(granule) - 3) * (3 - lvl);
  u64 oa = bits(d, 47, oa_lo) << oa_lo;
  if (granule == SZ_64K) oa |= bits(d, 15, 12) << 48;  // 52-bit OA packing
  return {bits(d, 1, 0), bits(d, 5, 2), bits(d, 7, 6), bits(d, 9, 8), bits(d, 10, 10),
          bits(d, 11, 11), oa, bits(d, 51, 51), bits(d, 52, 52), bits(d, 54, 53),
          bits(d, 63, 55)};
}

int all_prots(int i) {  // the i-th subset of the six IOMMU prot flags
  return i & (prot::read | prot::write | prot::cache | prot::noexec | prot::mmio | prot::priv);
}

}  // namespace

TEST_CASE("stage-1 leaf descriptors, every granule, every prot", "[pgtable][lpae][pte]") {
  for (u64 granule : {SZ_4K, SZ_16K, SZ_64K})
    for (bool hd : {false, true}) {
      LpaeOptions opt;
      opt.quirk_arm_hd = hd;
      ArmLpaePgtable pt(lpae_cfg_for_granule(Format::arm64_lpae_s1, granule, 48, 48), opt);
      const u64 block = pt.geometry().block_size(2);
      for (int i = 0; i < 64; ++i) {
        const int p = all_prots(i);
        if (!(p & (prot::read | prot::write))) continue;
        for (u64 size : {granule, block}) {
          const u64 iova = size * (2 * i + 2), pa = 0x4000'0000'0000 - size * (i + 1);
          CAPTURE(granule, hd, p, size);
          u64 mapped = 0;
          REQUIRE(pt.map_pages(iova, pa, size, 1, p, &mapped) == 0);
          int lvl = -1;
          const u64 d = arch_walk(pt, iova, &lvl);
          const Fields f = decode(d, granule, lvl);
          CHECK(lvl == (size == granule ? 3 : 2));
          CHECK(f.type == (lvl == 3 ? 0b11u : 0b01u));  // page / block
          // AttrIndx[2:0] at [4:2]; NS at bit 5 stays 0.
          const u64 attrindx = (p & prot::mmio) ? 2 : (p & prot::cache) ? 1 : 0;
          CHECK(f.attr_lo == attrindx);
          // AP[1] (bit 6): EL0 access unless priv; AP[2] (bit 7): read-only.
          const bool ro = (p & prot::read) && !(p & prot::write);
          CHECK(bits(f.ap_or_s2ap, 0, 0) == ((p & prot::priv) ? 0u : 1u));
          CHECK(bits(f.ap_or_s2ap, 1, 1) == (ro ? 1u : 0u));
          CHECK(f.sh == ((p & prot::cache) ? 0b11u : 0b10u));  // inner / outer shareable
          CHECK(f.af == 1);
          CHECK(f.ng == 1);
          CHECK(f.oa == pa);
          CHECK(f.dbm == ((hd && !ro) ? 1u : 0u));
          CHECK(f.contig == 0);
          CHECK(f.xn == ((p & prot::noexec) ? 0b11u : 0u));  // UXN and PXN
          CHECK(f.upper_ignored == 0);
          CHECK(pt.pgtable_walk(iova).ptes[lvl] == d);
          REQUIRE(pt.unmap_pages(iova, size, 1, nullptr) == size);
        }
      }
    }
}

TEST_CASE("stage-2 leaf descriptors, every granule, every prot", "[pgtable][lpae][pte]") {
  for (u64 granule : {SZ_4K, SZ_16K, SZ_64K}) {
    ArmLpaePgtable pt(lpae_cfg_for_granule(Format::arm64_lpae_s2, granule, 44, 44));
    const u64 block = pt.geometry().block_size(2);
    for (int i = 0; i < 64; ++i) {
      const int p = all_prots(i);
      if (!(p & (prot::read | prot::write))) continue;
      for (u64 size : {granule, block}) {
        const u64 iova = size * (2 * i + 2), pa = 0x800'0000'0000 - size * (i + 1);
        CAPTURE(granule, p, size);
        REQUIRE(pt.map_pages(iova, pa, size, 1, p, nullptr) == 0);
        int lvl = -1;
        const u64 d = arch_walk(pt, iova, &lvl);
        const Fields f = decode(d, granule, lvl);
        CHECK(f.type == (lvl == 3 ? 0b11u : 0b01u));
        // MemAttr[3:0] at [5:2]: Device-nGnRE 0b0001, Normal WB 0b1111, Normal NC 0b0101.
        const u64 memattr = (p & prot::mmio) ? 0b0001 : (p & prot::cache) ? 0b1111 : 0b0101;
        CHECK(f.attr_lo == memattr);
        // S2AP[1:0] at [7:6]: bit 6 read, bit 7 write; write-only is expressible.
        CHECK(bits(f.ap_or_s2ap, 0, 0) == ((p & prot::read) ? 1u : 0u));
        CHECK(bits(f.ap_or_s2ap, 1, 1) == ((p & prot::write) ? 1u : 0u));
        CHECK(f.sh == ((p & prot::cache) ? 0b11u : 0b10u));
        CHECK(f.af == 1);
        CHECK(f.ng == 0);  // bit 11 is RES0 at stage 2
        CHECK(f.oa == pa);
        CHECK(f.dbm == 0);
        CHECK(f.xn == ((p & prot::noexec) ? 0b11u : 0u));
        CHECK(f.upper_ignored == 0);
        REQUIRE(pt.unmap_pages(iova, size, 1, nullptr) == size);
      }
    }
  }
}

TEST_CASE("table descriptors carry only type and next-level address", "[pgtable][lpae][pte]") {
  for (Format fmt : {Format::arm64_lpae_s1, Format::arm64_lpae_s2})
    for (u64 granule : {SZ_4K, SZ_16K, SZ_64K}) {
      ArmLpaePgtable pt(lpae_cfg_for_granule(fmt, granule, 48, 48));
      const u64 iova = 0x1234 * granule;
      REQUIRE(pt.map_pages(iova, 0x9000'0000, granule, 1, prot::read, nullptr) == 0);
      const LpaePteWalk w = pt.pgtable_walk(iova);
      REQUIRE(w.leaf_lvl == 3);
      for (int lvl = pt.geometry().start_level; lvl < 3; ++lvl) {
        const u64 d = w.ptes[lvl];
        CAPTURE(granule, lvl);
        CHECK(bits(d, 1, 0) == 0b11);
        CHECK(bits(d, 11, 2) == 0);   // no lower attributes in a table descriptor
        CHECK(bits(d, 63, 48) == 0);  // APTable, XNTable, NSTable all clear
        const u64 next = d & ((u64{1} << 48) - 1) & ~(granule - 1);
        CHECK(next % granule == 0);
        CHECK(pt.phys_mem().contains(next));
      }
    }
}

TEST_CASE("52-bit output addresses pack PA[51:48] into bits [15:12]", "[pgtable][lpae][pte]") {
  ArmLpaePgtable pt(lpae_cfg_for_granule(Format::arm64_lpae_s1, SZ_64K, 52, 52));
  CHECK((pt.cfg().pgsize_bitmap & (u64{1} << 42)) != 0);  // the 4T block exists with oas > 48
  const u64 pa = (u64{0xA} << 48) | (u64{0x1234} << 16);
  const u64 iova = (u64{1} << 51) | SZ_64K;
  REQUIRE(pt.map_pages(iova, pa, SZ_64K, 1, prot::read | prot::write, nullptr) == 0);
  int lvl = -1;
  const u64 d = arch_walk(pt, iova, &lvl);
  CHECK(lvl == 3);
  CHECK(bits(d, 15, 12) == 0xA);
  CHECK(bits(d, 47, 16) == 0x1234);
  CHECK(pt.iova_to_phys(iova + 42) == pa + 42);
  // A 4T block at level 1.
  const u64 tb = u64{1} << 42;
  REQUIRE(pt.map_pages(2 * tb, 3 * tb, tb, 1, prot::read, nullptr) == 0);
  CHECK(arch_walk(pt, 2 * tb + 42, &lvl) != 0);
  CHECK(lvl == 1);
  CHECK(pt.iova_to_phys(2 * tb + 42) == 3 * tb + 42);
}

TEST_CASE("translate decodes permissions per stage", "[pgtable][lpae][pte]") {
  ArmLpaePgtable s1(lpae_cfg_for_granule(Format::arm64_lpae_s1, SZ_4K, 48, 48));
  ArmLpaePgtable s2(lpae_cfg_for_granule(Format::arm64_lpae_s2, SZ_4K, 48, 48));
  CHECK_FALSE(s1.can_express_write_only());
  CHECK(s2.can_express_write_only());
  struct {
    int prot;
    bool s1_r, s1_w, s2_r, s2_w;
  } rows[] = {{prot::read, true, false, true, false},
              {prot::write, true, true, false, true},
              {prot::read | prot::write, true, true, true, true}};
  u64 iova = 0x10000;
  for (const auto& r : rows) {
    CAPTURE(r.prot);
    REQUIRE(s1.map_pages(iova, 0x5000'0000, SZ_4K, 1, r.prot, nullptr) == 0);
    REQUIRE(s2.map_pages(iova, 0x5000'0000, SZ_4K, 1, r.prot, nullptr) == 0);
    const Translation t1 = s1.translate(iova + 7), t2 = s2.translate(iova + 7);
    CHECK(t1.valid);
    CHECK(t1.phys == 0x5000'0007);
    CHECK(t1.read == r.s1_r);
    CHECK(t1.write == r.s1_w);
    CHECK(t2.read == r.s2_r);
    CHECK(t2.write == r.s2_w);
    iova += SZ_4K;
  }
  CHECK_FALSE(s1.translate(iova).valid);
  CHECK_FALSE(s1.translate(u64{1} << 48).valid);  // beyond ias: a fault, not an alias of 0
}
