// The host-bridge rules on hand-made configurations: which IOVAs reserved_iova() keeps from
// mappings, when judge_dma_init() says init must fail, and ReservedJudge on mapping hulls.
#include <catch2/catch.hpp>

#include "spec/dma_init_judge.h"

using namespace iovet;

namespace {

Config pci(std::vector<Range> windows, std::vector<PciDmaRange> ranges) {
  Config c;
  c.device.pci = PciHostBridge{std::move(windows), std::move(ranges)};
  return c;
}

std::vector<Range> ranges_of(const std::vector<ReservedIova>& r) {
  std::vector<Range> out;
  for (const ReservedIova& x : r) out.push_back(x.range);
  return out;
}

}  // namespace

TEST_CASE("reserved_iova: domain.reserved, outbound windows and every bus address outside the dma-ranges") {
  Config c = pci({{0xf0000000, 0xffffffff}}, {{0xc0000000, 0xdfffffff, 0}, {0x10000000, 0x7fffffff, 0}});
  c.domain.reserved = {{0x8000000, 0x80fffff}};
  // The ranges are taken in CPU-address order, whatever order firmware listed them in.
  CHECK(ranges_of(reserved_iova(c)) == std::vector<Range>{{0x8000000, 0x80fffff},
                                                          {0xf0000000, 0xffffffff},
                                                          {0, 0xfffffff},
                                                          {0x80000000, 0xbfffffff},
                                                          {0xe0000000, ~u64{0}}});
  CHECK(reserved_iova(c)[1].what == "the PCI host bridge's outbound window");
  // Bus addresses, not CPU ones: a range at CPU 0x1_0000_0000 seen at bus 0.
  CHECK(ranges_of(reserved_iova(pci({}, {{0x100000000, 0x13fffffff, 0x100000000}}))) ==
        std::vector<Range>{{0x40000000, ~u64{0}}});
  // Adjacent ranges leave no gap; a range from 0 leaves none below it.
  CHECK(ranges_of(reserved_iova(pci({}, {{0, 0xfff, 0}, {0x1000, 0x1fff, 0}}))) == std::vector<Range>{{0x2000, ~u64{0}}});
  // No dma-ranges: no gap (iova_reserve_pci_windows() walks an empty list); not PCI: no window.
  CHECK(ranges_of(reserved_iova(pci({{0x1000, 0x1fff}}, {}))) == std::vector<Range>{{0x1000, 0x1fff}});
  CHECK(reserved_iova(Config{}).empty());
}

TEST_CASE("judge_dma_init: init must fail exactly when the CPU-ordered dma-ranges do not ascend disjointly in bus space") {
  const Config fine = pci({}, {{0x80000000, 0x9fffffff, 0}, {0, 0x7fffffff, 0}});  // adjacent, listed backwards
  const Config overlap = pci({}, {{0, 0x7fffffff, 0}, {0x7fffffff, 0x8fffffff, 0}});
  const Config same = pci({}, {{0, 0xfff, 0}, {0, 0xfff, 0}});
  // Disjoint in bus space, but CPU order (0x80000000 < 0x1000000000) puts bus 0x80000000 first.
  const Config swapped = pci({}, {{0x1000000000, 0x100fffffff, 0x1000000000}, {0x80000000, 0x9fffffff, 0}});
  CHECK_FALSE(dma_init_must_fail(fine));
  CHECK_FALSE(dma_init_must_fail(Config{}));
  for (const Config* c : {&overlap, &same, &swapped}) CHECK(dma_init_must_fail(*c));

  CHECK_FALSE(judge_dma_init(fine, 0));
  CHECK_FALSE(judge_dma_init(overlap, -22));
  CHECK_FALSE(judge_dma_init(Config{}, 0));
  const auto succeeded = judge_dma_init(swapped, 0);
  REQUIRE(succeeded);
  CHECK(succeeded->rule == "dma.init");
  CHECK(succeeded->op == -1);
  CHECK(succeeded->message.find("succeeded where it must fail") != std::string::npos);
  CHECK(judge_dma_init(fine, -22));      // failed where it must succeed
  CHECK(judge_dma_init(overlap, -12));   // failed, but not with -EINVAL
  CHECK(judge_dma_init(Config{}, -14));  // a platform device's init must succeed
  // Where init must fail, no gap is reserved (no op runs after a failed init).
  CHECK(ranges_of(reserved_iova(overlap)).empty());
}

TEST_CASE("ReservedJudge: a mapping's granules may touch no reserved byte, even at the edges") {
  const ReservedJudge j(pci({{0xf0000000, 0xf0000fff}}, {{0x10000000, 0x7fffffff, 0}}));
  CHECK_FALSE(j.check({0x7ffff000, 0x7fffffff}));
  CHECK_FALSE(j.check({0x10000000, 0x10000fff}));
  const auto above = j.check({0x7ffff000, 0x80000fff});
  REQUIRE(above);
  CHECK(above->find("a bus-address gap outside the host bridge's dma-ranges [0x80000000, 0xffffffffffffffff]") !=
        std::string::npos);
  CHECK(j.check({0xeffff000, 0xf0000000}));  // one byte into the window
  CHECK(j.check({0xfffff000, 0xffffffff}));  // in the gap above the ranges
  CHECK(j.check({0x0fff0000, 0x0fffffff}));  // in the gap below them
}
