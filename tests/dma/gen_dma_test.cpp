// The dma case generator covers what dma_parms allows: lists above 4 GiB, entries up to
// UINT_MAX, 4 GiB boundary windows, while every list stays within its device's dma_parms.
#include <catch2/catch.hpp>

#include "props/gen_dma.h"
#include "spec/sg_judge.h"

using namespace iovet;

TEST_CASE("dma_case: lists reach past 4 GiB within dma_parms") {
  int above_4g = 0, max_entries = 0, uint_max_seg = 0, window_4g = 0, edge_length = 0;
  for (u64 seed = 0; seed < 1000; ++seed) {
    const Case c = gen::dma_case(gen::DmaWorkload::sg, "mainline")(rc::Random(seed), 100).value();
    REQUIRE(validate(c.config).empty());
    const DeviceParams& d = c.config.device;
    for (const Op& o : c.ops) {
      const auto* m = std::get_if<op::MapSg>(&o.body);
      if (!m) continue;
      u64 total = 0;
      for (const SgEntry& e : m->sg) {
        REQUIRE(e.length >= 1);
        REQUIRE(e.length <= d.max_seg_size);
        REQUIRE(!sg_entry_must_cross(e.page + e.offset, e.length, c.config.granule, d.seg_boundary_mask));
        total += e.length;
        edge_length += e.length > 0xffffffff - c.config.granule;
      }
      above_4g += total > u64{1} << 32;
      max_entries = std::max(max_entries, static_cast<int>(m->sg.size()));
      uint_max_seg += d.max_seg_size == 0xffffffff;
      window_4g += d.seg_boundary_mask == 0xffffffff;
    }
  }
  INFO(above_4g << " " << max_entries << " " << uint_max_seg << " " << window_4g << " " << edge_length);
  CHECK(above_4g >= 20);
  CHECK(max_entries >= 6);
  CHECK(uint_max_seg >= 20);
  CHECK(window_4g >= 20);
  CHECK(edge_length >= 3);
}
