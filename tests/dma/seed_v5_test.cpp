// seed-v5 (the 2015 "[PATCH v5 1/3]" dma-iommu.c over the 2015 IOVA allocator) pinned on
// hand-made inputs, faults included.
//
// Where the IOVAs come from (2015 allocator, default config): the domain is pfns
// [1, 0xfffff] (dma_32bit_pfn = coherent_mask >> 12). alloc_iova(n, limit 0xfffff, aligned)
// on an empty tree takes pfn_lo = limit - (n + pad) + 1 with
// pad = (limit + 1 - n) & (roundup_pow_of_two(n) - 1), i.e. the topmost n pfns, moved down
// to a multiple of roundup_pow_of_two(n):
//   n = 1 -> 0xfffff, n = 2 -> 0xffffe, n = 3 -> 0xffffc (pad 1), n = 5 -> 0xffff8 (pad 3).
#include <catch2/catch.hpp>

#include "ref/dma/seed_v5.h"
#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

TEST_CASE("seed-v5 map_page keeps the offset inside the granule and maps the whole granule") {
  auto dma = make_dma("seed-v5", config());
  // phys 0x40000123: iova_off 0x123, len = align(0x100 + 0x123) = one granule at pfn 0xfffff.
  const u64 h = dma->map_page(0x40000000, 0x123, 0x100, Dir::bidirectional);
  CHECK(h == 0xfffff123);
  const Translation t = dma->page_table().translate(0xfffff123);
  CHECK(t.valid);
  CHECK(t.phys == 0x40000123);
  CHECK(t.read);
  CHECK(t.write);
  CHECK(dma->iova().allocated() == std::vector<IovaRange>{{0xfffff, 0xfffff}});
  dma->unmap_page(h, 0x100, Dir::bidirectional);
  CHECK(dma->iova().allocated().empty());
  CHECK(dma->page_table().leaves().empty());
}

TEST_CASE("seed-v5 double unmap_page oopses in iova_size(NULL)") {
  auto dma = make_dma("seed-v5", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x1000, Dir::to_device);
  REQUIRE(h == 0xfffff000);
  REQUIRE_NOTHROW(dma->unmap_page(h, 0x1000, Dir::to_device));
  // find_iova() finds nothing the second time; iova_size(NULL) dereferences it.
  CHECK_THROWS_AS(dma->unmap_page(h, 0x1000, Dir::to_device), KernelCrash);
}

TEST_CASE("seed-v5 unmap after iommu_unmap of the range hits BUG_ON(iommu_unmap() < size)") {
  auto dma = make_dma("seed-v5", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x2000, Dir::bidirectional);
  REQUIRE(h == 0xffffe000);
  REQUIRE(dma->iommu_unmap(0xffffe000, 0x2000) == 0x2000);
  // The IOVA is still allocated, so find_iova() succeeds, but nothing is left to unmap.
  CHECK_THROWS_AS(dma->unmap_page(h, 0x2000, Dir::bidirectional), KernelBug);
}

TEST_CASE("seed-v5 unmap_page ignores the caller's size: the whole IOVA allocation goes") {
  auto dma = make_dma("seed-v5", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x2000, Dir::bidirectional);
  REQUIRE(h == 0xffffe000);
  dma->unmap_page(h, 0x1000, Dir::bidirectional);  // size is not even looked at
  CHECK(dma->page_table().leaves().empty());
  CHECK(dma->iova().allocated().empty());
}

TEST_CASE("seed-v5 map_sg lays entries back to back (3 and 2 granules at consecutive IOVAs)") {
  Config cfg = config();
  cfg.device.max_seg_size = 0x3000;  // keeps the two entries apart (0x3000 + 0x2000 > max)
  auto dma = make_dma("seed-v5", cfg);
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x3000), entry(0x50000000, 0, 0x2000)};
  const std::vector<Scatterlist> before = sg;
  // iova_len = 5 granules -> pfn 0xffff8; entry 1 starts right after entry 0, at 0xffffb000,
  // which is not a multiple of its own (power-of-two) size: no padding at all.
  const int n = map_sg_segments(*dma, sg, {{0xffff8000, 0x3000}, {0xffffb000, 0x2000}});
  check_restored(sg, before);  // the caller's fields are back
  CHECK(dma->page_table().translate(0xffffafff).phys == 0x40002fff);
  CHECK(dma->page_table().translate(0xffffb000).phys == 0x50000000);
  CHECK(dma->iova().allocated() == std::vector<IovaRange>{{0xffff8, 0xffffc}});
  // unmap_sg finds the allocation from the first segment and unmaps all of it.
  dma->unmap_sg(sg, n, Dir::bidirectional);
  CHECK(dma->page_table().leaves().empty());
  CHECK(dma->iova().allocated().empty());
}

TEST_CASE("seed-v5 map_sg merges entries that run together when nothing forbids it") {
  auto dma = make_dma("seed-v5", config());
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x3000), entry(0x50000000, 0, 0x2000)};
  map_sg_segments(*dma, sg, {{0xffff8000, 0x5000}});
}

TEST_CASE("seed-v5 __finalise_sg boundary check wraps: entries totalling more than mask+1 merge") {
  Config cfg = config();
  cfg.device.seg_boundary_mask = 0x1fff;  // 8 KiB windows
  auto dma = make_dma("seed-v5", cfg);
  // 2 + 1 granules: 3 pfns at 0xffffc. Entry 1 joins when
  //   (seg_dma & mask) <= mask - (seg_len + s_length) = 0x1fff - 0x3000,
  // which wraps to a huge unsigned value, so the merged segment straddles 0xffffe000.
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x2000), entry(0x50000000, 0, 0x1000)};
  const std::vector<SgInput> in = inputs_of(sg);
  const int n = map_sg_segments(*dma, sg, {{0xffffc000, 0x3000}});
  // The spec calls it a merged-entries boundary violation.
  const PageTable& pt = dma->page_table();
  const SgVerdict v = judge_map_sg(in, cfg.device, cfg.granule, n, sg, [&pt](u64 a) { return pt.translate(a); });
  INFO(rules_of(v.violations));
  REQUIRE(v.violations.size() == 1);
  CHECK(v.violations[0].rule == "sg.boundary");
  CHECK(v.violations[0].flavor == "merged");

  // The same test at the C types, directly: the wrap, and a legitimate refusal next to it.
  CHECK(seed_v5::finalise_can_merge(0xffffc000, 0x2000, 0xffffe000, 0, 0x1000, 0x1000, 0x10000, 0x1fff));
  // 16 KiB windows, segment at window offset 0x1000 with 0x2000 + 0x1000: 0x1000 <= 0x3fff - 0x3000
  // is false, so it is refused (one byte short of what would fit: the check is off by one).
  CHECK_FALSE(seed_v5::finalise_can_merge(0xffffd000, 0x2000, 0xfffff000, 0, 0x1000, 0x1000, 0x10000, 0x3fff));
  CHECK(seed_v5::finalise_can_merge(0xffffc000, 0x2000, 0xffffe000, 0, 0x1000, 0x1000, 0x10000, 0x3fff));
}

TEST_CASE("seed-v5 never merges above 4 GiB: seg_dma is an unsigned int") {
  std::vector<Scatterlist> list{entry(0x40000000, 0, 0x1000), entry(0x50000000, 0, 0x1000)};
  SECTION("below 4 GiB the two granules merge") {
    auto dma = make_dma("seed-v5", config());
    std::vector<Scatterlist> sg = list;
    map_sg_segments(*dma, sg, {{0xffffe000, 0x2000}});
  }
  SECTION("with a 40-bit mask the IOVA is at 0xffffffe000 and the u32 compare never matches") {
    Config cfg = config();
    cfg.device.dma_mask = (u64{1} << 40) - 1;  // domain pfns up to 0xfffffff; 2 pfns at 0xffffffe
    auto dma = make_dma("seed-v5", cfg);
    std::vector<Scatterlist> sg = list;
    map_sg_segments(*dma, sg, {{0xffffffe000, 0x1000}, {0xfffffff000, 0x1000}});
  }
}

TEST_CASE("seed-v5 dma_length of an unaligned entry is the rest of its aligned length") {
  auto dma = make_dma("seed-v5", config());
  // offset 0x100, length 0x200: aligned length one granule; dma_length = 0x1000 - 0x100.
  std::vector<Scatterlist> sg{entry(0x40000000, 0x100, 0x200)};
  const std::vector<Scatterlist> before = sg;
  map_sg_segments(*dma, sg, {{0xfffff100, 0xf00}});  // the caller mapped 0x200
  check_restored(sg, before);
  const PageTable& pt = dma->page_table();
  const SgVerdict v = judge_map_sg({{0x40000000, 0x100, 0x200}}, config().device, 0x1000, 1, sg,
                                   [&pt](u64 a) { return pt.translate(a); });
  CHECK(has_rule(v.violations, "sg.length"));
}

TEST_CASE("seed-v5 offset >= granule gives a DMA address off by the aligned part of the offset") {
  auto dma = make_dma("seed-v5", config());
  // offset 0x1100: in-granule 0x100, so phys 0x40001000 is mapped at 0xfffff000 and byte 0 is
  // at 0xfffff100. __finalise_sg adds the whole stashed offset 0x1100 instead, and computes
  // dma_length = 0x1000 - 0x1100 in unsigned int.
  std::vector<Scatterlist> sg{entry(0x40000000, 0x1100, 0x200)};
  const std::vector<Scatterlist> before = sg;
  map_sg_segments(*dma, sg, {{u64{0xfffff000} + 0x1100, 0xffffff00}});  // dma_addr_t arithmetic: above 4 GiB
  CHECK(dma->page_table().translate(0xfffff100).phys == 0x40001100);
  // The full offset is stashed, so the caller's fields do come back.
  check_restored(sg, before);
}

TEST_CASE("seed-v5 __invalidate_sg restores the list when map_sg cannot get an IOVA") {
  Config cfg = config();
  cfg.device.dma_mask = 0x1fff;  // the domain is pfn 1 alone: a 2-granule list cannot fit
  auto dma = make_dma("seed-v5", cfg);
  std::vector<Scatterlist> sg{entry(0x40000000, 0x1234, 0x100), entry(0x50000000, 0, 0x1000)};
  const std::vector<Scatterlist> before = sg;
  CHECK(dma->map_sg(sg, Dir::from_device) == 0);
  check_invalidated(sg, before);
  CHECK(dma->iova().allocated().empty());
  CHECK(dma->page_table().leaves().empty());
}

TEST_CASE("seed-v5 alloc maps the buffer's pages contiguously and free releases everything") {
  auto dma = make_dma("seed-v5", config());
  // 3 pages: an order-1 block then an order-0 one (not adjacent); 3 pfns at 0xffffc.
  const auto buf = dma->alloc(0x3000);
  REQUIRE(buf);
  CHECK(buf->handle == 0xffffc000);
  REQUIRE(buf->pages.size() == 3);
  CHECK(buf->pages[1] == buf->pages[0] + 0x1000);
  for (u64 i = 0; i < 3; ++i) CHECK(dma->page_table().translate(0xffffc000 + i * 0x1000).phys == buf->pages[i]);
  dma->free(0x3000, *buf);
  CHECK(dma->page_table().leaves().empty());
  CHECK(dma->iova().allocated().empty());
}
