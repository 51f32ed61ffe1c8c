#include "spec/dma_init_judge.h"

#include <algorithm>

namespace iovet {
namespace {

constexpr int kEinval = -22;

// bridge->dma_ranges after list_sort() by res->start (a stable merge sort).
std::vector<PciDmaRange> cpu_order(const PciHostBridge& b) {
  std::vector<PciDmaRange> r = b.dma_ranges;
  std::stable_sort(r.begin(), r.end(), [](const PciDmaRange& x, const PciDmaRange& y) { return x.start < y.start; });
  return r;
}

std::string range_text(u64 first, u64 last) { return "[" + hex(first) + ", " + hex(last) + "]"; }

}  // namespace

std::optional<std::string> dma_init_must_fail(const Config& cfg) {
  if (!cfg.device.pci) return std::nullopt;
  const std::vector<PciDmaRange> sorted = cpu_order(*cfg.device.pci);
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].bus_start() <= sorted[i - 1].bus_end())
      return "in CPU-address order, dma-range CPU " + range_text(sorted[i].start, sorted[i].end) + " starts at bus " +
             hex(sorted[i].bus_start()) + ", not above the end of the one before it (CPU " +
             range_text(sorted[i - 1].start, sorted[i - 1].end) + ", bus end " + hex(sorted[i - 1].bus_end()) + ")";
  return std::nullopt;
}

std::vector<ReservedIova> reserved_iova(const Config& cfg) {
  std::vector<ReservedIova> out;
  for (const Range& r : cfg.domain.reserved) out.push_back({r, "domain.reserved"});
  if (!cfg.device.pci) return out;
  for (const Range& w : cfg.device.pci->windows) out.push_back({w, "the PCI host bridge's outbound window"});
  if (cfg.device.pci->dma_ranges.empty() || dma_init_must_fail(cfg)) return out;
  const char* gap = "a bus-address gap outside the host bridge's dma-ranges";
  u64 next = 0;  // the lowest bus address no range below has covered
  for (const PciDmaRange& r : cpu_order(*cfg.device.pci)) {
    if (r.bus_start() > next) out.push_back({{next, r.bus_start() - 1}, gap});
    next = r.bus_end() + 1;  // validate() keeps bus ends below 2^64-1
  }
  out.push_back({{next, ~u64{0}}, gap});
  return out;
}

std::optional<Violation> judge_dma_init(const Config& cfg, int err) {
  const std::optional<std::string> why = dma_init_must_fail(cfg);
  std::string msg;
  if (why && err == 0) msg = "iommu_dma_init_domain() succeeded where it must fail with -EINVAL: " + *why;
  else if (why && err != kEinval)
    msg = "iommu_dma_init_domain() failed with " + std::to_string(err) + ", expected -EINVAL: " + *why;
  else if (!why && err != 0)
    msg = "iommu_dma_init_domain() failed with " + std::to_string(err) +
          (cfg.device.pci ? " though the host bridge's dma-ranges are disjoint and ascending in bus space"
                          : " for a platform device");
  if (msg.empty()) return std::nullopt;
  return Violation{"dma.init", msg, -1, ""};
}

std::optional<std::string> ReservedJudge::check(const Range& hull) const {
  for (const ReservedIova& r : reserved_)
    if (r.range.overlaps(hull))
      return "the mapping's IOVA granules " + range_text(hull.first, hull.last) + " overlap " + r.what + " " +
             range_text(r.range.first, r.range.last);
  return std::nullopt;
}

}  // namespace iovet
