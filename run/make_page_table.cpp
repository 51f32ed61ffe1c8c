#include "run/make_page_table.h"

#include "impl/io_pgtable_arm.h"
#include "impl/lpae_geometry.h"
#include "ref/pgtable/ref_page_table.h"

namespace iovet {

// The LPAE geometry decides the page sizes whichever table is used, so the DMA layer makes
// the same calls over both; a granule LPAE lacks maps with that granule alone (ref only).
PgtableCfg pgtable_cfg(const Config& c) {
  PgtableCfg p;
  p.format = c.format;
  p.ias = c.ias;
  p.oas = c.oas;
  p.partial_unmap = c.partial_unmap;
  const bool lpae = c.granule == 4096 || c.granule == 16384 || c.granule == 65536;
  p.pgsize_bitmap = lpae ? lpae_pgsize_bitmap(c.granule, c.oas) : c.granule;
  return p;
}

std::unique_ptr<PageTable> make_page_table(const Config& c) {
  const PgtableCfg p = pgtable_cfg(c);
  return c.pgtable == PgtableKind::impl ? make_arm_lpae_pgtable(p) : make_ref_page_table(p);
}

}  // namespace iovet
