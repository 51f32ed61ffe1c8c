// The walk cache: what a TLBI removes, by its Leaf bit and hints, and which entry a walk
// starts from.
#include <catch2/catch.hpp>

#include "impl/smmu_hw/smmu_hw_walk_cache.h"

using namespace iovet;
using namespace iovet::smmu_hw;

namespace {
// A level-2 descriptor at 4K (its table holds level-3 pages) covering the 2 MiB at in_base.
WalkCacheEntry l2(u64 in_base, u64 table, u32 asid = 1) { return {in_base, table, asid, 0, 2, 21, 12, true, false}; }
TlbiRange page(u64 addr, unsigned ttl) { return {addr, 1, 0, 0, ttl}; }
}  // namespace

TEST_CASE("walk cache: the deepest table covering the address, per context", "[smmu_hw][walk_cache]") {
  WalkCache wc(4);
  wc.insert({0, 0x1000, 1, 0, 1, 30, 12, true, false});
  wc.insert(l2(0x20'0000, 0x2000));
  REQUIRE(wc.lookup(false, 1, 0, 0x20'1234));
  CHECK(wc.lookup(false, 1, 0, 0x20'1234)->table == 0x2000);
  CHECK(wc.lookup(false, 1, 0, 0x40'0000)->table == 0x1000);
  CHECK(!wc.lookup(false, 2, 0, 0x20'1234));  // another ASID
  CHECK(!wc.lookup(true, 0, 0, 0x20'1234));   // stage 2
}

TEST_CASE("walk cache: only non-leaf TLBIs with fitting hints remove entries", "[smmu_hw][walk_cache]") {
  WalkCache wc(4);
  wc.insert(l2(0x20'0000, 0x2000));
  SECTION("Leaf = 1 never reaches it (execute() does not call inv_range)") { CHECK(wc.valid_entries() == 1); }
  SECTION("TTL naming another level leaves it") {
    wc.inv_range(false, 1, false, 0, page(0x20'0000, 2));
    CHECK(wc.valid_entries() == 1);
  }
  SECTION("another granule leaves it") {
    wc.inv_range(false, 1, false, 0, {0x20'0000, 3, 0, 0, 0});
    CHECK(wc.valid_entries() == 1);
  }
  SECTION("another ASID leaves it") {
    wc.inv_range(false, 2, false, 0, page(0x20'0000, 0));
    CHECK(wc.valid_entries() == 1);
  }
  SECTION("TTL 0 or the table's level removes it") {
    wc.inv_range(false, 1, false, 0, page(0x20'1000, GENERATE(0u, 3u)));
    CHECK(wc.valid_entries() == 0);
  }
  SECTION("outside the region leaves it") {
    wc.inv_range(false, 1, false, 0, page(0x40'0000, 0));
    CHECK(wc.valid_entries() == 1);
  }
  SECTION("ASID-wide") {
    wc.inv_s1_asid(1, 0);
    CHECK(wc.valid_entries() == 0);
  }
}
