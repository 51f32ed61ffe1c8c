// How __arm_smmu_tlb_inv_range() (arm-smmu-v3.c) splits one invalidation into TLBI commands:
// one command per leaf granule without range invalidation (IDR3.RIL = 0); with RIL, commands
// whose NUM/SCALE fields each cover a 5-bit slice of the remaining page count.
#pragma once
#include <vector>

#include "spec/types.h"

namespace iovet {

// The range fields of one TLBI_NH_VA / TLBI_S2_IPA, as arm_smmu_cmdq_ent.tlbi holds them
// (before the command encoding truncates them to their field widths).
struct TlbiRange {
  u64 addr;
  unsigned tg;     // TG: 0 without RIL, else 1/2/3 for 4K/16K/64K
  unsigned scale;  // SCALE: the range is (num + 1) << scale pages
  unsigned num;    // NUM: chunk count minus one
  unsigned ttl;    // TTL: level hint of the leaf (RIL and leaf only), 0 = any level
  friend bool operator==(const TlbiRange&, const TlbiRange&) = default;
};

inline constexpr u64 cmdq_tlbi_range_num_max = 31;  // CMDQ_TLBI_RANGE_NUM_MAX: NUM is 5 bits

// __arm_smmu_tlb_inv_range(): the commands for [iova, iova + size) in issue order. granule is
// the leaf size io-pgtable passes, tg_shift the page table's smallest page (12, 14 or 16).
// Without RIL each command covers `granule` bytes. With RIL the kernel needs size to be a
// multiple of the page size (its loop would otherwise run on num_pages == 0); that and a zero
// granule throw std::invalid_argument. A non-leaf range of 1 (mod 32) pages is widened by one
// page as the kernel does, so the plan may cover one page beyond iova + size.
std::vector<TlbiRange> tlbi_range_plan(u64 iova, u64 size, u64 granule, unsigned tg_shift,
                                       bool ril, bool leaf);
// The same plan into out (cleared first), so a caller issuing one per unmap reuses its storage.
void tlbi_range_plan(u64 iova, u64 size, u64 granule, unsigned tg_shift, bool ril, bool leaf,
                     std::vector<TlbiRange>& out);

// The bytes one planned command invalidates: granule without RIL, (num + 1) << (scale + tg).
u64 tlbi_range_bytes(const TlbiRange& r, u64 granule, unsigned tg_shift);

}  // namespace iovet
