// A PCI device's host bridge through iommu_dma_init_domain(): Linux 6.1's own
// iova_reserve_pci_windows() and the mainline model reserve the same IOVAs, map nothing there,
// and fail init on the same dma-ranges; the one version difference on PCI devices (the SAC
// retry) is pinned by its corpus case.
#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "run/run.h"
#include "run/variants.h"
#include "spec/dma_init_judge.h"
#include "spec/unit/dma_layer.h"
#include "tests/kernel/mainline_sac_variant.h"

using namespace iovet;

namespace {

// An outbound window at the top of the 32-bit DMA window, another low one, and two dma-ranges
// listed out of CPU order (the kernel sorts them).
Config bridged() {
  Config c;
  c.device.pci = PciHostBridge{{{0xf0000000, 0xffffffff}, {0x20000000, 0x2fffffff}},
                               {{0xc0000000, 0xdfffffff, 0}, {0x10000000, 0x7fffffff, 0}}};
  return c;
}

int init_error(const std::string& variant, const Config& c) {
  try {
    find_variant(variant)->dma(c);
  } catch (const DmaInitError& e) {
    return e.err;
  }
  return 0;
}

}  // namespace

TEST_CASE("linux-6.1 and the mainline model reserve a host bridge's windows and gaps alike and map nothing there",
          "[kernel][pci]") {
  const Config c = bridged();
  auto tree = find_variant("linux-6.1")->dma(c);
  auto model = find_variant("mainline")->dma(c);
  // The same reserve_iova() calls, merged the same way.
  CHECK(tree->iova().reserved() == model->iova().reserved());
  // Every IOVA the spec reserves is inside a reserved node.
  for (const ReservedIova& r : reserved_iova(c)) {
    INFO(r.what << " [" << hex(r.range.first) << ", " << hex(r.range.last) << "]");
    const u64 lo = r.range.first >> 12, hi = std::min<u64>(r.range.last >> 12, 0xfffff);
    for (u64 pfn : {lo, hi}) {
      bool covered = false;
      for (const IovaRange& n : tree->iova().reserved()) covered |= n.pfn_lo <= pfn && pfn <= n.pfn_hi;
      CHECK(covered);
    }
  }
  // Top-down from the top of the higher dma-range, the same IOVAs, none reserved; the lower
  // range's first granule is over-reserved by the kernel (the gap is reserved through it).
  const ReservedJudge judge(c);
  u64 expect = 0xdffff000;
  for (int i = 0; i < 32; ++i) {
    const u64 a = tree->map_page(0x40000000 + i * 0x1000, 0, 0x1000, Dir::to_device);
    CHECK(a == model->map_page(0x40000000 + i * 0x1000, 0, 0x1000, Dir::to_device));
    CHECK(a == expect);
    CHECK_FALSE(judge.check({a, a + 0xfff}));
    expect -= 0x1000;
  }
}

TEST_CASE("init fails with -EINVAL exactly where dma.init says, on linux-6.1 and the mainline model", "[kernel][pci]") {
  Config c = bridged();
  PciHostBridge& b = *c.device.pci;
  for (const char* v : {"linux-6.1", "mainline"}) {
    INFO(v);
    b.dma_ranges = {{0xc0000000, 0xdfffffff, 0}, {0x10000000, 0x7fffffff, 0}};  // disjoint, listed out of order
    CHECK(init_error(v, c) == 0);
    b.dma_ranges = {{0x10000000, 0x7fffffff, 0}, {0x7ffff000, 0x9fffffff, 0}};  // overlapping by a page
    CHECK(init_error(v, c) == -22);
    CHECK(judge_dma_init(c, -22) == std::nullopt);
    b.dma_ranges = {{0x10000000, 0x7fffffff, 0}, {0x80000000, 0x9fffffff, 0}};  // adjacent
    CHECK(init_error(v, c) == 0);
    // Disjoint in bus space, but the offset puts the lower bus range last in CPU order.
    b.dma_ranges = {{0x1010000000, 0x107fffffff, 0x1000000000}, {0x80000000, 0x9fffffff, 0}};
    CHECK(init_error(v, c) == -22);
    CHECK(judge_dma_init(c, 0)->rule == "dma.init");
    b.dma_ranges.clear();  // a bridge without dma-ranges reserves no gap
    CHECK(init_error(v, c) == 0);
  }
}

TEST_CASE("the PCI SAC retry is a version difference: linux-6.1 tries below 4 GiB every time, mainline until it fails",
          "[kernel][pci]") {
  const Case c = load_case(std::string(IOVET_SOURCE_DIR) + "/corpus/linux-6.1/linux-6.1-pci-sac-retries-below-4g.json",
                           true, nullptr);
  CHECK(judge_replay(c, run_case(c, {"linux-6.1"})).status == Status::pass);
  CHECK(judge_replay(c, run_case(c, {kerneltest::mainline_sac_every_time()})).status == Status::pass);
  const RunResult m = run_case(c, {"mainline"});
  CHECK(m.violations.empty());  // no rule is broken: the IOVA is elsewhere
  REQUIRE(m.expect_failures.size() == 1);
  CHECK(m.expect_failures[0].find("op 2:") == 0);
}
