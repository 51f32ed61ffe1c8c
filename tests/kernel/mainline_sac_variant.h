// The mainline model with Linux 6.1's PCI SAC behaviour (a 32-bit try on every allocation,
// before v6.5's "iommu: Optimise PCI SAC address trick"): diffed against linux-6.1, it shows
// what differs once that documented version difference is taken out.
#pragma once
#include "ref/dma/mainline.h"
#include "run/make_page_table.h"
#include "run/variants.h"

namespace kerneltest {

inline const char* mainline_sac_every_time() {
  static const char* name = [] {
    iovet::Variant v{"mainline-sac-every-time", "the mainline model with Linux 6.1's iommu_dma_alloc_iova()",
                     "tests only"};
    v.dma = [](const iovet::Config& c) -> std::unique_ptr<iovet::DmaLayer> {
      return std::make_unique<iovet::MainlineDma>(c, iovet::make_page_table(c),
                                                  iovet::iommu_dma_init_domain(c, iovet::find_iova_model("mainline")->make),
                                                  iovet::dma_target_driver(c), iovet::PciSac::every_time);
    };
    iovet::register_variant(std::move(v));
    return "mainline-sac-every-time";
  }();
  return name;
}

}  // namespace kerneltest
