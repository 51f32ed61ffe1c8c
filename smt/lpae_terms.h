// The ARM LPAE io-pgtable's index arithmetic (impl/lpae_geometry.h, ARM_LPAE_LVL_IDX) as Z3
// terms over a symbolic 64-bit iova, for a concrete geometry: shifts and masks are constants,
// so every query stays a few extracts.
#pragma once
#include <vector>

#include <z3++.h>

#include "impl/lpae_geometry.h"

namespace iovet::smt {

// ARM_LPAE_LVL_IDX(): (iova >> lvl_shift) & (table entries - 1), the pgd's entries at the start
// level (concatenated tables included).
z3::expr lpae_lvl_idx(const LpaeGeometry& g, const z3::expr& iova, int lvl);
// The walk's ias check, `iova >> cfg->ias` is zero.
z3::expr lpae_in_ias(const z3::expr& iova, unsigned ias);
// The entries of the table that level lvl indexes: 2^pgd_bits at the start level.
u64 lpae_table_entries(const LpaeGeometry& g, int lvl);

// Every distinct geometry arm_lpae_geometry() builds for a 4K, 16K or 64K granule, stage 1 or 2,
// any oas the TCR encodes and any ias the granule addresses (clamped duplicates dropped,
// configurations the kernel rejects skipped).
const std::vector<LpaeGeometry>& lpae_geometries();

}  // namespace iovet::smt
