#include "ref/dma/iommu_dma_env.h"

#include <algorithm>

namespace iovet {

IommuDmaEnv::IommuDmaEnv(const Config& cfg, std::unique_ptr<PageTable> pgtable,
                         std::unique_ptr<IovaAllocator> iovad, HostBridge host_bridge)
    : cfg_(cfg),
      pages_(cfg.page_size),
      domain_(std::move(pgtable), cfg.aperture()),
      iovad_(std::move(iovad)),
      shift_(cfg.granule_shift()) {
  // iova_reserve_iommu_regions(): a PCI device's host-bridge windows first, then the
  // platform's reserved regions; none of them is ever handed out.
  if (cfg.device.pci && host_bridge == HostBridge::reserved) reserve_pci_windows(*cfg.device.pci);
  for (const Range& r : cfg.domain.reserved) iovad_->reserve(r.first >> shift(), r.last >> shift());
}

// iova_reserve_pci_windows(): every outbound MEM window (P2P addresses), then, walking the
// dma_ranges in CPU-address order (list_sort() by res->start), the bus addresses below, between
// and above them, each gap reserved through the granule holding the next range's first byte.
void IommuDmaEnv::reserve_pci_windows(const PciHostBridge& bridge) {
  for (const Range& w : bridge.windows) iovad_->reserve(w.first >> shift(), w.last >> shift());
  std::vector<PciDmaRange> ranges = bridge.dma_ranges;
  std::stable_sort(ranges.begin(), ranges.end(), [](const PciDmaRange& a, const PciDmaRange& b) { return a.start < b.start; });
  u64 start = 0;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const u64 end = ranges[i].bus_start();
    if (end > start) iovad_->reserve(start >> shift(), end >> shift());
    else if (end < start)  // "DMA ranges should be non-overlapping"
      throw DmaInitError(-22, "iova_reserve_pci_windows(): failed to reserve IOVA [" + hex(start) + "-" + hex(end) + "]");
    start = ranges[i].bus_end() + 1;
  }
  // After the last range, everything up to the top of the bus address space.
  if (!ranges.empty() && ~u64{0} > start) iovad_->reserve(start >> shift(), ~u64{0} >> shift());
}

std::vector<std::string> IommuDmaEnv::take_warnings() {
  std::vector<std::string> w;
  w.swap(warnings_);
  for (std::string& p : domain_.take_pgtable_warnings()) w.push_back("io-pgtable: " + std::move(p));
  return w;
}

std::vector<u64> IommuDmaEnv::alloc_buffer_pages(u32 count, u64 order_mask) {
  std::vector<u64> pages;
  while (count) {
    const u64 usable = order_mask & ((u64{2} << ilog2(count)) - 1);
    if (!usable) {
      free_buffer_pages(pages);
      return {};
    }
    const unsigned order = ilog2(usable);
    const u64 block = pages_.alloc(order);
    for (u64 i = 0; i < (u64{1} << order); ++i) pages.push_back(block + i * pages_.page_size());
    count -= u32{1} << order;
  }
  return pages;
}

// __iommu_dma_free_pages(): the blocks were split, so every page goes back on its own.
void IommuDmaEnv::free_buffer_pages(const std::vector<u64>& pages) {
  for (u64 p : pages) pages_.free(p, 0);
}

std::vector<Scatterlist> IommuDmaEnv::pages_to_sg(const std::vector<u64>& pages, u64 size) const {
  std::vector<Scatterlist> sg;
  for (u64 p : pages) {
    if (!size) break;
    const u64 len = std::min(size, cfg_.page_size);
    sg.push_back({p, 0, static_cast<u32>(len)});
    size -= len;
  }
  return sg;
}

}  // namespace iovet
