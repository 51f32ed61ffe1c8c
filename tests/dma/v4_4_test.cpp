// v4.4 (dma-iommu.c as first merged, over the 2015 IOVA allocator) pinned on hand-made inputs.
// IOVAs as in seed_v5_test.cpp: n pfns sit at the top of [1, 0xfffff], aligned down to
// roundup_pow_of_two(n): n = 1 -> 0xfffff, 3 -> 0xffffc, 6 -> 0xffff8 (pad 2).
#include <catch2/catch.hpp>

#include "ref/dma/v4_4.h"
#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

TEST_CASE("v4.4 double unmap_page WARNs instead of crashing") {
  auto dma = make_dma("v4.4", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x1000, Dir::bidirectional);
  REQUIRE(h == 0xfffff000);
  dma->unmap_page(h, 0x1000, Dir::bidirectional);
  CHECK(dma->take_warnings().empty());
  CHECK(unmap_page_warning(*dma, h, 0x1000, Dir::bidirectional).find("WARN_ON(!iova)") != std::string::npos);
  CHECK(dma->take_warnings().empty());  // taken
  CHECK(dma->iova().allocated().empty());
}

TEST_CASE("v4.4 unmap after iommu_unmap WARNs about the short unmap and still frees the IOVA") {
  auto dma = make_dma("v4.4", config());
  const u64 h = dma->map_page(0x40000000, 0, 0x1000, Dir::bidirectional);
  REQUIRE(h == 0xfffff000);
  REQUIRE(dma->iommu_unmap(0xfffff000, 0x1000) == 0x1000);
  CHECK(unmap_page_warning(*dma, h, 0x1000, Dir::bidirectional).find("WARN_ON(size > 0)") != std::string::npos);
  CHECK(dma->iova().allocated().empty());
}

TEST_CASE("v4.4 map_sg pads each entry to roundup_pow_of_two of its aligned length") {
  auto dma = make_dma("v4.4", config());
  // Entry 0: 3 granules at offset 0 of the allocation. Entry 1: 2 granules, must start at a
  // multiple of 0x2000: pad = (0x2000 - 0x3000) & 0x1fff = 0x1000 added to entry 0.
  // iova_len = 0x4000 + 0x2000 = 6 pfns -> 0xffff8000.
  CHECK(v4_4::sg_pad_len(0x3000, 0x2000) == 0x1000);
  CHECK(v4_4::sg_pad_len(0x4000, 0x4000) == 0);
  CHECK(v4_4::sg_pad_len(0x1000, 0x3000) == 0x3000);  // 3 granules align to 4
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x3000), entry(0x50000000, 0, 0x2000)};
  const std::vector<Scatterlist> before = sg;
  const int n = map_sg_segments(*dma, sg, {{0xffff8000, 0x3000}, {0xffffc000, 0x2000}});
  check_restored(sg, before);
  CHECK(dma->iova().allocated() == std::vector<IovaRange>{{0xffff8, 0xffffd}});
  CHECK(dma->page_table().translate(0xffffc000).phys == 0x50000000);
  // iommu_map_sg maps the padded length, so the pad granule reaches the page after entry 0.
  CHECK(dma->page_table().translate(0xffffb000).phys == 0x40003000);
  dma->unmap_sg(sg, n, Dir::bidirectional);
  CHECK(dma->page_table().leaves().empty());
  CHECK(dma->iova().allocated().empty());
  CHECK(dma->take_warnings().empty());
}

TEST_CASE("v4.4 map_sg never merges: count == nents even for contiguous granules") {
  auto dma = make_dma("v4.4", config());
  std::vector<Scatterlist> sg{entry(0x40000000, 0, 0x1000), entry(0x40001000, 0, 0x1000), entry(0x40002000, 0, 0x1000)};
  // 3 pfns -> 0xffffc; no padding between single granules.
  REQUIRE(dma->map_sg(sg, Dir::to_device) == 3);
  for (u64 i = 0; i < 3; ++i) {
    CHECK(sg[i].dma_address == 0xffffc000 + i * 0x1000);
    CHECK(sg[i].dma_length == 0x1000);
  }
}

TEST_CASE("v4.4 map_sg restores only the in-granule part of an offset >= granule") {
  auto dma = make_dma("v4.4", config());
  // Only iova_offset(0x1100) = 0x100 is stashed, and __finalise_sg does s->offset = 0x100
  // (fixed later by "iommu/dma: Restore scatterlist offsets correctly": s->offset += ...).
  std::vector<Scatterlist> sg{entry(0x40000000, 0x1100, 0x200)};
  map_sg_segments(*dma, sg, {{0xfffff100, 0x200}});  // the DMA side is right
  CHECK(dma->page_table().translate(0xfffff100).phys == 0x40001100);
  CHECK(sg[0].offset == 0x100);  // the caller gave 0x1100
  CHECK(sg[0].length == 0x200);
  const PageTable& pt = dma->page_table();
  const SgVerdict v = judge_map_sg({{0x40000000, 0x1100, 0x200}}, config().device, 0x1000, 1, sg,
                                   [&pt](u64 a) { return pt.translate(a); });
  INFO(rules_of(v.violations));
  REQUIRE(v.violations.size() == 1);
  CHECK(v.violations[0].rule == "sg.restore");
}
