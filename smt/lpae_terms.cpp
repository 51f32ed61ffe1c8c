#include "smt/lpae_terms.h"

#include <set>
#include <tuple>

#include "smt/bv.h"

namespace iovet::smt {

u64 lpae_table_entries(const LpaeGeometry& g, int lvl) {
  return u64{1} << (lvl == g.start_level ? g.pgd_bits : g.bits_per_level);
}

z3::expr lpae_lvl_idx(const LpaeGeometry& g, const z3::expr& iova, int lvl) {
  z3::context& ctx = iova.ctx();
  return z3::lshr(iova, u64c(ctx, g.lvl_shift(lvl))) & u64c(ctx, lpae_table_entries(g, lvl) - 1);
}

z3::expr lpae_in_ias(const z3::expr& iova, unsigned ias) {
  return z3::lshr(iova, u64c(iova.ctx(), ias)) == u64c(iova.ctx(), 0);
}

const std::vector<LpaeGeometry>& lpae_geometries() {
  static const std::vector<LpaeGeometry> all = [] {
    std::vector<LpaeGeometry> v;
    std::set<std::tuple<unsigned, unsigned, int, unsigned>> seen;
    for (u64 granule : {u64{4096}, u64{16384}, u64{65536}})
      for (Format f : {Format::arm64_lpae_s1, Format::arm64_lpae_s2})
        for (unsigned oas : {32u, 36u, 40u, 42u, 44u, 48u, 52u})
          for (unsigned ias = 1; ias <= lpae::ARM_LPAE_MAX_ADDR_BITS; ++ias) {
            const PgtableCfg cfg = arm_lpae_restrict_cfg({f, lpae_pgsize_bitmap(granule, oas), ias, oas});
            if (cfg.ias != ias || cfg.oas != oas) continue;  // clamped: another iteration has it
            try {
              const LpaeGeometry g = arm_lpae_geometry(cfg);
              if (seen.insert({g.bits_per_level, g.ias, g.start_level, g.pgd_bits}).second) v.push_back(g);
            } catch (const LpaeCfgError&) {
              // alloc_io_pgtable_ops() returns NULL: no table to reason about.
            }
          }
    return v;
  }();
  return all;
}

}  // namespace iovet::smt
