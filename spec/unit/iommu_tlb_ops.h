// The TLB maintenance a driver provides: io-pgtable's iommu_flush_ops (tlb_flush_walk) and
// iommu_domain_ops' iotlb_sync / flush_iotlb_all, as the IOMMU core and dma-iommu call them.
#pragma once
#include "spec/unit/page_table.h"

namespace iovet {

class IommuTlbOps {
 public:
  virtual ~IommuTlbOps() = default;
  // A table was removed while unmapping: invalidate walk caches and leaves for the range now.
  virtual void tlb_flush_walk(u64 iova, u64 size, u64 granule) = 0;
  // iommu_iotlb_sync(): invalidate what the gather collected and wait for completion.
  virtual void iotlb_sync(const IotlbGather& gather) = 0;
  // iommu_flush_iotlb_all(): the whole domain, and wait.
  virtual void flush_iotlb_all() = 0;
};

}  // namespace iovet
