#include "impl/smmu/arm_smmu_domain.h"

#include <bit>
#include <stdexcept>

namespace iovet {

using namespace smmu;

namespace {
// Where the page table asks for more than the SMMU offers (alloc_io_pgtable_ops() would be
// given the SMMU's limits and refuse or shrink the table).
void check_fits(const ArmSmmuFeatures& f, const PgtableCfg& cfg, bool s1) {
  if (s1 ? !f.trans_s1 : !f.trans_s2)
    throw std::invalid_argument(s1 ? "smmu domain: no stage-1 support"
                                   : "smmu domain: no stage-2 support");
  if (!cfg.pgsize_bitmap || (cfg.pgsize_bitmap & ~f.pgsize_bitmap))
    throw std::invalid_argument("smmu domain: page sizes the SMMU does not support");
  // Stage 1 input is a VA (48 bits, 52 with IDR5.VAX), output an IPA; stage 2 maps IPA to PA.
  const unsigned max_ias = s1 ? (f.vax ? 52 : 48) : f.ias;
  const unsigned max_oas = s1 ? f.ias : f.oas;
  if (cfg.ias > max_ias) throw std::invalid_argument("smmu domain: ias beyond the SMMU's");
  if (cfg.oas > max_oas) throw std::invalid_argument("smmu domain: oas beyond the SMMU's");
}
}  // namespace

ArmSmmuDomain::ArmSmmuDomain(ArmSmmuDevice& smmu, const ArmLpaePgtable& pgtable)
    : smmu_(smmu),
      pgtable_(pgtable),
      stage_(pgtable.cfg().format == Format::arm64_lpae_s1 ? Stage::s1 : Stage::s2),
      tg_shift_(static_cast<unsigned>(std::countr_zero(pgtable.cfg().pgsize_bitmap))) {
  const ArmSmmuFeatures& f = smmu.features();
  check_fits(f, pgtable.cfg(), stage_ == Stage::s1);
  if (stage_ == Stage::s1) {  // arm_smmu_domain_finalise_s1()
    s1_ = lpae_s1_cfg(pgtable);
    asid_ = smmu.alloc_id(smmu.asids_, f.asid_bits);
    if (!asid_) throw std::runtime_error("smmu domain: no free ASID");
  } else {  // arm_smmu_domain_finalise_s2(): VMID 0 stays for stage-2 bypass STEs
    s2_ = lpae_s2_cfg(pgtable);
    vmid_ = smmu.alloc_id(smmu.vmids_, f.vmid_bits);
    if (!vmid_) throw std::runtime_error("smmu domain: no free VMID");
  }
}

ArmSmmuDomain::~ArmSmmuDomain() {
  if (stage_ == Stage::s1)
    smmu_.asids_.erase(asid_);
  else
    smmu_.vmids_.erase(vmid_);
}

void ArmSmmuDomain::tlb_inv_range_domain(u64 iova, u64 size, u64 granule, bool leaf) {
  CmdqEnt cmd;
  cmd.tlbi.leaf = leaf;
  if (stage_ == Stage::s1) {
    cmd.opcode = cmdq_op::tlbi_nh_va;
    cmd.tlbi.asid = static_cast<std::uint16_t>(asid_);
  } else {
    cmd.opcode = cmdq_op::tlbi_s2_ipa;
    cmd.tlbi.vmid = static_cast<std::uint16_t>(vmid_);
  }
  smmu_.tlb_inv_range(cmd, iova, size, granule, tg_shift_);
}

void ArmSmmuDomain::tlb_flush_walk(u64 iova, u64 size, u64 granule) {
  tlb_inv_range_domain(iova, size, granule, false);
}

void ArmSmmuDomain::iotlb_sync(const IotlbGather& gather) {
  if (!gather.pgsize) return;
  tlb_inv_range_domain(gather.start, gather.end - gather.start + 1, gather.pgsize, true);
}

void ArmSmmuDomain::flush_iotlb_all() {  // arm_smmu_tlb_inv_context()
  CmdqEnt cmd;
  if (stage_ == Stage::s1) {  // arm_smmu_tlb_inv_asid()
    cmd.opcode = cmdq_op::tlbi_nh_asid;
    cmd.tlbi.asid = static_cast<std::uint16_t>(asid_);
  } else {
    cmd.opcode = cmdq_op::tlbi_s12_vmall;
    cmd.tlbi.vmid = static_cast<std::uint16_t>(vmid_);
  }
  smmu_.issue_cmd(cmd, true);
}

}  // namespace iovet
