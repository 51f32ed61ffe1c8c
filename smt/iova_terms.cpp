#include "smt/iova_terms.h"

namespace iovet::smt {

z3::expr iova_offset(const z3::expr& granule_mask, const z3::expr& iova) { return iova & granule_mask; }

z3::expr iova_align(const z3::expr& granule_mask, const z3::expr& size) {
  return (size + granule_mask) & ~granule_mask;
}

z3::expr map_page_handle(const z3::expr& granule_mask, const z3::expr& iova_base, const z3::expr& phys) {
  return iova_base + iova_offset(granule_mask, phys);
}

}  // namespace iovet::smt
