// The whole simulated stack behind target smmu: mainline dma-iommu (strict or DMA-FQ) over an
// IOMMU domain whose page table is the optimised LPAE one, the SMMUv3 driver, and the SMMUv3
// hardware model that device accesses go through. Variants replace parts of it (the driver,
// the flush queue) with deliberately wrong ones, so tests can show each rule catching a fault.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "impl/phys_mem.h"
#include "impl/smmu_hw/smmu_hw_params.h"
#include "impl/smmu_mmio.h"
#include "ref/dma/flush_queue.h"
#include "spec/config.h"
#include "spec/unit/smmu.h"

namespace iovet {

class ArmSmmuDevice;
class ArmLpaePgtable;
class PageTable;

// The parts a stack is built from; each may be empty: then the production part is used.
struct SmmuVariant {
  std::string name;
  std::string summary;
  std::function<std::unique_ptr<ArmSmmuDevice>(SmmuMmio&, PhysMem&, SmmuTraceSink)> make_driver;
  std::function<std::unique_ptr<FlushQueue>(unsigned size, IommuTlbOps&, IovaAllocator&)> make_fq;
  // The DMA domain's page table as the IOMMU core calls it (the driver and the judge's
  // iova_to_phys still see the table itself).
  std::function<std::unique_ptr<PageTable>(std::unique_ptr<ArmLpaePgtable>)> wrap_pgtable;
  // Before v6.9, arm_smmu_attach_dev() first detached a stream from its domain through the
  // aborting STE (arm_smmu_detach_dev()); a test variant does so to compare with Linux 6.1.
  bool detach_first = false;
};

// The simulated SMMU a case's configuration describes (its ID registers, queue and TLB shapes).
SmmuHwParams smmu_hw_params(const Config& cfg);

// Tests: a planted-fault stack as a variant of the catalogue (run/variants.h).
void register_smmu_variant(SmmuVariant v);

// Throws std::invalid_argument when the configuration cannot be built (the SMMU cannot do the
// page table's sizes, a stream table too big). observe = false leaves take_trace() empty
// (benchmarks: the figures are the stack's, not the judge's bookkeeping).
std::unique_ptr<SmmuStack> make_smmu_stack(const Config& cfg, const SmmuVariant& v, bool observe = true);

}  // namespace iovet
