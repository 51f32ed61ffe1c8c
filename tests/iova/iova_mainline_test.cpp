// The mainline allocator model on hand-made sequences: exact pfns as drivers/iommu/iova.c
// produces them (4K granule: dma_32bit_pfn = 0x100000).
#include <catch2/catch.hpp>

#include <vector>

#include "ref/iova/iova_mainline.h"

using namespace iovet;

namespace {

std::unique_ptr<IovaAllocator> domain(u64 start_pfn = 1) { return make_iova_mainline(4096, start_pfn, 0); }

IovaRange at(u64 lo, u64 hi) { return {lo, hi}; }

}  // namespace

TEST_CASE("mainline allocates top-down from limit_pfn") {
  auto d = domain();
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  CHECK(d->alloc(1, 0xfffff, true) == at(0xffffe, 0xffffe));
  CHECK(d->alloc(1, 0x1fffff, true) == at(0x1fffff, 0x1fffff));  // above 32 bits: cached_node
  CHECK(d->find(0xffffe) == at(0xffffe, 0xffffe));
  CHECK_FALSE(d->find(0xffffd));
}

TEST_CASE("mainline aligns the start to roundup_pow_of_two(size) but allocates size pfns") {
  auto d = domain();
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  CHECK(d->alloc(3, 0xfffff, true) == at(0xffffc, 0xffffe));
  CHECK(d->alloc(5, 0xfffff, true) == at(0xffff0, 0xffff4));
  CHECK(d->alloc(3, 0xfffff, false) == at(0xfffed, 0xfffef));
}

TEST_CASE("mainline continues below cached32_node rather than from the limit") {
  auto d = domain();
  CHECK(d->alloc(1, 0xff, true) == at(0xff, 0xff));
  // The next 32-bit request starts at the last 32-bit allocation, not at its own limit.
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfe, 0xfe));
}

TEST_CASE("mainline frees above cached32_node move it up so the hole is reused") {
  auto d = domain();
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  CHECK(d->alloc(1, 0xfffff, true) == at(0xffffe, 0xffffe));
  CHECK(d->alloc(1, 0xfffff, true) == at(0xffffd, 0xffffd));
  d->free(0xffffe);
  CHECK_FALSE(d->find(0xffffe));
  CHECK(d->alloc(1, 0xfffff, true) == at(0xffffe, 0xffffe));
}

TEST_CASE("mainline retries from the limit when the walk below the cached node fails") {
  auto d = domain();
  CHECK(d->alloc(1, 2, true) == at(2, 2));
  CHECK(d->alloc(1, 0xfffff, true) == at(1, 1));  // below cached32_node
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));  // the retry from the limit
}

TEST_CASE("mainline max32_alloc_size fails 32-bit requests as large as the last failure") {
  auto d = domain();
  CHECK_FALSE(d->alloc(8, 7, true));  // pfns 1..7 cannot hold 8
  // Space at the top of the 32-bit range is free, but the remembered failure size wins.
  CHECK_FALSE(d->alloc(8, 0xfffff, true));
  CHECK(d->alloc(7, 0xfffff, true) == at(0xffff8, 0xffffe));
  CHECK(d->alloc(8, 0x1fffff, true) == at(0x1ffff8, 0x1fffff));  // above 32 bits: not affected
  // A free below dma_32bit_pfn resets it.
  d->free(0xffff8);
  CHECK(d->alloc(8, 0xfffff, true) == at(0xffff8, 0xfffff));
}

TEST_CASE("mainline alloc_fast rounds small sizes up to a power of two") {
  auto d = domain();
  CHECK(d->alloc_fast(3, 0xfffff, true) == 0xffffc);
  CHECK(d->find(0xffffc) == at(0xffffc, 0xfffff));
  // 32 pfns and above are not rounded: 33 takes 33 pfns, aligned to 64.
  CHECK(d->alloc_fast(33, 0xfffff, true) == 0xfffc0);
  CHECK(d->find(0xfffc0) == at(0xfffc0, 0xfffe0));
}

TEST_CASE("mainline rcache reuses a freed range within the limit") {
  auto d = domain();
  const u64 pfn = d->alloc_fast(4, 0xfffff, true);
  REQUIRE(pfn == 0xffffc);
  d->free_fast(pfn, 3);  // the size asked for: order_base_2(3) == 2, the same bucket
  CHECK(d->cached() == std::vector<IovaRange>{at(0xffffc, 0xfffff)});
  CHECK(d->allocated().empty());
  // A limit that the cached range does not fit under goes to the tree instead.
  CHECK(d->alloc_fast(4, 0xffffe, true) == 0xffff8);
  CHECK(d->alloc_fast(3, 0xfffff, true) == 0xffffc);
  CHECK(d->cached().empty());
  CHECK(d->allocated() == std::vector<IovaRange>{at(0xffff8, 0xffffb), at(0xffffc, 0xfffff)});
}

TEST_CASE("mainline rcache does not cache orders from IOVA_RANGE_CACHE_MAX_SIZE up") {
  auto d = domain();
  const u64 pfn = d->alloc_fast(33, 0xfffff, true);
  d->free_fast(pfn, 33);  // order 6
  CHECK(d->cached().empty());
  CHECK_FALSE(d->find(pfn));
}

TEST_CASE("mainline alloc_fast flushes the rcaches and retries only when asked") {
  for (bool flush : {false, true}) {
    auto d = domain();
    REQUIRE(d->alloc_fast(2, 7, true) == 6);
    d->free_fast(6, 2);
    // pfns 1..5 and the cached 6..7 cannot hold an aligned 4 without the cached range.
    CHECK(d->alloc_fast(4, 7, flush) == (flush ? 4u : 0u));
    CHECK(d->cached().empty() == flush);
  }
}

TEST_CASE("mainline rcache magazines: loaded, prev, then the depot, last in first out") {
  auto d = domain();
  std::vector<u64> pfns;
  for (int i = 0; i < 300; ++i) pfns.push_back(d->alloc_fast(1, 0xfffff, true));
  REQUIRE(pfns.back() == 0xfffff - 299);
  for (u64 p : pfns) d->free_fast(p, 1);
  CHECK(d->cached().size() == 300);
  CHECK(d->allocated().empty());
  // IOVA_MAG_SIZE is 127: frees 1..127 filled a magazine that became prev, 128..254 the next
  // one that went to the depot, and 255..300 sit in loaded.
  for (int i = 299; i >= 254; --i) CHECK(d->alloc_fast(1, 0xfffff, true) == pfns[i]);
  CHECK(d->alloc_fast(1, 0xfffff, true) == pfns[126]);  // prev swapped in
  for (int i = 125; i >= 0; --i) REQUIRE(d->alloc_fast(1, 0xfffff, true) == pfns[i]);
  CHECK(d->alloc_fast(1, 0xfffff, true) == pfns[253]);  // the depot's magazine
}

TEST_CASE("mainline reserve_iova merges with and grows overlapping nodes") {
  auto d = domain();
  REQUIRE(d->reserve(0x10, 0x1f));
  REQUIRE(d->reserve(0x18, 0x2f));  // the part above the existing node becomes a new node
  CHECK(d->reserved() == std::vector<IovaRange>{at(0x10, 0x1f), at(0x20, 0x2f)});
  REQUIRE(d->reserve(0x8, 0x12));  // the existing node grows down
  CHECK(d->reserved() == std::vector<IovaRange>{at(0x8, 0x1f), at(0x20, 0x2f)});
  REQUIRE(d->reserve(0x40, 0x4f));
  REQUIRE(d->reserve(0x60, 0x6f));
  REQUIRE(d->reserve(0x45, 0x65));  // spans a gap: the upper node grows down over it
  CHECK(d->reserved() == std::vector<IovaRange>{at(0x8, 0x1f), at(0x20, 0x2f), at(0x40, 0x4f),
                                                 at(0x50, 0x6f)});
  CHECK_FALSE(d->reserve(0, u64{1} << 60));  // beyond ULLONG_MAX >> iova_shift: refused
}

TEST_CASE("mainline allocations step around reserved ranges") {
  auto d = domain();
  REQUIRE(d->reserve(0xffff0, 0xfffff));
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffef, 0xfffef));
  CHECK(d->alloc(16, 0xfffff, true) == at(0xfffd0, 0xfffdf));
}

TEST_CASE("mainline reserve_iova over a live allocation grows that allocation") {
  auto d = domain();
  REQUIRE(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  REQUIRE(d->reserve(0xffff0, 0xfffff));
  CHECK(d->allocated() == std::vector<IovaRange>{at(0xffff0, 0xfffff)});
  CHECK(d->reserved().empty());
  d->free(0xfffff);  // freeing the allocation releases the reservation with it
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
}
