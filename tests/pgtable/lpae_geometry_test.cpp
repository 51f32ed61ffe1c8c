// Geometry (levels, start level, pgd size, stage-2 concatenation) for every granule x ias,
// against values worked out by hand from Arm DDI0487 (D8.2 translation granules, R_DXBSH and
// R_SRKBC for concatenation), not from the formula the implementation uses.
#include <catch2/catch.hpp>

#include "tests/pgtable/lpae_test_util.h"

using namespace iovet;
using namespace iovet::test;

namespace {

struct Row {
  u64 granule;
  unsigned ias, oas;
  Format fmt;
  int start_level;
  u64 pgd_entries;
  bool concatenated;
};

constexpr Format S1 = Format::arm64_lpae_s1, S2 = Format::arm64_lpae_s2;

// Stage 1 never concatenates: the pgd resolves whatever ias bits the lower levels leave.
const Row s1_rows[] = {
    {SZ_4K, 32, 48, S1, 1, 4, false},      {SZ_4K, 36, 48, S1, 1, 64, false},
    {SZ_4K, 40, 48, S1, 0, 2, false},      {SZ_4K, 42, 48, S1, 0, 8, false},
    {SZ_4K, 44, 48, S1, 0, 32, false},     {SZ_4K, 48, 48, S1, 0, 512, false},
    {SZ_16K, 32, 48, S1, 2, 128, false},   {SZ_16K, 36, 48, S1, 2, 2048, false},
    {SZ_16K, 40, 48, S1, 1, 16, false},    {SZ_16K, 42, 48, S1, 1, 64, false},
    {SZ_16K, 44, 48, S1, 1, 256, false},   {SZ_16K, 48, 48, S1, 0, 2, false},
    {SZ_64K, 32, 48, S1, 2, 8, false},     {SZ_64K, 36, 48, S1, 2, 128, false},
    {SZ_64K, 40, 48, S1, 2, 2048, false},  {SZ_64K, 42, 48, S1, 2, 8192, false},
    {SZ_64K, 44, 48, S1, 1, 4, false},     {SZ_64K, 48, 48, S1, 1, 64, false},
    {SZ_64K, 52, 52, S1, 1, 1024, false},
};

// Stage 2: concatenation exactly where the architecture makes it mandatory.
const Row s2_rows[] = {
    // 4K with a 40- or 42-bit PA size cannot start at level 0.
    {SZ_4K, 40, 40, S2, 1, 1024, true},
    {SZ_4K, 40, 42, S2, 1, 1024, true},
    {SZ_4K, 42, 42, S2, 1, 4096, true},
    // ... but with a 44- or 48-bit PA size it can.
    {SZ_4K, 40, 44, S2, 0, 2, false},
    {SZ_4K, 42, 48, S2, 0, 8, false},
    {SZ_4K, 48, 48, S2, 0, 512, false},
    {SZ_4K, 36, 40, S2, 1, 64, false},
    // 16K with a 48-bit input or PA size starts at level 1 on two tables.
    {SZ_16K, 48, 48, S2, 1, 4096, true},
    // 16K with a 40-bit PA size cannot start at level 1: sixteen level-2 tables.
    {SZ_16K, 40, 40, S2, 2, 32768, true},
    {SZ_16K, 40, 42, S2, 1, 16, false},
    {SZ_16K, 44, 48, S2, 1, 256, false},
    {SZ_16K, 36, 40, S2, 2, 2048, false},
    // 64K never needs it.
    {SZ_64K, 48, 48, S2, 1, 64, false},
    {SZ_64K, 40, 40, S2, 2, 2048, false},
    {SZ_64K, 52, 52, S2, 1, 1024, false},
};

void check_row(const Row& r) {
  CAPTURE(r.granule, r.ias, r.oas, r.fmt == S2);
  ArmLpaePgtable pt(lpae_cfg_for_granule(r.fmt, r.granule, r.ias, r.oas));
  const LpaeGeometry& g = pt.geometry();
  CHECK(g.granule() == r.granule);
  CHECK(g.start_level == r.start_level);
  CHECK(g.levels() == 4 - r.start_level);
  CHECK((u64{1} << g.pgd_bits) == r.pgd_entries);
  CHECK(g.concatenated == r.concatenated);
  // The pgd is one table page or less, unless concatenated.
  const u64 pgd_bytes = r.pgd_entries * 8;
  CHECK(pt.table_pages() == (pgd_bytes > r.granule ? pgd_bytes / r.granule : 1));
  CHECK(pt.pgd_pa() % std::max(pgd_bytes, r.granule) == 0);  // aligned to its size
  // The pgd and the levels below resolve exactly ias bits.
  CHECK(g.lvl_shift(g.start_level) + g.pgd_bits == r.ias);
}

}  // namespace

TEST_CASE("stage-1 geometry for every granule and ias", "[pgtable][lpae][geometry]") {
  for (const Row& r : s1_rows) check_row(r);
}

TEST_CASE("stage-2 concatenation where the architecture requires it", "[pgtable][lpae][geometry]") {
  for (const Row& r : s2_rows) check_row(r);
}

TEST_CASE("block sizes and page-size bitmaps per granule", "[pgtable][lpae][geometry]") {
  CHECK(lpae_pgsize_bitmap(SZ_4K, 48) == (SZ_4K | SZ_2M | SZ_1G));
  CHECK(lpae_pgsize_bitmap(SZ_16K, 48) == (SZ_16K | SZ_32M));
  CHECK(lpae_pgsize_bitmap(SZ_64K, 48) == (SZ_64K | SZ_512M));
  CHECK(lpae_pgsize_bitmap(SZ_64K, 52) == (SZ_64K | SZ_512M | (u64{1} << 42)));
  CHECK(lpae_pgsize_bitmap(8192, 48) == 0);

  ArmLpaePgtable p4(lpae_cfg_for_granule(Format::arm64_lpae_s1, SZ_4K, 48, 48));
  CHECK(p4.geometry().block_size(3) == SZ_4K);
  CHECK(p4.geometry().block_size(2) == SZ_2M);
  CHECK(p4.geometry().block_size(1) == SZ_1G);
  CHECK(p4.geometry().block_size(0) == (u64{1} << 39));
  ArmLpaePgtable p16(lpae_cfg_for_granule(Format::arm64_lpae_s1, SZ_16K, 48, 48));
  CHECK(p16.geometry().block_size(2) == SZ_32M);
  CHECK(p16.geometry().block_size(1) == (u64{1} << 36));
  ArmLpaePgtable p64(lpae_cfg_for_granule(Format::arm64_lpae_s1, SZ_64K, 48, 48));
  CHECK(p64.geometry().block_size(2) == SZ_512M);
  CHECK(p64.geometry().block_size(1) == (u64{1} << 42));
}

TEST_CASE("configurations the kernel's allocator refuses", "[pgtable][lpae][geometry]") {
  // No usable granule.
  CHECK_THROWS(ArmLpaePgtable(lpae_cfg(S1, 8192 | SZ_2M, 48, 48)));
  // An output size TCR.IPS cannot encode.
  CHECK_THROWS(ArmLpaePgtable(lpae_cfg_for_granule(S1, SZ_4K, 39, 39)));
  // DBM is a stage-1 quirk.
  LpaeOptions hd;
  hd.quirk_arm_hd = true;
  CHECK_THROWS(ArmLpaePgtable(lpae_cfg_for_granule(S2, SZ_4K, 48, 48), hd));
  // arm_lpae_restrict_pgsizes(): the smallest granule wins; other granules' sizes go, and
  // ias/oas are clamped to 48 bits outside the 64K granule.
  ArmLpaePgtable pt(lpae_cfg(S1, SZ_4K | SZ_16K | SZ_2M | SZ_32M | SZ_1G, 52, 52));
  CHECK(pt.cfg().pgsize_bitmap == (SZ_4K | SZ_2M | SZ_1G));
  CHECK(pt.cfg().ias == 48);
  CHECK(pt.cfg().oas == 48);
}
