#include "spec/dma_judge.h"

#include "spec/dma_init_judge.h"

#include <algorithm>

namespace iovet {

DmaJudge::DmaJudge(const Config& cfg, bool can_express_write_only)
    : cfg_(cfg), write_only_(can_express_write_only) {}

// From the first misuse on, the DMA API promises nothing but "no crash, no BUG, stay consistent".
void DmaJudge::add(const char* rule, std::string msg, std::string flavor) {
  const std::string r = rule;
  if (in_misuse() && r != "dma.crash" && r != "dma.bug" && r != "dma.hang" && r != "dma.misuse") return;
  violations_.push_back({r, std::move(msg), op_, std::move(flavor)});
}

Range DmaJudge::hull_of(const std::vector<Extent>& ex) const {
  const u64 g = cfg_.granule;
  u64 lo = ~u64{0}, hi = 0;
  for (const Extent& e : ex) {
    lo = std::min(lo, e.dma & ~(g - 1));
    hi = std::max(hi, ((e.dma + e.len - 1) & ~(g - 1)) + g - 1);
  }
  return {lo, hi};
}

void DmaJudge::record(const std::string& id, DmaMapping m) {
  released_.erase(id);
  live_[id] = std::move(m);
}

bool DmaJudge::below_oas(u64 phys, u64 len) const {
  const u64 last = phys + (len - 1);
  return len && last >= phys && (cfg_.oas >= 64 || last >> cfg_.oas == 0);
}

// Whether an aligned run of 2 * roundup_pow_of_two(granules) is free in [max(1, aperture
// start), min(dma_mask, aperture end, ias)]: then any size-aligned allocation the request makes
// (iommu_dma_alloc_iova() -> alloc_iova_fast(), rounded or not) fits twice over. Occupied are
// the reserved regions, the flush queue and each live mapping's first granule plus the
// power of two above its granules (alloc_iova_fast() rounds small sizes up): never less than
// any allocator holds. rcache entries are free: alloc_iova_fast() flushes them and retries.
void DmaJudge::failed(const std::string& what, u64 granules) {
  if (in_misuse() || granules == 0 || granules > u64{1} << 52) return;
  for (const auto& [id, m] : live_)
    if (!m.sound || m.tampered) return;  // where its IOVA lies is unknown
  const unsigned shift = cfg_.granule_shift();
  const u64 g = cfg_.granule, block = 2 * roundup_pow_of_two(granules);
  const Range ap = cfg_.aperture();
  const u64 ias_last = cfg_.ias >= 64 ? ~u64{0} : (u64{1} << cfg_.ias) - 1;
  const u64 top = std::min({cfg_.device.dma_mask, ap.last, ias_last});
  if ((top >> shift) == 0 && (top & (g - 1)) != g - 1) return;
  const u64 hi = (top & (g - 1)) == g - 1 ? top >> shift : (top >> shift) - 1;  // whole granules
  const u64 lo = std::max<u64>(1, (ap.first >> shift) + ((ap.first & (g - 1)) ? 1 : 0));
  std::vector<IovaRange> busy = queued_;
  // What init reserved (domain.reserved, a PCI bridge's windows and bus gaps), a granule wider
  // on each side: the kernel rounds outward.
  for (const ReservedIova& r : reserved_iova(cfg_))
    busy.push_back({(r.range.first >> shift) - ((r.range.first >> shift) > 0), (r.range.last >> shift) + 1});
  for (const auto& [id, m] : live_) {
    const u64 first = m.hull.first >> shift, n = ((m.hull.last - m.hull.first) >> shift) + 1;
    busy.push_back({first, first + roundup_pow_of_two(n) - 1});
  }
  std::sort(busy.begin(), busy.end(), [](const IovaRange& a, const IovaRange& b) { return a.pfn_lo < b.pfn_lo; });
  auto fits = [&](u64 from, u64 to) -> std::optional<u64> {  // an aligned block in [from, to]
    const u64 s = (from + block - 1) & ~(block - 1);
    if (s < from || s > to || to - s < block - 1) return std::nullopt;
    return s;
  };
  std::optional<u64> run;
  u64 cursor = lo;  // everything below is busy or looked at
  for (const IovaRange& b : busy) {
    if (b.pfn_hi < cursor) continue;
    if (b.pfn_lo > hi) break;
    if (b.pfn_lo > cursor && (run = fits(cursor, b.pfn_lo - 1))) break;
    if (b.pfn_hi >= hi) {
      cursor = hi + 1;
      break;
    }
    cursor = b.pfn_hi + 1;
  }
  if (!run && cursor <= hi) run = fits(cursor, hi);
  if (!run) return;
  add("dma.spurious_failure", what + " failed although IOVA [" + hex(*run << shift) + ", " +
                                  hex(((*run + block) << shift) - 1) + "] is free below " + hex(top) +
                                  " = min(dma_mask, aperture end): twice the most it can need");
}

void DmaJudge::map_page(const std::string& id, u64 phys, u64 size, Dir dir, u64 handle) {
  const u64 g = cfg_.granule;
  if (handle == DMA_MAPPING_ERROR) {  // failing is allowed only for want of IOVA space
    if (below_oas(phys, size))
      failed("map_page of " + hex(size) + " bytes at phys " + hex(phys), ((phys & (g - 1)) + size + g - 1) / g);
    return;
  }
  if ((handle & (g - 1)) != (phys & (g - 1)))
    add("dma.offset", "map_page of phys " + hex(phys) + " returned " + hex(handle) + ": offset " +
                          hex(handle & (g - 1)) + " inside the granule, expected " + hex(phys & (g - 1)));
  const u64 last = handle + size - 1;
  if (last < handle || last > cfg_.device.dma_mask)
    add("sg.dma_mask", "map_page returned [" + hex(handle) + ",+" + hex(size) + ") beyond the DMA mask " +
                           hex(cfg_.device.dma_mask));
  DmaMapping m;
  m.dir = dir;
  m.extents = {{handle, phys, size}};
  m.size = size;
  m.handle = handle;
  m.hull = hull_of(m.extents);
  record(id, std::move(m));
}

void DmaJudge::map_sg(const std::string& id, const std::vector<SgInput>& in, Dir dir, int ret,
                      const std::vector<Scatterlist>& out, const TranslateFn& translate) {
  SgVerdict v = judge_map_sg(in, cfg_.device, cfg_.granule, ret, out, translate);
  for (Violation& x : v.violations) add(x.rule.c_str(), std::move(x.message), std::move(x.flavor));
  if (ret <= 0) {
    // Within dma_parms, a list needs at most each entry's granules plus as much again in
    // padding to a boundary or to its own alignment (iommu_dma_map_sg()'s pad_len < s_length,
    // v4.4's below roundup_pow_of_two(s_length)). A page not on a granule is no claim:
    // iommu_dma_map_sg() aligns s->offset only, as init_iova_domain() BUG()s on a granule
    // above PAGE_SIZE.
    const u64 g = cfg_.granule, mask = cfg_.device.seg_boundary_mask;
    u64 granules = 0, bytes = 0;
    for (const SgInput& e : in) {
      if (e.length > cfg_.device.max_seg_size || sg_entry_must_cross(e.phys(), e.length, g, mask) ||
          !below_oas(e.phys(), e.length) || (e.page & (g - 1)))
        return;
      granules += 2 * roundup_pow_of_two(((e.phys() & (g - 1)) + e.length + g - 1) / g);
      bytes += e.length;
    }
    failed("map_sg of " + std::to_string(in.size()) + " entries (" + hex(bytes) + " bytes) returning " +
               std::to_string(ret),
           granules);
    return;
  }
  DmaMapping m;
  m.dir = dir;
  m.sound = v.layout.sound;
  m.handle = out[0].dma_address;
  for (std::size_t i = 0; i < in.size(); ++i) m.size += in[i].length;
  if (m.sound) {
    for (std::size_t i = 0; i < in.size(); ++i) m.extents.push_back({v.layout.entry_dma[i], in[i].phys(), in[i].length});
  } else {
    // The segments are all the device has; their bytes' owners are unknown.
    for (int j = 0; j < ret && j < static_cast<int>(out.size()); ++j)
      if (out[j].dma_length) m.extents.push_back({out[j].dma_address, 0, out[j].dma_length});
  }
  if (m.extents.empty()) return;
  m.hull = hull_of(m.extents);
  record(id, std::move(m));
}

void DmaJudge::alloc(const std::string& id, u64 size, const std::optional<CoherentBuffer>& buf) {
  if (!buf) return;
  const u64 ps = cfg_.page_size;
  DmaMapping m;
  m.size = size;
  m.handle = buf->handle;
  m.coherent_alloc = true;
  for (std::size_t i = 0; i < buf->pages.size() && i * ps < size; ++i)
    m.extents.push_back({buf->handle + i * ps, buf->pages[i], std::min(ps, size - i * ps)});
  const u64 last = buf->handle + size - 1;
  if (last < buf->handle || last > cfg_.device.coherent_mask())
    add("sg.dma_mask", "alloc returned [" + hex(buf->handle) + ",+" + hex(size) + ") beyond the coherent DMA mask " +
                           hex(cfg_.device.coherent_mask()));
  if (m.extents.size() * ps < size)
    add("sg.translation", "alloc of " + hex(size) + " bytes came back with only " +
                              std::to_string(buf->pages.size()) + " pages");
  if (m.extents.empty()) return;
  m.hull = hull_of(m.extents);
  record(id, std::move(m));
}

bool DmaJudge::release(const std::string& id) {
  auto it = live_.find(id);
  if (it == live_.end()) {
    misuse("second release of '" + id + "', or of a mapping that never succeeded");
    return false;
  }
  released_[id] = std::move(it->second);
  live_.erase(it);
  return true;
}

void DmaJudge::release_raw(u64 dma, u64 size) {
  for (auto& [id, m] : live_)
    if (!m.coherent_alloc && m.extents.size() == 1 && m.handle == dma && m.size == size) {
      release(std::string(id));
      return;
    }
  misuse("unmap_page of " + hex(dma) + " which is no live handle of that size");
}

void DmaJudge::misuse(const std::string&) {
  if (!in_misuse()) misuse_from_ = op_;
}

void DmaJudge::iommu_unmapped(u64 iova, u64 size) {
  misuse("iommu_unmap behind the DMA layer");
  for (auto& [id, m] : live_)
    if (m.hull.overlaps({iova, iova + size - 1})) m.tampered = true;
}

void DmaJudge::kernel_died(const std::string& rule, const std::string& what) { add(rule.c_str(), what); }

const DmaMapping* DmaJudge::covering(u64 iova, const Extent** ext) const {
  for (const auto& [id, m] : live_) {
    if (!m.hull.contains(iova)) continue;
    *ext = nullptr;
    if (m.sound)
      for (const Extent& e : m.extents)
        if (iova - e.dma < e.len) *ext = &e;
    return &m;
  }
  return nullptr;
}

void DmaJudge::access(u64 iova, bool write, const Translation& t) {
  if (in_misuse()) return;
  const Extent* e = nullptr;
  const DmaMapping* m = covering(iova, &e);
  const std::string what = std::string(write ? "write" : "read") + " at " + hex(iova);
  if (!m) {
    if (t.valid)
      add("pt.translation", "device " + what + " reaches phys " + hex(t.phys) + " but no live mapping covers it");
    return;
  }
  const bool may_write = m->dir != Dir::to_device;
  const bool may_read = m->dir != Dir::from_device;
  if (write && !may_write && t.valid && t.write)
    add("pt.permission", "device " + what + " succeeds through a to_device mapping");
  if (!write && !may_read && write_only_ && t.valid && t.read)
    add("pt.permission", "device " + what + " succeeds through a from_device mapping");
  if (!e) return;  // padding or granule rounding: only permissions are judged
  const u64 want = e->phys + (iova - e->dma);
  if ((write && may_write) || (!write && may_read)) {
    if (!t.valid)
      add("pt.translation", "device " + what + " faults inside a live mapping (expected phys " + hex(want) + ")");
    else if (t.phys != want)
      add("pt.translation", "device " + what + " reaches phys " + hex(t.phys) + ", expected " + hex(want));
    else if ((write && !t.write) || (!write && !t.read))
      add("pt.permission", "device " + what + " is refused by a mapping that grants it");
  }
}

void DmaJudge::check_consistency(const DmaSnapshot& s, const TranslateFn& translate) {
  if (misuse_reported_) return;
  auto report = [&](std::string msg) {
    add("dma.misuse", std::move(msg));
    misuse_reported_ = true;
  };
  auto is_cached = [&](const IovaRange& r) {
    return std::any_of(s.cached.begin(), s.cached.end(), [&](const IovaRange& c) { return c.pfn_lo == r.pfn_lo; });
  };
  const unsigned shift = cfg_.granule_shift();
  for (const auto& [id, m] : live_) {
    const u64 lo = m.hull.first >> shift, hi = m.hull.last >> shift;
    const bool held = std::any_of(s.allocated.begin(), s.allocated.end(), [&](const IovaRange& r) {
      return r.pfn_lo <= lo && hi <= r.pfn_hi && !is_cached(r);
    });
    if (!held) return report("the IOVA of live mapping '" + id + "' [" + hex(m.hull.first) + "," + hex(m.hull.last) +
                             "] is no longer allocated");
    for (const IovaRange& c : s.cached)
      if (c.pfn_lo <= hi && lo <= c.pfn_hi)
        return report("the IOVA of live mapping '" + id + "' is cached for reuse at pfn " + hex(c.pfn_lo));
    if (!m.sound || m.tampered) continue;
    for (const Extent& e : m.extents) {
      const Translation t = translate(e.dma);
      if (!t.valid || t.phys != e.phys)
        return report("live mapping '" + id + "' no longer translates at " + hex(e.dma));
    }
  }
  for (std::size_t i = 0; i < s.cached.size(); ++i)
    for (std::size_t j = i + 1; j < s.cached.size(); ++j)
      if (s.cached[i].pfn_lo <= s.cached[j].pfn_hi && s.cached[j].pfn_lo <= s.cached[i].pfn_hi)
        return report("pfn " + hex(s.cached[i].pfn_lo) + " is cached for reuse twice");
}

void DmaJudge::finish(const DmaSnapshot& s) {
  if (in_misuse() || !live_.empty()) return;
  for (const IovaRange& r : s.allocated) {
    const bool cached = std::any_of(s.cached.begin(), s.cached.end(), [&](const IovaRange& c) { return c.pfn_lo == r.pfn_lo; });
    if (!cached) {
      add("dma.leak", "IOVA pfns [" + hex(r.pfn_lo) + "," + hex(r.pfn_hi) + "] are still allocated after every mapping was released");
      break;
    }
  }
  if (!s.leaves.empty())
    add("dma.leak", "the page table still maps " + hex(s.leaves[0].iova) + " (+" + hex(s.leaves[0].size) +
                        ") after every mapping was released");
}

const DmaMapping* DmaJudge::live(const std::string& id) const {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : &it->second;
}

std::optional<u64> DmaJudge::dma_of(const std::string& id, u64 offset) const {
  const DmaMapping* m = live(id);
  if (!m) {
    auto it = released_.find(id);
    if (it == released_.end()) return std::nullopt;
    m = &it->second;
  }
  for (const Extent& e : m->extents) {
    if (offset < e.len) return e.dma + offset;
    offset -= e.len;
  }
  return std::nullopt;
}

}  // namespace iovet
