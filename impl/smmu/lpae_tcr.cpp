#include "impl/smmu/lpae_tcr.h"

#include <stdexcept>

#include "impl/smmu/arm_smmu_v3_defs.h"

namespace iovet::smmu {

namespace {

// TG0 / S2TG of the table's granule (the same encoding in the CD and in VTCR).
unsigned tcr_tg(u64 granule) {
  switch (granule) {
    case u64{1} << 12: return ARM_LPAE_TCR_TG0_4K;
    case u64{1} << 14: return ARM_LPAE_TCR_TG0_16K;
    case u64{1} << 16: return ARM_LPAE_TCR_TG0_64K;
    default: throw std::invalid_argument("lpae_tcr: granule has no TG encoding");
  }
}

unsigned tcr_ps(unsigned oas) {
  const int ps = arm_lpae_tcr_ps(oas);
  if (ps < 0) throw std::invalid_argument("lpae_tcr: oas has no PS encoding");
  return static_cast<unsigned>(ps);
}

// Coherent walks are inner-shareable write-back; others outer-shareable non-cacheable.
template <typename Cfg>
void set_walk_attrs(Cfg& c, bool coherent_walk) {
  c.sh = coherent_walk ? ARM_LPAE_TCR_SH_IS : ARM_LPAE_TCR_SH_OS;
  c.irgn = c.orgn = coherent_walk ? ARM_LPAE_TCR_RGN_WBWA : ARM_LPAE_TCR_RGN_NC;
}

}  // namespace

LpaeS1Cfg lpae_s1_cfg(const ArmLpaePgtable& pgtable) {
  const PgtableCfg& cfg = pgtable.cfg();
  if (cfg.format != Format::arm64_lpae_s1) throw std::invalid_argument("lpae_s1_cfg: not stage 1");
  LpaeS1Cfg c;
  set_walk_attrs(c, cfg.coherent_walk);
  c.tg = tcr_tg(pgtable.geometry().granule());
  c.ips = tcr_ps(cfg.oas);
  c.tsz = 64 - cfg.ias;
  c.hd = pgtable.options().quirk_arm_hd;
  c.ttbr = pgtable.pgd_pa();
  c.mair = (ARM_LPAE_MAIR_ATTR_NC << (8 * lpae::ARM_LPAE_MAIR_ATTR_IDX_NC)) |
           (ARM_LPAE_MAIR_ATTR_WBRWA << (8 * lpae::ARM_LPAE_MAIR_ATTR_IDX_CACHE)) |
           (ARM_LPAE_MAIR_ATTR_DEVICE << (8 * lpae::ARM_LPAE_MAIR_ATTR_IDX_DEV)) |
           (ARM_LPAE_MAIR_ATTR_INC_OWBRWA << (8 * ARM_LPAE_MAIR_ATTR_IDX_INC_OCACHE));
  return c;
}

LpaeS2Cfg lpae_s2_cfg(const ArmLpaePgtable& pgtable) {
  const PgtableCfg& cfg = pgtable.cfg();
  if (cfg.format != Format::arm64_lpae_s2) throw std::invalid_argument("lpae_s2_cfg: not stage 2");
  LpaeS2Cfg c;
  set_walk_attrs(c, cfg.coherent_walk);
  const LpaeGeometry& g = pgtable.geometry();
  c.tg = tcr_tg(g.granule());
  // SL0 counts levels back from the last; the 4K encoding starts one level further up.
  unsigned sl = static_cast<unsigned>(g.start_level);
  if (g.granule() == (u64{1} << 12)) ++sl;
  c.sl = ~sl & ARM_LPAE_VTCR_SL0_MASK;
  c.ps = tcr_ps(cfg.oas);
  c.tsz = 64 - cfg.ias;
  c.vttbr = pgtable.pgd_pa();
  return c;
}

}  // namespace iovet::smmu
