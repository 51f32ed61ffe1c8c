// iommu_dma_map_page() returns the IOVA's granule-aligned base plus iova_offset(phys): the
// handle keeps the physical address's offset inside the granule (rule dma.offset). The three
// variants share this arithmetic; each gets its own obligation so each is accounted for.
#include "smt/bv.h"
#include "smt/iova_terms.h"
#include "smt/obligation.h"

namespace iovet::smt {
namespace {

Obligation offset_obligation(const std::string& variant) {
  return {{variant + ".map_page.offset_kept", variant,
           "the handle map_page returns has the same offset inside the granule as page + offset",
           "iommu_dma_map_page()", "phys_addr_t, dma_addr_t, size_t 64", "dma.offset", {}},
          [](z3::context& ctx) {
            const z3::expr page = u64var(ctx, "page"), offset = u64var(ctx, "offset");
            const z3::expr gm = u64var(ctx, "granule_mask"), base = u64var(ctx, "iova_base");
            const z3::expr phys = page + offset;
            const z3::expr handle = map_page_handle(gm, base, phys);
            return Encoding{{{"the granule is 2^s with 0 <= s <= 63", is_low_mask(gm) && gm != u64c(ctx, ~u64{0})},
                             {"the IOVA base (iova_dma_addr(), pfn << shift) is granule-aligned",
                              iova_offset(gm, base) == u64c(ctx, 0)}},
                            iova_offset(gm, handle) == iova_offset(gm, phys),
                            {{"page", page}, {"offset", offset}, {"granule_mask", gm}, {"iova_base", base}},
                            {},
                            {}};
          }};
}

}  // namespace

std::vector<Obligation> map_page_offset_obligations() {
  return {offset_obligation("seed-v5"), offset_obligation("v4.4"), offset_obligation("mainline")};
}

}  // namespace iovet::smt
