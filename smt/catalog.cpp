#include "smt/obligation.h"

namespace iovet::smt {

const std::vector<Obligation>& catalog() {
  static const std::vector<Obligation> all = [] {
    std::vector<Obligation> v;
    for (auto family : {granule_arith_obligations, roundup_bounds_obligations, size_aligned_alloc_obligations,
                        map_sg_layout_obligations, finalise_merge_obligations, map_page_offset_obligations,
                        lpae_index_obligations, smmu_queue_obligations, smmu_tlbi_obligations})
      for (Obligation& ob : family()) v.push_back(std::move(ob));
    return v;
  }();
  return all;
}

}  // namespace iovet::smt
