// The inline helpers of include/linux/iova.h as Z3 terms (ref/env/iova_helpers.h is the C++
// they must agree with), given the granule's mask granule - 1.
#pragma once
#include <z3++.h>

namespace iovet::smt {

// iova_offset(): iova & (granule - 1).
z3::expr iova_offset(const z3::expr& granule_mask, const z3::expr& iova);
// iova_align(): ALIGN(size, granule) in size_t, wrapping like the kernel's.
z3::expr iova_align(const z3::expr& granule_mask, const z3::expr& size);
// iommu_dma_map_page()'s handle: the IOVA base (iova_dma_addr()) plus iova_offset(phys).
z3::expr map_page_handle(const z3::expr& granule_mask, const z3::expr& iova_base, const z3::expr& phys);

}  // namespace iovet::smt
