// The Linux io-pgtable-arm selftest (arm_lpae_do_selftests / arm_lpae_run_tests, now the
// io-pgtable-arm-selftests.c KUnit suite), run on the model: every page-size set x every
// ias <= oas x both stages, under both partial-unmap policies.
#include <catch2/catch.hpp>

#include <string>

#include "tests/pgtable/lpae_test_util.h"

using namespace iovet;
using namespace iovet::test;

namespace {

// Returns "" when the sequence passes, else the step that failed.
std::string arm_lpae_run_tests(const PgtableCfg& cfg) {
  ArmLpaePgtable pt(cfg);
  const u64 bitmap = pt.cfg().pgsize_bitmap;
  const bool split = cfg.partial_unmap == PartialUnmap::split;
  auto sizes = [&] {
    std::vector<u64> v;
    for (unsigned j = 0; j < 64; ++j)
      if (bitmap & (u64{1} << j)) v.push_back(u64{1} << j);
    return v;
  }();
  const int rw = prot::read | prot::write;
  u64 mapped = 0;

  // Empty page tables provide no translations.
  for (u64 iova : {u64{42}, SZ_1G + 42, SZ_2G + 42})
    if (pt.iova_to_phys(iova)) return "empty lookup at " + hex(iova);

  // Distinct mappings of each page size, at 0, 1G, 2G...
  u64 iova = 0;
  for (u64 size : sizes) {
    if (pt.map_pages(iova, iova, size, 1, rw | prot::noexec | prot::cache, &mapped))
      return "map " + hex(size);
    if (mapped != size) return "mapped count " + hex(size);
    // Overlapping mappings fail.
    if (pt.map_pages(iova, iova + size, size, 1, prot::read | prot::noexec, &mapped) !=
        -err::eexist)
      return "overlap " + hex(size);
    if (pt.iova_to_phys(iova + 42) != iova + 42) return "lookup " + hex(size);
    iova += SZ_1G;
  }

  // Partial unmap of the smallest page inside the block at 1G.
  const u64 small = sizes.front();
  const u64 got = pt.unmap_pages(SZ_1G + small, small, 1, nullptr);
  if (split) {
    if (got != small) return "partial unmap";
    if (pt.iova_to_phys(SZ_1G + small + 42)) return "partially unmapped page still mapped";
    if (pt.iova_to_phys(SZ_1G + 42) != SZ_1G + 42) return "rest of split block lost";
    if (pt.map_pages(SZ_1G + small, small, small, 1, prot::read, &mapped))
      return "remap of partial unmap";
    if (pt.iova_to_phys(SZ_1G + small + 42) != small + 42) return "lookup after remap";
  } else {
    if (got != 0) return "partial unmap not refused";
    if (pt.iova_to_phys(SZ_1G + small + 42) != SZ_1G + small + 42) return "refused unmap lost";
  }

  // Full unmap, then a write-only remap of each.
  iova = 0;
  for (u64 size : sizes) {
    if (pt.unmap_pages(iova, size, 1, nullptr) != size) return "unmap " + hex(size);
    if (pt.iova_to_phys(iova + 42)) return "lookup after unmap " + hex(size);
    if (pt.map_pages(iova, iova, size, 1, prot::write, &mapped)) return "remap " + hex(size);
    if (pt.iova_to_phys(iova + 42) != iova + 42) return "lookup after remap " + hex(size);
    iova += SZ_1G;
  }

  // The last largest page of the ias (corner cases of concatenated pgds).
  const u64 size = sizes.back();
  iova = (u64{1} << pt.cfg().ias) - size;
  if (pt.map_pages(iova, iova, size, 1, rw | prot::noexec | prot::cache, &mapped) ||
      mapped != size)
    return "map at top of ias";
  if (pt.iova_to_phys(iova + size - 1) != iova + size - 1) return "lookup at top of ias";
  if (pt.unmap_pages(iova, size, 1, nullptr) != size) return "unmap at top of ias";

  // Beyond the kernel's test: tear down and check nothing but the pgd is left.
  iova = 0;
  for (u64 sz : sizes) {
    if (pt.unmap_pages(iova, sz, 1, nullptr) != sz) return "teardown " + hex(sz);
    iova += SZ_1G;
  }
  if (!pt.leaves().empty()) return "leaves left";
  if (pt.table_pages() != pt.geometry().pgd_pages()) return "table pages leaked";
  return "";
}

}  // namespace

TEST_CASE("Linux arm_lpae selftest matrix", "[pgtable][lpae][selftest]") {
  const u64 pgsize[] = {SZ_4K | SZ_2M | SZ_1G, SZ_16K | SZ_32M, SZ_64K | SZ_512M};
  const unsigned address_size[] = {32, 36, 40, 42, 44, 48};
  int runs = 0;
  for (PartialUnmap pu : {PartialUnmap::refuse, PartialUnmap::split})
    for (u64 sizes : pgsize)
      for (unsigned j = 0; j < std::size(address_size); ++j)
        for (unsigned k = 0; k <= j; ++k)  // ias > oas is not valid for stage 2
          for (Format fmt : {Format::arm64_lpae_s1, Format::arm64_lpae_s2}) {
            const PgtableCfg cfg = lpae_cfg(fmt, sizes, address_size[k], address_size[j], pu);
            INFO("pgsize_bitmap " << hex(sizes) << " ias " << cfg.ias << " oas " << cfg.oas
                                  << (fmt == Format::arm64_lpae_s2 ? " s2" : " s1")
                                  << (pu == PartialUnmap::split ? " split" : " refuse"));
            CHECK(arm_lpae_run_tests(cfg) == "");
            ++runs;
          }
  CHECK(runs == 2 * 3 * 21 * 2);
}
