// judge_map_sg on hand-made observations: for each rule it can report, a case where it fires
// and a correct output that passes. Devices and layouts are made by hand (FakeIommu).
#include <catch2/catch.hpp>

#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

namespace {

constexpr u64 G = 0x1000;

// The list after map_sg: the caller's CPU fields, and the DMA fields of the segments (the
// entries beyond the segments keep DMA_MAPPING_ERROR / 0).
struct Seg {
  u64 dma;
  u32 len;
};
std::vector<Scatterlist> output(const std::vector<SgInput>& in, const std::vector<Seg>& segs) {
  std::vector<Scatterlist> out;
  for (const SgInput& e : in) out.push_back({e.page, static_cast<u32>(e.offset), static_cast<u32>(e.length)});
  for (std::size_t j = 0; j < segs.size(); ++j) {
    out[j].dma_address = segs[j].dma;
    out[j].dma_length = segs[j].len;
  }
  return out;
}

SgVerdict judge(const std::vector<SgInput>& in, const DeviceParams& dev, int ret, const std::vector<Scatterlist>& out,
                const FakeIommu& iommu) {
  return judge_map_sg(in, dev, G, ret, out, iommu.fn());
}

std::vector<std::string> rules(const SgVerdict& v) {
  std::vector<std::string> r;
  for (const Violation& x : v.violations) r.push_back(x.rule);
  return r;
}

const std::vector<SgInput> two_granules{{0x40000000, 0, G}, {0x50000000, 0, G}};
const FakeIommu two_at_0x10000 = FakeIommu{}.map(0x10000, 0x40000000, G).map(0x11000, 0x50000000, G);

}  // namespace

TEST_CASE("sg judge: a correct merged mapping passes and gives each entry its DMA address") {
  const SgVerdict v = judge(two_granules, DeviceParams{}, 1, output(two_granules, {{0x10000, 0x2000}}), two_at_0x10000);
  INFO(rules_of(v.violations));
  CHECK(v.violations.empty());
  REQUIRE(v.layout.sound);
  CHECK(v.layout.entry_dma == std::vector<u64>{0x10000, 0x11000});
}

TEST_CASE("sg judge: sg.translation fires when a byte reaches the wrong physical address or nothing") {
  SECTION("wrong phys") {
    const FakeIommu bad = FakeIommu{}.map(0x10000, 0x40000000, G).map(0x11000, 0x50001000, G);
    const SgVerdict v = judge(two_granules, DeviceParams{}, 1, output(two_granules, {{0x10000, 0x2000}}), bad);
    CHECK(rules(v) == std::vector<std::string>{"sg.translation"});
  }
  SECTION("not mapped") {
    const FakeIommu half = FakeIommu{}.map(0x10000, 0x40000000, G);
    const SgVerdict v = judge(two_granules, DeviceParams{}, 1, output(two_granules, {{0x10000, 0x2000}}), half);
    CHECK(rules(v) == std::vector<std::string>{"sg.translation"});
  }
  SECTION("in-granule offset kept: correct") {
    const std::vector<SgInput> in{{0x40000000, 0x123, 0x100}};
    const SgVerdict v = judge(in, DeviceParams{}, 1, output(in, {{0x10123, 0x100}}), FakeIommu{}.map(0x10000, 0x40000000, G));
    CHECK(v.violations.empty());
  }
  SECTION("in-granule offset lost: byte 0 lands on the page's first byte") {
    const std::vector<SgInput> in{{0x40000000, 0x123, 0x100}};
    const SgVerdict v = judge(in, DeviceParams{}, 1, output(in, {{0x10000, 0x100}}), FakeIommu{}.map(0x10000, 0x40000000, G));
    CHECK(rules(v) == std::vector<std::string>{"sg.translation"});
  }
}

TEST_CASE("sg judge: sg.length fires when dma_length is not what the entries add up to") {
  const std::vector<SgInput> in{{0x40000000, 0x100, 0x200}};
  const FakeIommu iommu = FakeIommu{}.map(0x10000, 0x40000000, G);
  SECTION("the rest of the aligned length (seed-v5's dma_length)") {
    const SgVerdict v = judge(in, DeviceParams{}, 1, output(in, {{0x10100, 0xf00}}), iommu);
    REQUIRE(!v.violations.empty());
    CHECK(v.violations[0].rule == "sg.length");
    CHECK_FALSE(v.layout.sound);
  }
  SECTION("an empty segment") {
    const SgVerdict v = judge(two_granules, DeviceParams{}, 2, output(two_granules, {{0x10000, 0x2000}, {0x12000, 0}}),
                              two_at_0x10000);
    CHECK(has_rule(v.violations, "sg.length"));
  }
  SECTION("the exact length passes") {
    const SgVerdict v = judge(in, DeviceParams{}, 1, output(in, {{0x10100, 0x200}}), iommu);
    CHECK(v.violations.empty());
  }
}

TEST_CASE("sg judge: sg.order fires when a segment ends inside an entry") {
  // Totals match (0x800 + 0x1800 = 0x2000), but entry 0 is split between the segments.
  const FakeIommu iommu = FakeIommu{}.map(0x10000, 0x40000000, G).map(0x10800, 0x40000800, 0x800).map(0x11000, 0x50000000, G);
  DeviceParams dev;
  dev.max_seg_size = 0x1000;  // so that two segments are not also a contiguity warning
  const SgVerdict bad = judge(two_granules, dev, 2, output(two_granules, {{0x10000, 0x800}, {0x10800, 0x1800}}), iommu);
  CHECK(rules(bad) == std::vector<std::string>{"sg.order"});
  CHECK_FALSE(bad.layout.sound);
  // One segment per entry, entry 1 starting mid-granule (so not joinable): clean.
  const std::vector<SgInput> in{{0x40000000, 0, G}, {0x50000000, 0x10, G}};
  const FakeIommu ok_iommu = FakeIommu{}.map(0x10000, 0x40000000, G).map(0x11000, 0x50000000, 2 * G);
  const SgVerdict ok = judge(in, DeviceParams{}, 2, output(in, {{0x10000, 0x1000}, {0x11010, 0x1000}}), ok_iommu);
  INFO(rules_of(ok.violations));
  CHECK(ok.violations.empty());
}

TEST_CASE("sg judge: sg.max_seg_size fires only for merged segments over the limit") {
  DeviceParams dev;
  dev.max_seg_size = 0x1000;
  const SgVerdict merged = judge(two_granules, dev, 1, output(two_granules, {{0x10000, 0x2000}}), two_at_0x10000);
  CHECK(rules(merged) == std::vector<std::string>{"sg.max_seg_size"});
  // Kept apart: clean (and not a contiguity warning: 0x2000 bytes cannot be one segment).
  const SgVerdict apart = judge(two_granules, dev, 2, output(two_granules, {{0x10000, 0x1000}, {0x11000, 0x1000}}), two_at_0x10000);
  INFO(rules_of(apart.violations));
  CHECK(apart.violations.empty());
  // One entry longer than max_seg_size is the driver's business, not the DMA layer's.
  const std::vector<SgInput> big{{0x40000000, 0, 0x2000}};
  const SgVerdict lone = judge(big, dev, 1, output(big, {{0x10000, 0x2000}}), FakeIommu{}.map(0x10000, 0x40000000, 0x2000));
  CHECK(lone.violations.empty());
}

TEST_CASE("sg judge: sg.boundary fires for a lone entry placed across a boundary it could avoid") {
  DeviceParams dev;
  dev.seg_boundary_mask = 0x1fff;
  // phys 0x40000800, 0x1000 bytes: fits in an 8 KiB window at window offset 0x800.
  const std::vector<SgInput> in{{0x40000000, 0x800, 0x1000}};
  CHECK_FALSE(sg_entry_must_cross(0x40000800, 0x1000, G, 0x1fff));
  SECTION("at 0x11800 it straddles 0x12000") {
    const SgVerdict v = judge(in, dev, 1, output(in, {{0x11800, 0x1000}}), FakeIommu{}.map(0x11000, 0x40000000, 0x2000));
    REQUIRE(rules(v) == std::vector<std::string>{"sg.boundary"});
    CHECK(v.violations[0].flavor == "lone-entry");
  }
  SECTION("at 0x10800 it stays in its window") {
    const SgVerdict v = judge(in, dev, 1, output(in, {{0x10800, 0x1000}}), FakeIommu{}.map(0x10000, 0x40000000, 0x2000));
    CHECK(v.violations.empty());
  }
}

TEST_CASE("sg judge: sg.boundary exempts a lone entry that must cross") {
  DeviceParams dev;
  dev.seg_boundary_mask = 0x1fff;
  // Window offset 0x800 is forced by the in-granule offset: 0x1800 bytes fit, 0x1801 do not.
  CHECK_FALSE(sg_entry_must_cross(0x40000800, 0x1800, G, 0x1fff));
  CHECK(sg_entry_must_cross(0x40000800, 0x1801, G, 0x1fff));
  CHECK(sg_entry_must_cross(0x40000000, 0x2001, G, 0x1fff));  // longer than the window
  CHECK_FALSE(sg_entry_must_cross(0x40000800, 0xffffffff, G, ~u64{0}));
  SECTION("its own physical extent crosses modulo the granule") {
    const std::vector<SgInput> in{{0x40000000, 0x800, 0x1900}};
    const SgVerdict v = judge(in, dev, 1, output(in, {{0x10800, 0x1900}}), FakeIommu{}.map(0x10000, 0x40000000, 0x3000));
    CHECK(v.violations.empty());
  }
  SECTION("it is longer than mask + 1") {
    const std::vector<SgInput> in{{0x40000000, 0, 0x3000}};
    const SgVerdict v = judge(in, dev, 1, output(in, {{0x11000, 0x3000}}), FakeIommu{}.map(0x11000, 0x40000000, 0x3000));
    CHECK(v.violations.empty());
  }
  SECTION("merged entries are never exempt") {
    const std::vector<SgInput> in{{0x40000000, 0, 0x2000}, {0x50000000, 0, 0x1000}};
    const FakeIommu iommu = FakeIommu{}.map(0x10000, 0x40000000, 0x2000).map(0x12000, 0x50000000, G);
    const SgVerdict v = judge(in, dev, 1, output(in, {{0x10000, 0x3000}}), iommu);
    REQUIRE(rules(v) == std::vector<std::string>{"sg.boundary"});
    CHECK(v.violations[0].flavor == "merged");
  }
}

TEST_CASE("sg judge: sg.boundary fires for merged entries across a boundary, not inside a window") {
  DeviceParams dev;
  dev.seg_boundary_mask = 0x1fff;
  SECTION("[0x11000, 0x13000) contains 0x11fff and 0x12000") {
    const FakeIommu iommu = FakeIommu{}.map(0x11000, 0x40000000, G).map(0x12000, 0x50000000, G);
    const SgVerdict v = judge(two_granules, dev, 1, output(two_granules, {{0x11000, 0x2000}}), iommu);
    REQUIRE(rules(v) == std::vector<std::string>{"sg.boundary"});
    CHECK(v.violations[0].flavor == "merged");
  }
  SECTION("[0x10000, 0x12000) is one window") {
    const SgVerdict v = judge(two_granules, dev, 1, output(two_granules, {{0x10000, 0x2000}}), two_at_0x10000);
    CHECK(v.violations.empty());
  }
}

TEST_CASE("sg judge: sg.dma_mask fires for a segment beyond the mask") {
  const std::vector<SgInput> in{{0x40000000, 0, G}};
  const SgVerdict above = judge(in, DeviceParams{}, 1, output(in, {{0x100000000, 0x1000}}), FakeIommu{}.map(0x100000000, 0x40000000, G));
  CHECK(rules(above) == std::vector<std::string>{"sg.dma_mask"});
  // Its last byte one past the mask.
  const SgVerdict straddle = judge(in, DeviceParams{}, 1, output(in, {{0xfffff800, 0x1000}}), FakeIommu{}.map(0xfffff800, 0x40000000, G));
  CHECK(has_rule(straddle.violations, "sg.dma_mask"));
  const SgVerdict inside = judge(in, DeviceParams{}, 1, output(in, {{0xfffff000, 0x1000}}), FakeIommu{}.map(0xfffff000, 0x40000000, G));
  CHECK(inside.violations.empty());
}

TEST_CASE("sg judge: sg.count fires when map_sg returns more segments than entries") {
  const SgVerdict v = judge(two_granules, DeviceParams{}, 3, output(two_granules, {{0x10000, 0x1000}, {0x11000, 0x1000}}), two_at_0x10000);
  CHECK(rules(v) == std::vector<std::string>{"sg.count"});
  const std::vector<SgInput> in{{0x40000000, 0, G}, {0x50000000, 0x10, G}};
  const FakeIommu iommu = FakeIommu{}.map(0x10000, 0x40000000, G).map(0x11000, 0x50000000, 2 * G);
  const SgVerdict ok = judge(in, DeviceParams{}, 2, output(in, {{0x10000, 0x1000}, {0x11010, 0x1000}}), iommu);
  CHECK(ok.violations.empty());
}

TEST_CASE("sg judge: sg.restore fires when the caller's fields are not given back") {
  SECTION("success with an offset left at its aligned value") {
    const std::vector<SgInput> in{{0x40000000, 0x1100, 0x200}};
    std::vector<Scatterlist> out = output(in, {{0x10100, 0x200}});
    out[0].offset = 0x100;
    const SgVerdict v = judge(in, DeviceParams{}, 1, out, FakeIommu{}.map(0x10000, 0x40001000, G));
    CHECK(rules(v) == std::vector<std::string>{"sg.restore"});
  }
  SECTION("failure with a length left at its aligned value") {
    const std::vector<SgInput> in{{0x40000000, 0, 0x200}};
    std::vector<Scatterlist> out = output(in, {});
    out[0].length = 0x1000;
    const SgVerdict v = judge(in, DeviceParams{}, 0, out, FakeIommu{});
    CHECK(rules(v) == std::vector<std::string>{"sg.restore"});
  }
  SECTION("failure with a dma_length left behind") {
    std::vector<Scatterlist> out = output(two_granules, {});
    out[1].dma_length = 0x1000;
    const SgVerdict v = judge(two_granules, DeviceParams{}, -12, out, FakeIommu{});
    CHECK(rules(v) == std::vector<std::string>{"sg.restore"});
  }
  SECTION("failure (0 or -errno) with everything restored is clean") {
    for (int ret : {0, -12, -22}) {
      const SgVerdict v = judge(two_granules, DeviceParams{}, ret, output(two_granules, {}), FakeIommu{});
      CHECK(v.violations.empty());
      CHECK_FALSE(v.layout.sound);
    }
  }
}

TEST_CASE("sg judge: sg.contiguity warns when joinable entries come back as several segments") {
  const SgVerdict split = judge(two_granules, DeviceParams{}, 2, output(two_granules, {{0x10000, 0x1000}, {0x11000, 0x1000}}), two_at_0x10000);
  REQUIRE(rules(split) == std::vector<std::string>{"sg.contiguity"});
  CHECK(find_rule("sg.contiguity")->cls == RuleClass::hardening);
  SECTION("not joinable: entry 0 ends mid-granule") {
    const std::vector<SgInput> in{{0x40000000, 0, 0x800}, {0x50000000, 0, G}};
    const SgVerdict v = judge(in, DeviceParams{}, 2, output(in, {{0x10000, 0x800}, {0x11000, 0x1000}}), two_at_0x10000);
    CHECK(v.violations.empty());
  }
  SECTION("not joinable: together they exceed the boundary window") {
    DeviceParams dev;
    dev.seg_boundary_mask = 0xfff;
    const SgVerdict v = judge(two_granules, dev, 2, output(two_granules, {{0x10000, 0x1000}, {0x11000, 0x1000}}), two_at_0x10000);
    CHECK(v.violations.empty());
  }
}
