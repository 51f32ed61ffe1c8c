// Random IOVA allocator workloads: alloc_iova/alloc_iova_fast, frees and reservations as a case
// of target iova (corpus-format.md 1.3).
#pragma once
#include <string>

#include <rapidcheck.h>

#include "case/case.h"

namespace iovet {

// Small cases (at most 30 ops) over domains from a few dozen pfns to the whole input range, with
// limits at the 32-bit and 64-bit DMA masks (clamped to the aperture, as iommu_dma_alloc_iova()
// does), near them, and small. Frees name only ids that are live when generated, so every
// shrunk case is still valid.
rc::Gen<Case> gen_iova_case(const std::string& variant);

}  // namespace iovet
