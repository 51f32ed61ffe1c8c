// What every dma-iommu variant runs in: the device, the domain (IOMMU core over a page
// table), the IOVA domain, the CPU page allocator, and WARN() collection.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ref/env/iommu_domain.h"
#include "ref/env/phys_pages.h"
#include "spec/config.h"
#include "spec/unit/dma_layer.h"

namespace iovet {

// Whether the modelled iommu_dma_init_domain() reads a PCI device's host bridge
// (iova_reserve_pci_windows(), since "iommu/dma: Avoid PCI host bridge windows", 2016).
enum class HostBridge { ignored, reserved };

class IommuDmaEnv : public DmaLayer {
 public:
  // Throws DmaInitError where iommu_dma_init_domain() fails.
  IommuDmaEnv(const Config& cfg, std::unique_ptr<PageTable> pgtable, std::unique_ptr<IovaAllocator> iovad,
              HostBridge host_bridge);
  u64 iommu_unmap(u64 iova, u64 size) override { return domain_.unmap(iova, size); }
  const PageTable& page_table() const override { return domain_.page_table(); }
  const IovaAllocator& iova() const override { return *iovad_; }
  std::vector<std::string> take_warnings() override;

 protected:
  void warn(std::string what) { warnings_.push_back(std::move(what)); }
  u64 granule() const { return cfg_.granule; }
  unsigned shift() const { return shift_; }  // iova_shift()
  const DeviceParams& dev() const { return cfg_.device; }
  // __iommu_dma_alloc_pages() in an environment where every allocation succeeds: each step
  // takes the biggest order in order_mask not above __fls(remaining count).
  std::vector<u64> alloc_buffer_pages(u32 count, u64 order_mask);
  void free_buffer_pages(const std::vector<u64>& pages);
  // sg_alloc_table_from_pages(pages, 0, size): one entry per CPU page, the last one short.
  std::vector<Scatterlist> pages_to_sg(const std::vector<u64>& pages, u64 size) const;

  Config cfg_;
  PhysPages pages_;
  IommuDomain domain_;
  std::unique_ptr<IovaAllocator> iovad_;

 private:
  void reserve_pci_windows(const PciHostBridge& bridge);

  unsigned shift_;  // the granule's, fixed for the domain's life: computed once
  std::vector<std::string> warnings_;
};

}  // namespace iovet
