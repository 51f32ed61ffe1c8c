// The translation-control values io-pgtable-arm computes for a table (io_pgtable_cfg's
// arm_lpae_s1_cfg.tcr/ttbr/mair and arm_lpae_s2_cfg.vtcr/vttbr), which the SMMU driver copies
// into the CD or STE.
#pragma once
#include "impl/io_pgtable_arm.h"

namespace iovet::smmu {

struct LpaeS1Cfg {  // arm_64_lpae_alloc_pgtable_s1()
  unsigned tsz = 0, tg = 0, irgn = 0, orgn = 0, sh = 0, ips = 0;
  bool hd = false;  // IO_PGTABLE_QUIRK_ARM_HD: HA|HD in the CD
  u64 ttbr = 0;
  u64 mair = 0;
};

struct LpaeS2Cfg {  // arm_64_lpae_alloc_pgtable_s2()
  unsigned tsz = 0, sl = 0, irgn = 0, orgn = 0, sh = 0, tg = 0, ps = 0;
  u64 vttbr = 0;
};

// Throw std::invalid_argument when the table's oas has no PS encoding or the format differs.
LpaeS1Cfg lpae_s1_cfg(const ArmLpaePgtable& pgtable);
LpaeS2Cfg lpae_s2_cfg(const ArmLpaePgtable& pgtable);

}  // namespace iovet::smmu
