#include "spec/config.h"

namespace iovet {

std::string_view format_name(Format f) {
  return f == Format::arm64_lpae_s1 ? "arm64-lpae-s1" : "arm64-lpae-s2";
}
std::string_view pgtable_name(PgtableKind k) { return k == PgtableKind::impl ? "impl" : "ref"; }
std::string_view partial_unmap_name(PartialUnmap p) {
  return p == PartialUnmap::refuse ? "refuse" : "split";
}

Range Config::aperture() const {
  if (domain.aperture) return *domain.aperture;
  return {0, ias >= 64 ? ~u64{0} : (u64{1} << ias) - 1};
}

std::string_view replacement_name(TlbReplacement r) {
  switch (r) {
    case TlbReplacement::lru: return "lru";
    case TlbReplacement::fifo: return "fifo";
    case TlbReplacement::random: return "random";
  }
  return "?";
}

std::vector<ConfigProblem> validate(const Config& c) {
  std::vector<ConfigProblem> p;
  auto bad = [&](std::string ptr, std::string msg) { p.push_back({std::move(ptr), std::move(msg)}); };
  if (c.page_size != 4096 && c.page_size != 16384 && c.page_size != 65536)
    bad("/page_size", "must be 4096, 16384 or 65536");
  if (!is_pow2(c.granule) || c.granule < 512)
    bad("/granule", "must be a power of two of at least 512");
  if (c.ias < 32 || c.ias > 52) bad("/ias", "must be between 32 and 52");
  if (c.oas < 32 || c.oas > 52) bad("/oas", "must be between 32 and 52");
  if (c.pgtable == PgtableKind::impl && c.granule != 4096 && c.granule != 16384 &&
      c.granule != 65536)
    bad("/granule", "the LPAE page table (pgtable impl) needs a 4K, 16K or 64K granule");
  if ((c.ias > 48 || c.oas > 48) && c.granule != 65536 && c.pgtable == PgtableKind::impl)
    bad(c.ias > 48 ? "/ias" : "/oas", "52-bit addresses need the 64K granule");
  // The TCR/VTCR (I)PS field of an LPAE table encodes only these output sizes.
  const bool ips = c.oas == 32 || c.oas == 36 || c.oas == 40 || c.oas == 42 || c.oas == 44 || c.oas == 48 || c.oas == 52;
  if (!ips && c.pgtable == PgtableKind::impl)
    bad("/oas", "the LPAE page table (pgtable impl) needs 32, 36, 40, 42, 44, 48 or 52 (what TCR.IPS encodes)");
  const u64 m = c.device.seg_boundary_mask;
  if (!is_pow2(m + 1) && m != ~u64{0})
    bad("/device/seg_boundary_mask", "must be 2^k - 1");
  if (c.device.max_seg_size == 0 || c.device.max_seg_size > 0xffffffffu)
    bad("/device/max_seg_size", "must be between 1 and 2^32-1");
  auto mask_ok = [](u64 mk) { return mk == ~u64{0} || is_pow2(mk + 1); };
  if (!mask_ok(c.device.dma_mask) || c.device.dma_mask < 0xfff)
    bad("/device/dma_mask", "must be 2^k - 1 with k >= 12");
  if (c.device.coherent_dma_mask && (!mask_ok(*c.device.coherent_dma_mask) ||
                                     *c.device.coherent_dma_mask < 0xfff))
    bad("/device/coherent_dma_mask", "must be 2^k - 1 with k >= 12");
  if (c.domain.aperture && c.domain.aperture->first > c.domain.aperture->last)
    bad("/domain/aperture", "first is above last");
  for (size_t i = 0; i < c.domain.reserved.size(); ++i)
    if (c.domain.reserved[i].first > c.domain.reserved[i].last)
      bad("/domain/reserved/" + std::to_string(i), "first is above last");
  if (c.device.pci) {
    const std::string ptr = "/device/pci";
    for (size_t i = 0; i < c.device.pci->windows.size(); ++i)
      if (c.device.pci->windows[i].first > c.device.pci->windows[i].last)
        bad(ptr + "/windows/" + std::to_string(i), "first is above last");
    for (size_t i = 0; i < c.device.pci->dma_ranges.size(); ++i) {
      const PciDmaRange& r = c.device.pci->dma_ranges[i];
      const std::string at = ptr + "/dma_ranges/" + std::to_string(i);
      if (r.start > r.end) bad(at, "start is above end");
      else if (r.offset > r.start) bad(at + "/offset", "above start: the bus address start - offset would be negative");
      // iova_reserve_pci_windows()'s next start (bus end + 1) would wrap to 0.
      else if (r.bus_end() == ~u64{0}) bad(at + "/end", "reaches 2^64-1 in bus space (end - offset), which iovet does not model");
    }
  }
  if (c.start_pfn == 0) bad("/start_pfn", "must be at least 1 (pfn 0 is never handed out)");
  const SmmuParams& s = c.smmu;
  if (s.fq_size < 1 || s.fq_size > 4096) bad("/smmu/fq_size", "must be between 1 and 4096");
  if (s.sidsize < 1 || s.sidsize > 32) bad("/smmu/sidsize", "must be between 1 and 32");
  if (!s.st_2lvl && s.sidsize > 16) bad("/smmu/sidsize", "a linear stream table is limited to 16 bits here (set st_2lvl)");
  // arm_smmu_init_queues() refuses a command queue no bigger than one 64-command batch.
  if (s.cmdq_log2 < 7 || s.cmdq_log2 > 19) bad("/smmu/cmdq_log2", "must be between 7 and 19 (IDR1.CMDQS; Linux needs more than 64 entries)");
  if (s.cmdq_per_poll < 1) bad("/smmu/cmdq_per_poll", "must be at least 1");
  if (s.iotlb_entries < 1 || s.iotlb_entries > 65536) bad("/smmu/iotlb_entries", "must be between 1 and 65536");
  return p;
}

}  // namespace iovet
