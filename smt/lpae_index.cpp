// The ARM LPAE io-pgtable's address decomposition (impl/lpae_geometry.h, the page table the
// impl/ layer models on io-pgtable-arm.c), over every geometry the allocator builds: the
// per-level index fields and the page offset split [0, ias) exactly, the pgd (concatenated
// stage-2 tables included) holds every top-level index, and the ias checks of map and walk
// accept exactly [0, 2^ias). The geometry (or ias) is a selector symbol over the concrete
// ones, and each obligation is one query: one case per geometry took 3.4 s where one query
// takes 0.1-0.15 s, one case per ias 2.3 s where one query takes 0.35-0.5 s with ctx-simplify
// (one core).
#include <set>

#include "smt/bv.h"
#include "smt/lpae_terms.h"
#include "smt/obligation.h"

namespace iovet::smt {
namespace {

const char* const kWidths = "unsigned long iova and sizes (64); shifts and masks concrete per geometry";

// One term per geometry, selected by the symbol `geometry`: the claim for geometry i holds
// when geometry == i.
Encoding per_geometry(z3::context& ctx, const std::function<z3::expr(const LpaeGeometry&)>& claim,
                      std::vector<std::pair<std::string, z3::expr>> vars) {
  const std::vector<LpaeGeometry>& geoms = lpae_geometries();
  const z3::expr sel = u32var(ctx, "geometry");
  z3::expr goal = ctx.bool_val(true);
  for (std::size_t i = 0; i < geoms.size(); ++i)
    goal = goal && z3::implies(sel == u32c(ctx, static_cast<u32>(i)), claim(geoms[i]));
  vars.emplace_back("geometry", sel);
  return Encoding{{{"the geometry is one arm_lpae_geometry() builds (" + std::to_string(geoms.size()) +
                        " distinct: granule, stage, oas, ias)",
                    z3::ult(sel, u32c(ctx, static_cast<u32>(geoms.size())))}},
                  goal, std::move(vars), {}, {}};
}

Obligation make(const std::string& claim, const std::string& statement, const std::string& covers,
                std::function<Encoding(z3::context&)> f) {
  return {{"impl.lpae." + claim, "impl", statement, covers, kWidths, "", {}}, std::move(f)};
}

}  // namespace

std::vector<Obligation> lpae_index_obligations() {
  return {
      make("index_partition",
           "for every geometry, an iova below 2^ias is the OR of its per-level indices at their level shifts "
           "and its page offset, and every tuple of in-table indices and offset is exactly one such iova's",
           "ARM_LPAE_LVL_IDX, ARM_LPAE_LVL_SHIFT, arm_lpae_geometry()",
           [](z3::context& ctx) {
             const z3::expr iova = u64var(ctx, "iova"), off = u64var(ctx, "offset");
             std::vector<z3::expr> idx;
             std::vector<std::pair<std::string, z3::expr>> vars{{"iova", iova}, {"offset", off}};
             for (int l = 0; l < lpae::ARM_LPAE_MAX_LEVELS; ++l) {
               idx.push_back(u64var(ctx, ("idx" + std::to_string(l)).c_str()));
               vars.emplace_back("idx" + std::to_string(l), idx.back());
             }
             return per_geometry(
                 ctx,
                 [&](const LpaeGeometry& g) {
                   const z3::expr page_mask = u64c(ctx, g.granule() - 1);
                   // Injective: the indices and offset rebuild the iova.
                   z3::expr rebuilt = iova & page_mask;
                   // Onto: the address the free indices and offset name has exactly them.
                   z3::expr named = off, in_tables = z3::ult(off, u64c(ctx, g.granule()));
                   for (int l = g.start_level; l < lpae::ARM_LPAE_MAX_LEVELS; ++l) {
                     const z3::expr sh = u64c(ctx, g.lvl_shift(l));
                     rebuilt = rebuilt | z3::shl(lpae_lvl_idx(g, iova, l), sh);
                     named = named | z3::shl(idx[l], sh);
                     in_tables = in_tables && z3::ult(idx[l], u64c(ctx, lpae_table_entries(g, l)));
                   }
                   z3::expr recovered = lpae_in_ias(named, g.ias) && (named & page_mask) == off;
                   for (int l = g.start_level; l < lpae::ARM_LPAE_MAX_LEVELS; ++l)
                     recovered = recovered && lpae_lvl_idx(g, named, l) == idx[l];
                   return z3::implies(lpae_in_ias(iova, g.ias), rebuilt == iova) &&
                          z3::implies(in_tables, recovered);
                 },
                 std::move(vars));
           }),
      make("index_fits_table",
           "for every geometry, the start level's index of an iova below 2^ias needs no mask: the pgd "
           "(concatenated stage-2 tables included) has an entry for it",
           "ARM_LPAE_LVL_IDX at the start level, ARM_LPAE_PGD_SIZE, arm_lpae_geometry()",
           [](z3::context& ctx) {
             const z3::expr iova = u64var(ctx, "iova");
             return per_geometry(
                 ctx,
                 [&](const LpaeGeometry& g) {
                   const z3::expr top = z3::lshr(iova, u64c(ctx, g.lvl_shift(g.start_level)));
                   return z3::implies(lpae_in_ias(iova, g.ias),
                                      z3::ult(top, u64c(ctx, lpae_table_entries(g, g.start_level))));
                 },
                 {{"iova", iova}});
           }),
      make("ias_check_exact",
           "for every ias a geometry has, `iova >> ias == 0` holds exactly for iova < 2^ias, and map's range "
           "check (`(iova + size - 1) >> ias` zero, no wrap) accepts exactly the non-empty ranges inside [0, 2^ias)",
           "arm_lpae_map_pages(), arm_lpae_unmap_pages(), arm_lpae_iova_to_phys() ias checks",
           [](z3::context& ctx) {
             const z3::expr iova = u64var(ctx, "iova"), size = u64var(ctx, "size"), ias = u64var(ctx, "ias");
             std::set<unsigned> values;
             for (const LpaeGeometry& g : lpae_geometries()) values.insert(g.ias);
             z3::expr ias_ok = ctx.bool_val(false);
             for (unsigned v : values) ias_ok = ias_ok || ias == u64c(ctx, v);
             const z3::expr one = u64c(ctx, 1);
             const z3::expr last = iova + size - one;
             const z3::expr accepted = z3::lshr(last, ias) == u64c(ctx, 0) && z3::uge(last, iova);
             // In 65 bits nothing wraps: the range is inside [0, 2^ias) exactly when its end is.
             const z3::expr end65 = z3::zext(iova, 1) + z3::zext(size, 1);
             const z3::expr inside = z3::ule(end65, z3::shl(ctx.bv_val(1, 65), z3::zext(ias, 1)));
             return Encoding{{{"ias is one a geometry has", ias_ok}, {"size >= 1", size != u64c(ctx, 0)}},
                             (z3::lshr(iova, ias) == u64c(ctx, 0)) == z3::ult(iova, z3::shl(one, ias)) &&
                                 accepted == inside,
                             {{"iova", iova}, {"size", size}, {"ias", ias}},
                             {},
                             {},
                             {},
                             Tactic::ctx_simplify};  // 0.35-0.5 s, the default solver 0.4-0.9 s
           }),
  };
}

}  // namespace iovet::smt
