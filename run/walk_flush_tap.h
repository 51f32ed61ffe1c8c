// The TLB maintenance the page table asks of the driver, passed through, with every table it
// freed (tlb_flush_walk) reported first: the SMMU judge then knows which walk-cache entries the
// driver's invalidation must remove.
#pragma once
#include <functional>

#include "spec/unit/iommu_tlb_ops.h"

namespace iovet {

class WalkFlushTap final : public IommuTlbOps {
 public:
  using Report = std::function<void(u64 iova, u64 size)>;
  WalkFlushTap(IommuTlbOps& inner, Report report) : inner_(inner), report_(std::move(report)) {}
  void tlb_flush_walk(u64 iova, u64 size, u64 granule) override {
    report_(iova, size);
    inner_.tlb_flush_walk(iova, size, granule);
  }
  void iotlb_sync(const IotlbGather& gather) override { inner_.iotlb_sync(gather); }
  void flush_iotlb_all() override { inner_.flush_iotlb_all(); }

 private:
  IommuTlbOps& inner_;
  Report report_;
};

}  // namespace iovet
