#include "run/lpae_walk_figure.h"

namespace iovet {

WalkFigure lpae_walk_figure(const ArmLpaePgtable& pt, u64 iova) {
  using namespace lpae;
  const LpaeGeometry& g = pt.geometry();
  WalkFigure f;
  f.iova = iova;
  f.ias = g.ias;
  f.fmt = g.fmt;
  f.granule = g.granule();
  if (iova >> g.ias) return f;
  const LpaePteWalk w = pt.pgtable_walk(iova);
  u64 tbl = pt.pgd_pa();
  for (int lvl = g.start_level; lvl < ARM_LPAE_MAX_LEVELS; ++lvl) {
    WalkFigure::Step s;
    s.level = lvl;
    s.table = tbl;
    s.index = g.lvl_idx(iova, lvl);
    s.pte = w.ptes[lvl];
    if (!(s.pte & 1)) s.kind = WalkFigure::Kind::invalid;
    else if (iopte_leaf(s.pte, lvl)) {
      s.kind = WalkFigure::Kind::leaf;
      s.leaf_size = g.block_size(lvl);
    } else if (iopte_table(s.pte, lvl)) {
      s.kind = WalkFigure::Kind::table;
      tbl = iopte_to_paddr(s.pte, g.granule());
    } else {
      s.kind = WalkFigure::Kind::reserved;
    }
    f.steps.push_back(s);
    if (s.kind != WalkFigure::Kind::table) break;
  }
  return f;
}

}  // namespace iovet
