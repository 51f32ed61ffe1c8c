#include "impl/smmu/arm_smmu_entry.h"

namespace iovet::smmu {

Entry make_abort_ste() {  // arm_smmu_make_abort_ste()
  Entry t{};
  t[0] = STRTAB_STE_0_V | field_prep(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_ABORT);
  return t;
}

Entry make_bypass_ste(const EntryFeatures& f) {  // arm_smmu_make_bypass_ste()
  Entry t{};
  t[0] = STRTAB_STE_0_V | field_prep(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_BYPASS);
  if (f.attr_types_ovr) t[1] = field_prep(STRTAB_STE_1_SHCFG, STRTAB_STE_1_SHCFG_INCOMING);
  return t;
}

// arm_smmu_make_cdtable_ste() without ATS, for a non-E2H (NS-EL1 stream world) SMMU.
Entry make_cdtable_ste(const CdTableRef& cd, unsigned s1dss, const EntryFeatures& f) {
  Entry t{};
  t[0] = STRTAB_STE_0_V | field_prep(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S1_TRANS) |
         field_prep(STRTAB_STE_0_S1FMT, cd.s1fmt) | (cd.cdtab_dma & STRTAB_STE_0_S1CTXPTR_MASK) |
         field_prep(STRTAB_STE_0_S1CDMAX, cd.s1cdmax);
  t[1] = field_prep(STRTAB_STE_1_S1DSS, s1dss) |
         field_prep(STRTAB_STE_1_S1CIR, STRTAB_STE_1_S1C_CACHE_WBRA) |
         field_prep(STRTAB_STE_1_S1COR, STRTAB_STE_1_S1C_CACHE_WBRA) |
         field_prep(STRTAB_STE_1_S1CSH, ARM_SMMU_SH_ISH) |
         (f.stalls && !f.stall_enabled ? STRTAB_STE_1_S1STALLD : 0) |
         field_prep(STRTAB_STE_1_STRW, STRTAB_STE_1_STRW_NSEL1);
  if (f.attr_types_ovr && s1dss == STRTAB_STE_1_S1DSS_BYPASS)
    t[1] |= field_prep(STRTAB_STE_1_SHCFG, STRTAB_STE_1_SHCFG_INCOMING);
  t[2] = field_prep(STRTAB_STE_2_S2VMID, 0);  // VMID 0: stage-2 bypass for EL1 streams
  return t;
}

Entry make_s2_domain_ste(const LpaeS2Cfg& s2, u32 vmid, const EntryFeatures& f) {
  Entry t{};  // arm_smmu_make_s2_domain_ste()
  t[0] = STRTAB_STE_0_V | field_prep(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_S2_TRANS);
  if (f.attr_types_ovr) t[1] = field_prep(STRTAB_STE_1_SHCFG, STRTAB_STE_1_SHCFG_INCOMING);
  const u64 vtcr = field_prep(STRTAB_STE_2_VTCR_S2T0SZ, s2.tsz) |
                   field_prep(STRTAB_STE_2_VTCR_S2SL0, s2.sl) |
                   field_prep(STRTAB_STE_2_VTCR_S2IR0, s2.irgn) |
                   field_prep(STRTAB_STE_2_VTCR_S2OR0, s2.orgn) |
                   field_prep(STRTAB_STE_2_VTCR_S2SH0, s2.sh) |
                   field_prep(STRTAB_STE_2_VTCR_S2TG, s2.tg) |
                   field_prep(STRTAB_STE_2_VTCR_S2PS, s2.ps);
  t[2] = field_prep(STRTAB_STE_2_S2VMID, vmid) | field_prep(STRTAB_STE_2_VTCR, vtcr) |
         STRTAB_STE_2_S2AA64 | STRTAB_STE_2_S2PTW | (f.stall_enabled ? STRTAB_STE_2_S2S : 0) |
         STRTAB_STE_2_S2R;
  t[3] = s2.vttbr & STRTAB_STE_3_S2TTB_MASK;
  return t;
}

Entry make_s1_cd(const LpaeS1Cfg& s1, u32 asid, const EntryFeatures& f) {
  Entry t{};  // arm_smmu_make_s1_cd()
  t[0] = field_prep(CTXDESC_CD_0_TCR_T0SZ, s1.tsz) | field_prep(CTXDESC_CD_0_TCR_TG0, s1.tg) |
         field_prep(CTXDESC_CD_0_TCR_IRGN0, s1.irgn) | field_prep(CTXDESC_CD_0_TCR_ORGN0, s1.orgn) |
         field_prep(CTXDESC_CD_0_TCR_SH0, s1.sh) | CTXDESC_CD_0_TCR_EPD1 | CTXDESC_CD_0_V |
         field_prep(CTXDESC_CD_0_TCR_IPS, s1.ips) | CTXDESC_CD_0_AA64 |
         (f.stall_enabled ? CTXDESC_CD_0_S : 0) | CTXDESC_CD_0_R | CTXDESC_CD_0_A |
         CTXDESC_CD_0_ASET | field_prep(CTXDESC_CD_0_ASID, asid);
  if (s1.hd) t[0] |= CTXDESC_CD_0_TCR_HA | CTXDESC_CD_0_TCR_HD;
  t[1] = s1.ttbr & CTXDESC_CD_1_TTB0_MASK;
  t[CTXDESC_CD_MAIR_QWORD] = s1.mair;
  return t;
}

Entry get_ste_used(const Entry& ent) {  // arm_smmu_get_ste_used()
  Entry used{};
  used[0] = STRTAB_STE_0_V;
  if (!(ent[0] & STRTAB_STE_0_V)) return used;
  used[0] |= STRTAB_STE_0_CFG;
  const u64 cfg = field_get(STRTAB_STE_0_CFG, ent[0]);
  constexpr u64 cfg_s1 = 1, cfg_s2 = 2;  // Config[0]: stage 1 translates, Config[1]: stage 2
  if (cfg & cfg_s1) {
    used[0] |= STRTAB_STE_0_S1FMT | STRTAB_STE_0_S1CTXPTR_MASK | STRTAB_STE_0_S1CDMAX;
    used[1] |= STRTAB_STE_1_S1DSS | STRTAB_STE_1_S1CIR | STRTAB_STE_1_S1COR |
               STRTAB_STE_1_S1CSH | STRTAB_STE_1_S1STALLD | STRTAB_STE_1_STRW |
               STRTAB_STE_1_EATS | STRTAB_STE_1_MEV;
    used[2] |= STRTAB_STE_2_S2VMID;
    // SHCFG applies when stage 1 is skipped for SSID-less traffic (IHI 0070 13.5).
    if (field_get(STRTAB_STE_1_S1DSS, ent[1]) == STRTAB_STE_1_S1DSS_BYPASS)
      used[1] |= STRTAB_STE_1_SHCFG;
  }
  if (cfg & cfg_s2) {
    used[1] |= STRTAB_STE_1_S2FWB | STRTAB_STE_1_EATS | STRTAB_STE_1_SHCFG | STRTAB_STE_1_MEV;
    used[2] |= STRTAB_STE_2_S2VMID | STRTAB_STE_2_VTCR | STRTAB_STE_2_S2AA64 |
               STRTAB_STE_2_S2ENDI | STRTAB_STE_2_S2PTW | STRTAB_STE_2_S2S | STRTAB_STE_2_S2R;
    used[3] |= STRTAB_STE_3_S2TTB_MASK;
  }
  if (cfg == STRTAB_STE_0_CFG_BYPASS) used[1] |= STRTAB_STE_1_SHCFG;
  return used;
}

Entry get_ste_update_safe(const Entry& cur, const Entry& target) {
  Entry safe{};  // arm_smmu_get_ste_update_safe()
  const u64 eats_s1chk = field_prep(STRTAB_STE_1_EATS, STRTAB_STE_1_EATS_S1CHK);
  const u64 eats_trans = field_prep(STRTAB_STE_1_EATS, STRTAB_STE_1_EATS_TRANS);
  // EATS_TRANS may flip in any order unless S1CHK or S2S could combine into a bad STE.
  if (!((cur[1] | target[1]) & eats_s1chk) && !((cur[2] | target[2]) & STRTAB_STE_2_S2S))
    safe[1] |= eats_trans;
  safe[1] |= STRTAB_STE_1_MEV;  // only changes how many fault records are merged
  return safe;
}

Entry get_cd_used(const Entry& ent) {  // arm_smmu_get_cd_used()
  Entry used{};
  used[0] = CTXDESC_CD_0_V;
  if (!(ent[0] & CTXDESC_CD_0_V)) return used;
  used.fill(~u64{0});
  if (ent[0] & CTXDESC_CD_0_TCR_EPD0) {  // TTB0 walks disabled: their controls are IGNORED
    used[0] &= ~(CTXDESC_CD_0_TCR_T0SZ | CTXDESC_CD_0_TCR_TG0 | CTXDESC_CD_0_TCR_IRGN0 |
                 CTXDESC_CD_0_TCR_ORGN0 | CTXDESC_CD_0_TCR_SH0);
    used[1] &= ~CTXDESC_CD_1_TTB0_MASK;
  }
  return used;
}

unsigned entry_qword_diff(const Entry& used_cur, const Entry& used_target, const Entry& safe_in,
                          const Entry& entry, const Entry& target, Entry* unused_update) {
  unsigned diff = 0;
  for (unsigned i = 0; i < entry_qwords; ++i) {
    // Safe bits only matter where both configurations use them.
    const u64 safe = safe_in[i] & used_target[i] & used_cur[i];
    const u64 cur_used = used_cur[i] & ~safe;
    (*unused_update)[i] = (entry[i] & cur_used) | (target[i] & ~cur_used);
    if (((*unused_update)[i] & used_target[i]) != target[i]) diff |= 1u << i;
  }
  return diff;
}

}  // namespace iovet::smmu
