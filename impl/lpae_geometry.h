// The shape of an ARM LPAE io-pgtable: what struct arm_lpae_io_pgtable holds (bits_per_level,
// start_level, pgd_bits) and the ARM_LPAE_* index and size macros over it.
#pragma once
#include <algorithm>
#include <stdexcept>
#include <string>

#include "impl/lpae_pte.h"
#include "spec/unit/page_table.h"

namespace iovet {

// arm_lpae_restrict_pgsizes(): the page and block sizes one granule can map.
// 4K: 4K|2M|1G; 16K: 16K|32M; 64K: 64K|512M, plus 4T when oas > 48. 0 for any other granule.
u64 lpae_pgsize_bitmap(u64 granule, unsigned oas);

struct LpaeGeometry {
  Format fmt = Format::arm64_lpae_s1;
  unsigned ias = 0;
  unsigned oas = 0;
  unsigned bits_per_level = 0;
  int start_level = 0;
  unsigned pgd_bits = 0;       // log2 of the pgd's entries (concatenation included)
  bool concatenated = false;   // stage-2 pgd of several concatenated tables

  unsigned pg_shift() const { return bits_per_level + 3; }
  u64 granule() const { return u64{1} << pg_shift(); }  // ARM_LPAE_GRANULE
  u64 pgd_size() const { return u64{8} << pgd_bits; }   // ARM_LPAE_PGD_SIZE
  // Pages the pgd occupies (a pgd smaller than a page still takes one).
  u64 pgd_pages() const { return pgd_size() > granule() ? pgd_size() / granule() : 1; }
  unsigned ptes_per_table() const { return 1u << bits_per_level; }
  int levels() const { return lpae::ARM_LPAE_MAX_LEVELS - start_level; }
  unsigned lvl_shift(int lvl) const {  // ARM_LPAE_LVL_SHIFT
    return (lpae::ARM_LPAE_MAX_LEVELS - lvl) * bits_per_level + 3;
  }
  u64 block_size(int lvl) const { return u64{1} << lvl_shift(lvl); }  // ARM_LPAE_BLOCK_SIZE
  unsigned lvl_idx(u64 iova, int lvl) const {  // ARM_LPAE_LVL_IDX
    const unsigned bits = lvl == start_level ? pgd_bits : bits_per_level;
    return static_cast<unsigned>((iova >> lvl_shift(lvl)) & ((u64{1} << bits) - 1));
  }
  // arm_lpae_max_entries(): entries from idx to the end of its table page, which inside a
  // concatenated pgd is the end of one of the concatenated tables, not of the whole pgd. A pgd
  // smaller than a page ends sooner (the kernel relies on its callers staying inside ias).
  unsigned max_entries(unsigned idx, int lvl) const {
    const unsigned n = ptes_per_table() - (idx & (ptes_per_table() - 1));
    if (lvl == start_level && pgd_bits < bits_per_level) return std::min(n, (1u << pgd_bits) - idx);
    return n;
  }
  // The level whose leaves are pgsize bytes, or -1 when no level of this table has them.
  int leaf_level(u64 pgsize) const;
};

// arm_lpae_concat_mandatory(): where Arm DDI0487 (R_DXBSH, R_SRKBC) requires the stage-2 walk
// to start one level lower on concatenated tables.
bool arm_lpae_concat_mandatory(const LpaeGeometry& g);

// Where alloc_io_pgtable_ops() would return NULL: which io_pgtable_cfg field is to blame, so a
// case runner can point at the config field rather than crash.
struct LpaeCfgError : std::invalid_argument {
  LpaeCfgError(std::string field_name, const std::string& what)
      : std::invalid_argument(what), field(std::move(field_name)) {}
  std::string field;  // "ias", "oas" or "pgsize_bitmap"
};

// arm_lpae_alloc_pgtable() plus the stage-2 concatenation of arm_64_lpae_alloc_pgtable_s2().
// cfg must already be restricted (arm_lpae_restrict_cfg). Throws LpaeCfgError where
// the kernel's allocator returns NULL (no usable granule, an oas the TCR cannot encode).
LpaeGeometry arm_lpae_geometry(const PgtableCfg& cfg);

// arm_lpae_restrict_pgsizes() on a copy of cfg: keeps the sizes of the smallest granule in
// pgsize_bitmap and clamps ias/oas to what that granule can address.
PgtableCfg arm_lpae_restrict_cfg(PgtableCfg cfg);

}  // namespace iovet
