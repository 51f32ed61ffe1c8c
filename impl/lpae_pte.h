// VMSAv8-64 long-descriptor fields as drivers/iommu/io-pgtable-arm.c writes them (names are the
// kernel's), and the conversions between IOMMU prot flags and descriptors.
#pragma once
#include "spec/config.h"
#include "spec/types.h"

namespace iovet::lpae {

using arm_lpae_iopte = u64;

inline constexpr int ARM_LPAE_MAX_LEVELS = 4;
inline constexpr unsigned ARM_LPAE_MAX_ADDR_BITS = 52;
inline constexpr unsigned ARM_LPAE_S2_MAX_CONCAT_PAGES = 16;

// Descriptor[1:0]: 0b01 block (levels 0-2), 0b11 table (levels 0-2) or page (level 3).
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_TYPE_MASK = 0x3;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_TYPE_BLOCK = 1;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_TYPE_TABLE = 3;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_TYPE_PAGE = 3;

// Output address bits [47:12]; with the 64K granule, PA[51:48] are packed into bits [15:12].
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_ADDR_MASK = ((u64{1} << 48) - 1) & ~u64{0xfff};

// Lower and upper attributes shared by both stages.
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_NSTABLE = u64{1} << 63;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_XN = u64{3} << 53;  // UXN|PXN (S1), XN[1:0] (S2)
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_DBM = u64{1} << 51;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_AF = u64{1} << 10;
inline constexpr unsigned ARM_LPAE_PTE_SH_SHIFT = 8;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_SH_NS = u64{0} << 8;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_SH_OS = u64{2} << 8;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_SH_IS = u64{3} << 8;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_NS = u64{1} << 5;

// Stage 1: AP[2:1] and AttrIndx[2:0] into MAIR, nG.
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_AP_UNPRIV = u64{1} << 6;
inline constexpr unsigned ARM_LPAE_PTE_AP_RDONLY_BIT = 7;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_AP_RDONLY = u64{1} << ARM_LPAE_PTE_AP_RDONLY_BIT;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_AP_WR_CLEAN_MASK =
    ARM_LPAE_PTE_AP_RDONLY | ARM_LPAE_PTE_DBM;
inline constexpr unsigned ARM_LPAE_PTE_ATTRINDX_SHIFT = 2;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_nG = u64{1} << 11;

// Stage 2: S2AP[1:0] (HAP) and MemAttr[3:0].
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_HAP_FAULT = u64{0} << 6;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_HAP_READ = u64{1} << 6;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_HAP_WRITE = u64{2} << 6;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_MEMATTR_OIWB = u64{0xf} << 2;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_MEMATTR_NC = u64{0x5} << 2;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_MEMATTR_DEV = u64{0x1} << 2;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_MEMATTR_MASK = u64{0xf} << 2;

// What a block keeps when arm_lpae_split_blk_unmap() rewrites it as a table of smaller leaves
// (the contiguous hint, bit 52, is deliberately dropped).
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_ATTR_LO_MASK = u64{0x3ff} << 2;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_ATTR_HI_MASK = ARM_LPAE_PTE_XN | ARM_LPAE_PTE_DBM;
inline constexpr arm_lpae_iopte ARM_LPAE_PTE_ATTR_MASK =
    ARM_LPAE_PTE_ATTR_LO_MASK | ARM_LPAE_PTE_ATTR_HI_MASK;

// MAIR indices programmed by arm_64_lpae_alloc_pgtable_s1().
inline constexpr unsigned ARM_LPAE_MAIR_ATTR_IDX_NC = 0;
inline constexpr unsigned ARM_LPAE_MAIR_ATTR_IDX_CACHE = 1;
inline constexpr unsigned ARM_LPAE_MAIR_ATTR_IDX_DEV = 2;

inline constexpr arm_lpae_iopte iopte_type(arm_lpae_iopte pte) {
  return pte & ARM_LPAE_PTE_TYPE_MASK;
}

// iopte_leaf(): type 0b11 is a page at level 3 but a table above it.
inline constexpr bool iopte_leaf(arm_lpae_iopte pte, int lvl) {
  return lvl == ARM_LPAE_MAX_LEVELS - 1 ? iopte_type(pte) == ARM_LPAE_PTE_TYPE_PAGE
                                        : iopte_type(pte) == ARM_LPAE_PTE_TYPE_BLOCK;
}
inline constexpr bool iopte_table(arm_lpae_iopte pte, int lvl) {
  return lvl != ARM_LPAE_MAX_LEVELS - 1 && iopte_type(pte) == ARM_LPAE_PTE_TYPE_TABLE;
}

// paddr_to_iopte(): of the bits that overlap, either 51:48 or 15:12 are always RES0.
inline constexpr arm_lpae_iopte paddr_to_iopte(u64 paddr) {
  return (paddr | (paddr >> (48 - 12))) & ARM_LPAE_PTE_ADDR_MASK;
}
// iopte_to_paddr(): rotate the packed high-order bits back to the top (64K granule only).
inline constexpr u64 iopte_to_paddr(arm_lpae_iopte pte, u64 granule) {
  const u64 paddr = pte & ARM_LPAE_PTE_ADDR_MASK;
  if (granule < 65536) return paddr;
  return (paddr | (paddr << (48 - 12))) & (ARM_LPAE_PTE_ADDR_MASK << 4);
}

// arm_lpae_prot_to_pte(): the attribute bits of a leaf (type and address are added later).
// hd is IO_PGTABLE_QUIRK_ARM_HD: writable stage-1 leaves get DBM so the SMMU can track dirt.
constexpr arm_lpae_iopte arm_lpae_prot_to_pte(Format fmt, int iommu_prot, bool hd) {
  arm_lpae_iopte pte;
  if (fmt == Format::arm64_lpae_s1) {
    pte = ARM_LPAE_PTE_nG;
    if (!(iommu_prot & prot::write) && (iommu_prot & prot::read))
      pte |= ARM_LPAE_PTE_AP_RDONLY;
    else if (hd)
      pte |= ARM_LPAE_PTE_DBM;
    if (!(iommu_prot & prot::priv)) pte |= ARM_LPAE_PTE_AP_UNPRIV;
    if (iommu_prot & prot::mmio)
      pte |= arm_lpae_iopte{ARM_LPAE_MAIR_ATTR_IDX_DEV} << ARM_LPAE_PTE_ATTRINDX_SHIFT;
    else if (iommu_prot & prot::cache)
      pte |= arm_lpae_iopte{ARM_LPAE_MAIR_ATTR_IDX_CACHE} << ARM_LPAE_PTE_ATTRINDX_SHIFT;
  } else {
    pte = ARM_LPAE_PTE_HAP_FAULT;
    if (iommu_prot & prot::read) pte |= ARM_LPAE_PTE_HAP_READ;
    if (iommu_prot & prot::write) pte |= ARM_LPAE_PTE_HAP_WRITE;
    if (iommu_prot & prot::mmio)
      pte |= ARM_LPAE_PTE_MEMATTR_DEV;
    else if (iommu_prot & prot::cache)
      pte |= ARM_LPAE_PTE_MEMATTR_OIWB;
    else
      pte |= ARM_LPAE_PTE_MEMATTR_NC;
  }
  pte |= (iommu_prot & prot::cache) ? ARM_LPAE_PTE_SH_IS : ARM_LPAE_PTE_SH_OS;
  if (iommu_prot & prot::noexec) pte |= ARM_LPAE_PTE_XN;
  return pte | ARM_LPAE_PTE_AF;
}

// What the SMMU lets a device do through a valid leaf. Stage 1 has no write-only encoding (AP
// always grants read); DBM makes a read-only entry writable-clean, which hardware dirty
// tracking turns writable on the first write.
constexpr bool iopte_readable(Format fmt, arm_lpae_iopte pte) {
  return fmt == Format::arm64_lpae_s1 || (pte & ARM_LPAE_PTE_HAP_READ);
}
constexpr bool iopte_writable(Format fmt, arm_lpae_iopte pte) {
  if (fmt == Format::arm64_lpae_s2) return pte & ARM_LPAE_PTE_HAP_WRITE;
  return !(pte & ARM_LPAE_PTE_AP_RDONLY) || (pte & ARM_LPAE_PTE_DBM);
}

// The IOMMU prot flags a leaf grants, read back from its attributes (Leaf::prot).
constexpr int iopte_to_prot(Format fmt, arm_lpae_iopte pte) {
  int p = 0;
  if (iopte_readable(fmt, pte)) p |= prot::read;
  if (iopte_writable(fmt, pte)) p |= prot::write;
  if ((pte & ARM_LPAE_PTE_XN) == ARM_LPAE_PTE_XN) p |= prot::noexec;
  if (fmt == Format::arm64_lpae_s1) {
    const unsigned idx = (pte >> ARM_LPAE_PTE_ATTRINDX_SHIFT) & 7;
    if (idx == ARM_LPAE_MAIR_ATTR_IDX_DEV) p |= prot::mmio;
    if (idx == ARM_LPAE_MAIR_ATTR_IDX_CACHE) p |= prot::cache;
    if (!(pte & ARM_LPAE_PTE_AP_UNPRIV)) p |= prot::priv;
  } else {
    const arm_lpae_iopte attr = pte & ARM_LPAE_PTE_MEMATTR_MASK;
    if (attr == ARM_LPAE_PTE_MEMATTR_DEV) p |= prot::mmio;
    if (attr == ARM_LPAE_PTE_MEMATTR_OIWB) p |= prot::cache;
  }
  return p;
}

}  // namespace iovet::lpae
