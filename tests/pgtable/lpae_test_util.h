// Helpers shared by the ARM LPAE page-table tests.
#pragma once
#include "impl/io_pgtable_arm.h"

namespace iovet::test {

inline constexpr u64 SZ_4K = u64{1} << 12, SZ_16K = u64{1} << 14, SZ_64K = u64{1} << 16;
inline constexpr u64 SZ_2M = u64{1} << 21, SZ_32M = u64{1} << 25, SZ_512M = u64{1} << 29;
inline constexpr u64 SZ_1G = u64{1} << 30, SZ_2G = u64{1} << 31;

// Bits [hi:lo] of a descriptor, with the positions written as the Arm ARM gives them.
inline u64 bits(u64 v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((hi - lo == 63) ? ~u64{0} : ((u64{1} << (hi - lo + 1)) - 1));
}

inline PgtableCfg lpae_cfg(Format fmt, u64 pgsizes, unsigned ias, unsigned oas,
                           PartialUnmap pu = PartialUnmap::refuse) {
  PgtableCfg c;
  c.format = fmt;
  c.pgsize_bitmap = pgsizes;
  c.ias = ias;
  c.oas = oas;
  c.partial_unmap = pu;
  return c;
}

inline PgtableCfg lpae_cfg_for_granule(Format fmt, u64 granule, unsigned ias, unsigned oas,
                                       PartialUnmap pu = PartialUnmap::refuse) {
  return lpae_cfg(fmt, lpae_pgsize_bitmap(granule, oas), ias, oas, pu);
}

// A walker that knows only the architecture: it follows table descriptors through the physical
// memory the tables live in, from the TTBR, with the granule and the start level. Returns the
// leaf descriptor (0 when the walk ends on an invalid entry) and its level, and where the
// descriptor lives when desc_pa is given.
inline u64 arch_walk(const ArmLpaePgtable& pt, u64 iova, int* leaf_lvl, u64* desc_pa = nullptr) {
  const LpaeGeometry& g = pt.geometry();
  const unsigned gshift = ilog2(g.granule());
  const unsigned stride = gshift - 3;  // index bits resolved per level
  u64 table = pt.pgd_pa();
  for (int lvl = g.start_level; lvl <= 3; ++lvl) {
    const unsigned shift = gshift + stride * static_cast<unsigned>(3 - lvl);
    // The start level resolves every remaining input bit (concatenated tables included).
    const unsigned width = lvl == g.start_level ? g.ias - shift : stride;
    const u64 idx = (iova >> shift) & ((u64{1} << width) - 1);
    const u64 desc = pt.phys_mem().read(table + idx * 8);
    if (desc_pa) *desc_pa = table + idx * 8;
    if (!(desc & 1)) return 0;
    const bool is_table = lvl < 3 && (desc & 2);
    if (!is_table) {
      *leaf_lvl = lvl;
      return desc;
    }
    u64 next = desc & (((u64{1} << 48) - 1) & ~(g.granule() - 1));
    if (g.granule() == SZ_64K) next |= bits(desc, 15, 12) << 48;
    table = next;
  }
  return 0;
}

}  // namespace iovet::test
