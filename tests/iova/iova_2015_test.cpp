// The v4.3/v4.4 allocator model (the 2015 seed's) on hand-made sequences, quirks included.
#include <catch2/catch.hpp>

#include "ref/iova/iova_2015.h"
#include "ref/iova/iova_mainline.h"
#include "spec/unit/kernel_outcome.h"

using namespace iovet;

namespace {
IovaRange at(u64 lo, u64 hi) { return {lo, hi}; }
}  // namespace

TEST_CASE("2015 allocates top-down and aligns without over-allocating") {
  auto d = make_iova_2015(4096, 1, 0xfffff);
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  CHECK(d->alloc(3, 0xfffff, true) == at(0xffffc, 0xffffe));  // v4.3: 3 pfns, start aligned to 4
  CHECK(d->alloc(2, 0xfffff, true) == at(0xffffa, 0xffffb));
  CHECK(d->alloc(3, 0xfffff, false) == at(0xffff7, 0xffff9));
  CHECK(d->find(0xffff8) == at(0xffff7, 0xffff9));
  d->free(0xffff8);
  CHECK_FALSE(d->find(0xffff8));
  CHECK(d->cached().empty());
}

TEST_CASE("2015 uses cached32_node only when limit_pfn == dma_32bit_pfn") {
  auto d = make_iova_2015(4096, 1, 0xfffff);
  CHECK(d->alloc(1, 0xfffff, true) == at(0xfffff, 0xfffff));
  CHECK(d->alloc(1, 0xffffe, true) == at(0xffffe, 0xffffe));  // walks from rb_last
  CHECK(d->alloc(1, 0xfffff, true) == at(0xffffd, 0xffffd));  // starts below cached32_node
}

TEST_CASE("2015 alloc_fast is alloc_iova with size alignment and no rounding") {
  auto d = make_iova_2015(4096, 1, 0xfffff);
  CHECK(d->alloc_fast(3, 0xfffff, true) == 0xffffc);
  CHECK(d->find(0xffffc) == at(0xffffc, 0xffffe));
  d->free_fast(0xffffc, 3);
  CHECK_FALSE(d->find(0xffffc));
}

TEST_CASE("2015 refuses an exact fit at start_pfn where mainline takes it") {
  auto old = make_iova_2015(4096, 1, 0xfffff);
  CHECK_FALSE(old->alloc(1, 1, true));  // start_pfn + size + pad > limit_pfn: 2 > 1
  CHECK(old->alloc(1, 2, true) == at(2, 2));
  auto now = make_iova_mainline(4096, 1, 0xfffff);
  CHECK(now->alloc(1, 1, true) == at(1, 1));
}

TEST_CASE("2015 cached32_node hides the hole that alignment padding left above it") {
  auto d = make_iova_2015(4096, 1, 0xf);  // dma_32bit_pfn = 0xf: pfns 1..0xf
  CHECK(d->alloc(2, 0xf, true) == at(0xe, 0xf));
  CHECK(d->alloc(1, 0xf, true) == at(0xd, 0xd));
  CHECK(d->alloc(4, 0xf, true) == at(0x8, 0xb));  // pad 1 leaves pfn 0xc free
  CHECK(d->alloc(4, 0xf, true) == at(0x4, 0x7));
  CHECK(d->alloc(2, 0xf, true) == at(0x2, 0x3));
  // pfns 1 and 0xc are free, but the walk starts below cached32_node and refuses the exact
  // fit at the bottom.
  CHECK_FALSE(d->alloc(1, 0xf, true));
  CHECK(d->alloc(1, 0xe, true) == at(0xc, 0xc));  // another limit walks from the top
}

TEST_CASE("2015 wraps below a node at pfn 0 and then BUG()s on the duplicate") {
  auto d = make_iova_2015(4096, 1, 0xfffff);
  REQUIRE(d->reserve(0, 0xf));
  // limit_pfn = pfn_lo - 1 underflows: the range lands at the top of the 64-bit space.
  CHECK(d->alloc(2, 8, true) == at(~u64{0} - 1, ~u64{0}));
  CHECK_THROWS_AS(d->alloc(2, 8, true), KernelBug);
}

TEST_CASE("2015 iova_get_pad_size's unsigned int loses the alignment of huge sizes") {
  auto d = make_iova_2015(4096, 1, 0x3ffffffff);
  const u64 size = 0x100000001;  // truncated to 1 pfn: no padding
  auto r = d->alloc(size, 0x3ffffffff, true);
  REQUIRE(r);
  CHECK(r->pfn_lo == 0x2ffffffff);
  CHECK(r->pfn_lo % roundup_pow_of_two(size) != 0);
}

TEST_CASE("2015 reserve_iova merges like mainline and accepts any pfn") {
  auto d = make_iova_2015(4096, 1, 0xfffff);
  REQUIRE(d->reserve(0x10, 0x1f));
  REQUIRE(d->reserve(0x8, 0x2f));
  CHECK(d->reserved() == std::vector<IovaRange>{at(0x8, 0x1f), at(0x20, 0x2f)});
  CHECK(d->reserve(u64{1} << 60, (u64{1} << 60) + 1));
}
