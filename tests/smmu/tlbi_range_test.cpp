// tlbi_range_plan: coverage and field values of the TLBI commands for a range.
#include <catch2/catch.hpp>

#include <random>
#include <stdexcept>

#include "impl/smmu/tlbi_range.h"

using namespace iovet;

namespace {
// Checks the plan tiles [iova, iova + size) contiguously with page-aligned commands whose
// fields fit the command encoding, and returns the bytes covered.
u64 check_tiling(const std::vector<TlbiRange>& plan, u64 iova, u64 granule, unsigned tg) {
  u64 at = iova;
  for (const TlbiRange& r : plan) {
    REQUIRE(r.addr == at);
    const u64 bytes = tlbi_range_bytes(r, granule, tg);
    REQUIRE(bytes > 0);
    if (r.tg) {
      REQUIRE(r.num <= cmdq_tlbi_range_num_max);
      REQUIRE(r.addr % (u64{1} << tg) == 0);
    }
    at += bytes;
  }
  return at - iova;
}
}  // namespace

TEST_CASE("tlbi_range: without RIL one command per granule", "[smmu]") {
  const auto plan = tlbi_range_plan(0x10000, 0x4000, 0x1000, 12, false, true);
  REQUIRE(plan.size() == 4);
  for (unsigned i = 0; i < 4; ++i)
    CHECK(plan[i] == TlbiRange{0x10000 + i * 0x1000u, 0, 0, 0, 0});
  CHECK(tlbi_range_plan(0x200000, 0x400000, 0x200000, 12, false, true).size() == 2);
  CHECK(tlbi_range_plan(0x1000, 0, 0x1000, 12, false, true).empty());
}

TEST_CASE("tlbi_range: RIL fields for known ranges", "[smmu]") {
  // 35 pages = 0b100011: scale 0 num 3 (i.e. 3 pages), then scale 5 num 1 (32 pages).
  auto plan = tlbi_range_plan(0x100000, 35 * 0x1000, 0x1000, 12, true, true);
  REQUIRE(plan.size() == 2);
  CHECK(plan[0] == TlbiRange{0x100000, 1, 0, 2, 3});
  CHECK(plan[1] == TlbiRange{0x103000, 1, 5, 0, 3});
  // 2M leaf on 4K tables: TTL 2; 64 pages = one command scale 6.
  plan = tlbi_range_plan(0x200000, 0x40000, 0x200000, 12, true, true);
  REQUIRE(plan.size() == 1);
  CHECK(plan[0] == TlbiRange{0x200000, 1, 6, 0, 2});
  // 16K: TG 2, 32M leaf at level 2; 64K: TG 3, 512M leaf at level 2, 64K page at level 3.
  CHECK(tlbi_range_plan(0, 0x2000000, 0x2000000, 14, true, true)[0].ttl == 2);
  CHECK(tlbi_range_plan(0, 0x2000000, 0x2000000, 14, true, true)[0].tg == 2);
  CHECK(tlbi_range_plan(0, 0x10000, 0x10000, 16, true, true)[0] == TlbiRange{0, 3, 0, 0, 3});
  CHECK(tlbi_range_plan(0, 0x20000000, 0x20000000, 16, true, true)[0].ttl == 2);
  // 1G block on 4K tables: level 1.
  CHECK(tlbi_range_plan(0, 1ull << 30, 1ull << 30, 12, true, true)[0].ttl == 1);
  // Non-leaf: TTL 0, and one page becomes two (SCALE = NUM = 0 avoided).
  plan = tlbi_range_plan(0x5000, 0x1000, 0x1000, 12, true, false);
  REQUIRE(plan.size() == 1);
  CHECK(plan[0] == TlbiRange{0x5000, 1, 1, 0, 0});
  // 33 pages non-leaf: 34 pages = scale 1, num 17 -> NUM 16.
  plan = tlbi_range_plan(0, 33 * 0x1000, 0x1000, 12, true, false);
  REQUIRE(plan.size() == 1);
  CHECK(plan[0] == TlbiRange{0, 1, 1, 16, 0});
}

TEST_CASE("tlbi_range: RIL needs a page-multiple size, and a granule", "[smmu]") {
  CHECK_THROWS_AS(tlbi_range_plan(0, 0x1800, 0x1000, 12, true, true), std::invalid_argument);
  CHECK_THROWS_AS(tlbi_range_plan(0, 0x1000, 0, 12, false, true), std::invalid_argument);
  CHECK_THROWS_AS(tlbi_range_plan(0, 0x1000, 0x1000, 13, true, true), std::invalid_argument);
}

TEST_CASE("tlbi_range: random ranges are covered exactly, with and without RIL", "[smmu]") {
  std::mt19937_64 rng(0x5eed);
  for (unsigned tg : {12u, 14u, 16u}) {
    const unsigned bits = tg - 3;
    for (int i = 0; i < 3000; ++i) {
      const int lvl = 3 - static_cast<int>(rng() % 2);  // page or first block size
      const u64 granule = u64{1} << (tg + (3 - lvl) * bits);
      const bool leaf = rng() % 2;
      // Sizes up to 2^20 pages, and a few huge ones that exercise large scales.
      const u64 pages = (i % 50 == 0) ? (rng() >> (tg + 2)) : (rng() % (u64{1} << 20)) + 1;
      const u64 size = pages << tg;
      const u64 iova = (rng() % (u64{1} << (47 - tg))) << tg;
      INFO("tg " << tg << " iova " << hex(iova) << " size " << hex(size) << " leaf " << leaf);
      const auto plan = tlbi_range_plan(iova, size, granule, tg, true, leaf);
      const u64 covered = check_tiling(plan, iova, granule, tg);
      const bool widened = !leaf && (pages & cmdq_tlbi_range_num_max) == 1;
      REQUIRE(covered == size + (widened ? (u64{1} << tg) : 0));
      // A command per set 5-bit group at most: never more than ceil(64 / 5) + 1.
      REQUIRE(plan.size() <= 14);
      for (const TlbiRange& r : plan) REQUIRE(r.ttl == (leaf ? unsigned(lvl) : 0u));
      if (size / granule <= 4096 && size % granule == 0) {
        const auto per_granule = tlbi_range_plan(iova, size, granule, tg, false, leaf);
        REQUIRE(per_granule.size() == size / granule);
        REQUIRE(check_tiling(per_granule, iova, granule, tg) == size);
      }
    }
  }
}
