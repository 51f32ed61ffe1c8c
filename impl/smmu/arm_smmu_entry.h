// Building STEs and CDs (arm_smmu_make_*_ste, arm_smmu_make_s1_cd) and the per-qword "used
// bits" the hitless update works from (arm_smmu_get_ste_used, arm_smmu_get_cd_used,
// arm_smmu_get_ste_update_safe, arm_smmu_entry_qword_diff).
#pragma once
#include "impl/smmu/arm_smmu_v3_defs.h"
#include "impl/smmu/lpae_tcr.h"

namespace iovet::smmu {

// The CD table an S1 STE points at (struct arm_smmu_ctx_desc_cfg, linear only).
struct CdTableRef {
  u64 cdtab_dma = 0;
  unsigned s1fmt = STRTAB_STE_0_S1FMT_LINEAR;
  unsigned s1cdmax = 0;
};

// The arm_smmu_device features the entries depend on.
struct EntryFeatures {
  bool attr_types_ovr = false;  // IDR1.ATTR_TYPES_OVR: SHCFG = incoming
  bool stalls = false;          // IDR0.STALL_MODEL allows stalls
  bool stall_enabled = false;   // the master stalls (STALL_FORCE)
};

Entry make_abort_ste();
Entry make_bypass_ste(const EntryFeatures& f);
Entry make_cdtable_ste(const CdTableRef& cd_table, unsigned s1dss, const EntryFeatures& f);
Entry make_s2_domain_ste(const LpaeS2Cfg& s2, u32 vmid, const EntryFeatures& f);
Entry make_s1_cd(const LpaeS1Cfg& s1, u32 asid, const EntryFeatures& f);

// Bits of each qword the SMMU reads for the configuration `ent` selects.
Entry get_ste_used(const Entry& ent);
Entry get_cd_used(const Entry& ent);
// Bits that may change in any order without a disruptive update (STE only).
Entry get_ste_update_safe(const Entry& cur, const Entry& target);

// arm_smmu_entry_qword_diff(): the qwords whose used bits must change after unused_update
// (entry with every bit the current config ignores set to target) is written; bit i = qword i.
unsigned entry_qword_diff(const Entry& used_cur, const Entry& used_target, const Entry& safe,
                          const Entry& entry, const Entry& target, Entry* unused_update);

}  // namespace iovet::smmu
