// A paging domain of the SMMUv3 driver (struct arm_smmu_domain): its stage, ASID or VMID, the
// CD / STE values for its io-pgtable, and the TLB maintenance io-pgtable and the IOMMU core
// call (arm_smmu_flush_ops, arm_smmu_iotlb_sync, arm_smmu_flush_iotlb_all).
#pragma once
#include "impl/io_pgtable_arm.h"
#include "impl/smmu/arm_smmu_v3.h"
#include "impl/smmu/lpae_tcr.h"
#include "spec/unit/iommu_tlb_ops.h"

namespace iovet {

class ArmSmmuDomain final : public IommuTlbOps {
 public:
  enum class Stage { s1, s2 };

  // arm_smmu_domain_finalise(): the stage follows pgtable.cfg().format; ASIDs and VMIDs are
  // allocated from 1. Throws std::invalid_argument when the SMMU cannot do the table's
  // format or sizes, std::runtime_error when ASIDs/VMIDs run out.
  ArmSmmuDomain(ArmSmmuDevice& smmu, const ArmLpaePgtable& pgtable);
  ~ArmSmmuDomain() override;  // arm_smmu_domain_free_paging(): the ASID/VMID goes back
  ArmSmmuDomain(const ArmSmmuDomain&) = delete;
  ArmSmmuDomain& operator=(const ArmSmmuDomain&) = delete;

  void tlb_flush_walk(u64 iova, u64 size, u64 granule) override;  // arm_smmu_tlb_inv_walk
  void iotlb_sync(const IotlbGather& gather) override;             // arm_smmu_iotlb_sync
  void flush_iotlb_all() override;                                  // arm_smmu_flush_iotlb_all

  Stage stage() const { return stage_; }
  u32 asid() const { return asid_; }  // stage 1
  u32 vmid() const { return vmid_; }  // stage 2
  const smmu::LpaeS1Cfg& s1_cfg() const { return s1_; }
  const smmu::LpaeS2Cfg& s2_cfg() const { return s2_; }
  const ArmLpaePgtable& pgtable() const { return pgtable_; }

 private:
  friend class ArmSmmuDevice;
  // arm_smmu_tlb_inv_range_domain(): leaf or walk invalidation of [iova, iova + size).
  void tlb_inv_range_domain(u64 iova, u64 size, u64 granule, bool leaf);

  ArmSmmuDevice& smmu_;
  const ArmLpaePgtable& pgtable_;
  Stage stage_;
  u32 asid_ = 0, vmid_ = 0;
  unsigned tg_shift_;  // __ffs(domain->pgsize_bitmap): the leaf page size
  smmu::LpaeS1Cfg s1_;
  smmu::LpaeS2Cfg s2_;
};

}  // namespace iovet
