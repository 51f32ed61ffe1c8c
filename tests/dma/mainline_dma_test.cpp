// mainline dma-iommu.c (strict mode, non-PCI device, mainline IOVA allocator with rcache)
// pinned on hand-made inputs.
//
// Where the IOVAs come from: start_pfn 1, dma_32bit_pfn 0x100000. alloc_iova_fast(n, limit)
// rounds n below 32 pfns up to a power of two, tries the rcache, then takes the top of the
// space below limit + 1, aligned down to that power of two:
//   n = 1 -> 0xfffff, 2 -> 0xffffe, 3 (rounded to 4) -> 0xffffc, 6 (to 8) -> 0xffff8.
#include <catch2/catch.hpp>

#include "ref/dma/mainline.h"
#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

TEST_CASE("mainline map_page keeps the in-granule offset and unmap with the same handle and size releases all") {
  auto dma = make_dma("mainline", config());
  const u64 h = dma->map_page(0x40000000, 0x123, 0x100, Dir::bidirectional);
  CHECK(h == 0xfffff123);
  CHECK(dma->page_table().translate(h).phys == 0x40000123);
  dma->unmap_page(h, 0x100, Dir::bidirectional);
  CHECK(dma->take_warnings().empty());
  CHECK(dma->page_table().leaves().empty());
  // free_iova_fast put the range in the rcache: free for the spec, still a node in the tree.
  CHECK(dma->iova().allocated().empty());
  CHECK(dma->iova().cached() == std::vector<IovaRange>{{0xfffff, 0xfffff}});
}

TEST_CASE("mainline unmap is size-based: the caller's size, not the allocation, decides what goes") {
  auto dma = make_dma("mainline", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x2000, Dir::bidirectional);
  REQUIRE(h == 0xffffe000);
  dma->unmap_page(h, 0x1000, Dir::bidirectional);  // a driver passing the wrong size
  CHECK(dma->take_warnings().empty());             // iommu_unmap did unmap the 0x1000 asked for
  const auto leaves = dma->page_table().leaves();
  REQUIRE(leaves.size() == 1);
  CHECK(leaves[0].iova == 0xfffff000);
  CHECK(leaves[0].phys == 0x40001000);
}

TEST_CASE("mainline unmap_page of a range already unmapped WARNs (no translation) and frees nothing") {
  auto dma = make_dma("mainline", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x1000, Dir::bidirectional);
  REQUIRE(dma->iommu_unmap(h, 0x1000) == 0x1000);
  CHECK(unmap_page_warning(*dma, h, 0x1000, Dir::bidirectional).find("WARN_ON(!phys)") != std::string::npos);
  CHECK(dma->iova().allocated().size() == 1);  // iommu_dma_unmap_page() returned before freeing
}

TEST_CASE("mainline alloc_iova_fast rounds to a power of two and the rcache hands the IOVA back") {
  auto dma = make_dma("mainline", config());
  const u64 a = dma->map_page(0x40000000, 0, 0x3000, Dir::bidirectional);
  CHECK(a == 0xffffc000);
  // 3 granules asked for, 4 allocated (roundup_pow_of_two for the rcache).
  CHECK(dma->iova().allocated() == std::vector<IovaRange>{{0xffffc, 0xfffff}});
  const u64 b = dma->map_page(0x50000000, 0, 0x3000, Dir::bidirectional);
  CHECK(b == 0xffff8000);  // while a is live, the next one goes below it
  dma->unmap_page(a, 0x3000, Dir::bidirectional);
  CHECK(dma->iova().cached() == std::vector<IovaRange>{{0xffffc, 0xfffff}});
  // Map, unmap, map again: the same IOVA comes back out of the rcache.
  const u64 c = dma->map_page(0x60000000, 0, 0x3000, Dir::bidirectional);
  CHECK(c == 0xffffc000);
  CHECK(dma->iova().cached().empty());
  CHECK(dma->page_table().translate(0xffffc000).phys == 0x60000000);
  CHECK(dma->page_table().translate(0xffff8000).phys == 0x50000000);
}

TEST_CASE("mainline map_sg pads so an entry does not straddle the segment boundary (pad_len rule)") {
  CHECK(mainline::sg_pad_len(0x3000, 0x3fff) == 0x1000);
  CHECK(mainline::sg_pad_len(0, 0x3fff) == 0);
  CHECK(mainline::sg_pads(0x1000, 0x2000));       // 2 granules do not fit in the 0x1000 left
  CHECK_FALSE(mainline::sg_pads(0x3000, 0x1000));  // 1 granule fits in the 0x3000 left
  CHECK_FALSE(mainline::sg_pads(0, 0x1000));

  Config cfg = config();
  cfg.device.seg_boundary_mask = 0x3fff;  // 16 KiB windows
  auto dma = make_dma("mainline", cfg);
  // Entry 0: 3 granules. Entry 1: 2 granules would cross 0x4000 from 0x3000, so entry 0 is
  // padded by 0x1000: iova_len 6 pfns (rounded to 8) at 0xffff8000; entry 1 at +0x4000.
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x3000), entry(0x50000000, 0, 0x2000)};
  const std::vector<Scatterlist> before = sg;
  const int n = map_sg_segments(*dma, sg, {{0xffff8000, 0x3000}, {0xffffc000, 0x2000}});
  check_restored(sg, before);

  SECTION("unmap_sg covers from the first segment to the end of the last, padding included") {
    dma->unmap_sg(sg, n, Dir::bidirectional);
    CHECK(dma->take_warnings().empty());
    CHECK(dma->page_table().leaves().empty());
    CHECK(dma->iova().allocated().empty());
    CHECK(dma->iova().cached() == std::vector<IovaRange>{{0xffff8, 0xfffff}});
  }
}

TEST_CASE("mainline map_sg without padding where the next entry fits before the boundary") {
  Config cfg = config();
  cfg.device.seg_boundary_mask = 0x3fff;
  auto dma = make_dma("mainline", cfg);
  // 1 + 1 granules: pad_len 0x3000 is not < 0xfff, no pad; 2 pfns at 0xffffe000; entry 1 at
  // 0xfffff000 starts on a granule, not on a boundary (0xfffff000 & 0x3fff != 0): merged.
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x1000), entry(0x50000000, 0, 0x1000)};
  REQUIRE(dma->map_sg(sg, Dir::bidirectional) == 1);
  check_segments(sg, {{0xffffe000, 0x2000}, {DMA_MAPPING_ERROR, 0}});
}

TEST_CASE("mainline __finalise_sg merges only entries on a granule, off a boundary, within max_seg_size") {
  CHECK(mainline::finalise_can_merge(0x1000, 0, 0xfffff000, ~u64{0}, 0x10000, 0x1000));
  CHECK_FALSE(mainline::finalise_can_merge(0, 0, 0xfffff000, ~u64{0}, 0x10000, 0x1000));      // no segment yet
  CHECK_FALSE(mainline::finalise_can_merge(0x1000, 0x10, 0xfffff000, ~u64{0}, 0x10000, 0x100));  // mid-granule
  CHECK_FALSE(mainline::finalise_can_merge(0x2000, 0, 0xffffe000, 0x1fff, 0x10000, 0x1000));   // on a boundary
  CHECK_FALSE(mainline::finalise_can_merge(0x1000, 0, 0xfffff000, ~u64{0}, 0x1000, 0x1000));   // too long
  CHECK(mainline::finalise_can_merge(0x1000, 0, 0xfffff000, ~u64{0}, 0x2000, 0x1000));         // exactly max

  Config boundary = config();
  boundary.device.seg_boundary_mask = 0x1fff;
  Config short_segments = config();
  short_segments.device.max_seg_size = 0x1000;
  const struct {
    const char* what;
    Config cfg;
    std::vector<Scatterlist> sg;
    std::vector<Segment> segs;
  } cases[] = {
      {"two whole granules merge", config(), {entry(0x40000000, 0, 0x1000), entry(0x50000000, 0, 0x1000)},
       {{0xffffe000, 0x2000}}},
      {"an entry starting mid-granule starts a new segment", config(),
       {entry(0x40000000, 0, 0x1000), entry(0x50000000, 0x10, 0x100)}, {{0xffffe000, 0x1000}, {0xfffff010, 0x100}}},
      {"an entry ending mid-granule ends the segment", config(),
       {entry(0x40000000, 0, 0x800), entry(0x50000000, 0, 0x1000)}, {{0xffffe000, 0x800}, {0xfffff000, 0x1000}}},
      // 2 + 1 granules, no pad (pad_len 0): 3 pfns rounded to 4 at 0xffffc000; entry 1 at
      // 0xffffe000, a multiple of 0x2000.
      {"an entry starting on a segment boundary starts a new segment", boundary,
       {entry(0x40000000, 0, 0x2000), entry(0x50000000, 0, 0x1000)}, {{0xffffc000, 0x2000}, {0xffffe000, 0x1000}}},
      {"a merge that would exceed max_seg_size starts a new segment", short_segments,
       {entry(0x40000000, 0, 0x1000), entry(0x50000000, 0, 0x1000)}, {{0xffffe000, 0x1000}, {0xfffff000, 0x1000}}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.what) {
      auto dma = make_dma("mainline", c.cfg);
      std::vector<Scatterlist> sg = c.sg;
      map_sg_segments(*dma, sg, c.segs);
      check_restored(sg, c.sg);  // the caller's offsets (0x10 mid-granule) and lengths
    }
  }
}

TEST_CASE("mainline unmap_sg of an unaligned last entry rounds the end up to the granule") {
  auto dma = make_dma("mainline", config());
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x1000), entry(0x50000000, 0, 0x800)};
  const int n = map_sg_segments(*dma, sg, {{0xffffe000, 0x1800}});
  dma->unmap_sg(sg, n, Dir::bidirectional);  // [0xffffe000, 0xfffff800) -> 2 granules
  CHECK(dma->take_warnings().empty());
  CHECK(dma->page_table().leaves().empty());
  CHECK(dma->iova().allocated().empty());
}

TEST_CASE("mainline clamps to the aperture: a dma_mask larger than the aperture still maps inside it") {
  Config cfg = config();
  cfg.domain.aperture = Range{0x100000, 0xffffff};
  REQUIRE(validate(cfg).empty());
  auto dma = make_dma("mainline", cfg);
  // limit = min(0xffffffff, 0xffffff) -> the top pfn below 16 MiB, not 0xfffff000.
  const u64 h = dma->map_page(0x40000000, 0, 0x1000, Dir::bidirectional);
  CHECK(h == 0xfff000);
  CHECK(cfg.aperture().contains(h));
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x2000)};
  REQUIRE(dma->map_sg(sg, Dir::bidirectional) == 1);
  CHECK(sg[0].dma_address == 0xffc000);  // 2 pfns below pfn 0xfff, aligned to 2: pfn 0xffc
  CHECK(cfg.aperture().contains(sg[0].dma_address + sg[0].dma_length - 1));
}

TEST_CASE("mainline map_sg failure returns -ENOMEM and restores the caller's list") {
  Config cfg = config();
  cfg.domain.aperture = Range{0x1000, 0x1fff};  // one granule of IOVA space
  auto dma = make_dma("mainline", cfg);
  std::vector<Scatterlist> sg{entry(0x40000000, 0x1234, 0x100), entry(0x50000000, 0, 0x1000)};
  const std::vector<Scatterlist> before = sg;
  CHECK(dma->map_sg(sg, Dir::bidirectional) == -12);
  check_invalidated(sg, before);
  CHECK(dma->page_table().leaves().empty());
}

TEST_CASE("mainline map_sg over the LPAE page table maps the same translations as over the reference") {
  Config cfg = config();
  cfg.pgtable = PgtableKind::impl;
  cfg.device.seg_boundary_mask = 0x3fff;
  auto dma = make_dma("mainline", cfg, /*ref_pgtable=*/false);
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x3000), entry(0x50000000, 0, 0x2000)};
  REQUIRE(dma->map_sg(sg, Dir::to_device) == 2);
  CHECK(sg[1].dma_address == 0xffffc000);
  const Translation t = dma->page_table().translate(0xffffc800);
  CHECK(t.valid);
  CHECK(t.phys == 0x50000800);
  CHECK(t.read);
  CHECK_FALSE(t.write);  // to_device: read-only
  dma->unmap_sg(sg, 2, Dir::to_device);
  CHECK(dma->page_table().leaves().empty());
}
