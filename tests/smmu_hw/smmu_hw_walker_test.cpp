// The hardware walker agrees with the io-pgtable's own iova_to_phys and translate() on random
// mappings and addresses, for both stages, every granule and several input sizes.
#include <catch2/catch.hpp>

#include <random>

#include "tests/smmu_hw/smmu_hw_rig.h"

using namespace iovet;
using namespace iovet::test;

TEST_CASE("walker agrees with ArmLpaePgtable on random addresses", "[smmu_hw]") {
  struct Shape {
    Format fmt;
    u64 granule;
    unsigned ias, oas;
  };
  const Shape shapes[] = {
      {Format::arm64_lpae_s1, 4096, 48, 48},   {Format::arm64_lpae_s1, 4096, 39, 40},
      {Format::arm64_lpae_s1, 4096, 32, 48},   {Format::arm64_lpae_s1, 16384, 48, 48},
      {Format::arm64_lpae_s1, 16384, 36, 44},  {Format::arm64_lpae_s1, 65536, 48, 48},
      {Format::arm64_lpae_s1, 65536, 42, 52},  {Format::arm64_lpae_s2, 4096, 48, 48},
      {Format::arm64_lpae_s2, 4096, 40, 40},   {Format::arm64_lpae_s2, 4096, 36, 48},
      {Format::arm64_lpae_s2, 16384, 48, 48},  {Format::arm64_lpae_s2, 16384, 40, 40},
      {Format::arm64_lpae_s2, 65536, 48, 48},  {Format::arm64_lpae_s2, 65536, 44, 52},
      {Format::arm64_lpae_s2, 4096, 30, 40},   {Format::arm64_lpae_s2, 65536, 32, 48},
      {Format::arm64_lpae_s1, 4096, 26, 48},
  };
  std::mt19937_64 rng(20240611);
  for (const Shape& sh : shapes) {
    INFO("stage " << (sh.fmt == Format::arm64_lpae_s1 ? 1 : 2) << " granule " << sh.granule
                  << " ias " << sh.ias << " oas " << sh.oas);
    PgtableCfg c;
    c.format = sh.fmt;
    c.pgsize_bitmap = lpae_pgsize_bitmap(sh.granule, sh.oas);
    c.ias = sh.ias;
    c.oas = sh.oas;
    ArmLpaePgtable pt(c);
    SmmuHwParams p = small_params();
    p.oas = sh.oas;
    Rig r(p);
    r.add(pt.phys_mem());
    if (sh.fmt == Format::arm64_lpae_s1)
      r.ste_s1(1, r.cd_s1(pt, 1));
    else
      r.ste_s2(1, pt, 1);
    REQUIRE(r.hw().stream_view(1).kind != StreamView::Kind::invalid);

    // Random leaves of every size the table supports, clustered so tables are shared.
    std::vector<u64> sizes;
    for (u64 s = c.pgsize_bitmap; s; s &= s - 1) sizes.push_back(s & -s);
    const u64 ia_mask = (u64{1} << sh.ias) - 1, oa_mask = (u64{1} << sh.oas) - 1;
    std::vector<u64> probes;
    for (int i = 0; i < 200; ++i) {
      const u64 size = sizes[rng() % sizes.size()];
      if (size > (u64{1} << (sh.ias - 2))) continue;
      const u64 cluster = (rng() % 4) << (sh.ias - 2);
      const u64 iova = (cluster | (rng() & ((u64{1} << std::min(sh.ias - 2, 34u)) - 1))) &
                       ia_mask & ~(size - 1);
      const u64 pa = rng() & oa_mask & ~(size - 1);
      const int prot = 1 + static_cast<int>(rng() % 3);  // read, write or both
      u64 mapped = 0;
      pt.map_pages(iova, pa, size, 1, prot, &mapped);  // EEXIST overlaps are fine
      probes.push_back(iova + (rng() & (size - 1)));
    }
    for (int i = 0; i < 300; ++i) probes.push_back(rng() & ia_mask);
    unsigned valid = 0;
    for (u64 ia : probes) {
      const Translation hw = r.hw().walk(1, ia);
      valid += hw.valid;
      const u64 expect = pt.iova_to_phys(ia);
      const Translation sw = pt.translate(ia);
      INFO("iova " << std::hex << ia);
      CHECK(hw.valid == sw.valid);
      if (hw.valid) {
        CHECK(hw.phys == expect);
        CHECK(hw.read == sw.read);
        CHECK(hw.write == sw.write);
      }
    }
    CHECK(valid >= 100);  // the probes reach real leaves, not only holes
  }
}
