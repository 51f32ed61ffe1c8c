#include <catch2/catch.hpp>

#include "impl/phys_mem.h"

using namespace iovet;

TEST_CASE("PhysMem hands out granule pages at physical addresses", "[pgtable][physmem]") {
  PhysMem m(4096);
  const u64 a = m.alloc(), b = m.alloc();
  CHECK(a == 0x8000'0000);
  CHECK(b == 0x8000'1000);
  CHECK(m.pages_in_use() == 2);
  m.write(b + 8, 0xdead);
  CHECK(m.read(b + 8) == 0xdead);
  CHECK(m.ptr(b)[1] == 0xdead);
  m.page_private(b) = 7;
  // Freed pages come back last-in first-out, zeroed, with a clean private word.
  m.free(b);
  CHECK(m.pages_in_use() == 1);
  CHECK(m.alloc() == b);
  CHECK(m.read(b + 8) == 0);
  CHECK(m.page_private(b) == 0);
  CHECK(m.peak_pages() == 2);
}

TEST_CASE("PhysMem aligns multi-page allocations and keeps the gap", "[pgtable][physmem]") {
  PhysMem m(16384, 0x4000'0000);
  const u64 one = m.alloc();
  const u64 sixteen = m.alloc(16);  // a concatenated stage-2 pgd: aligned to 256K
  CHECK(one == 0x4000'0000);
  CHECK(sixteen % (16 * 16384) == 0);
  CHECK(sixteen == 0x4004'0000);
  CHECK(m.pages_in_use() == 17);
  // The pages skipped for alignment are not lost.
  CHECK(m.alloc() == 0x4000'4000);
  // Many pages later, every page is still addressable.
  for (int i = 0; i < 200; ++i) {
    const u64 pa = m.alloc();
    m.write(pa + 16384 - 8, pa);
    CHECK(m.read(pa + 16384 - 8) == pa);
  }
}

TEST_CASE("PhysMem page limit", "[pgtable][physmem]") {
  PhysMem m(65536, 0x8000'0000, 2);
  CHECK(m.alloc() != 0);
  CHECK(m.alloc(2) == 0);
  CHECK(m.alloc() != 0);
  CHECK(m.alloc() == 0);
  CHECK_THROWS(PhysMem(8192));
  CHECK_THROWS(PhysMem(4096, 0x8000'1000));
}
