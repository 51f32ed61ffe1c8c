#include "impl/smmu_hw/smmu_hw_walk_cache.h"

namespace iovet::smmu_hw {

namespace {
bool tagged(const WalkCacheEntry& e, bool stage2, u32 asid, u32 vmid) {
  return e.valid && e.stage2 == stage2 && e.vmid == vmid && (stage2 || e.asid == asid);
}
bool covers(const WalkCacheEntry& e, u64 ia) { return ((ia ^ e.in_base) >> e.in_shift) == 0; }
}  // namespace

const WalkCacheEntry* WalkCache::lookup(bool stage2, u32 asid, u32 vmid, u64 ia) const {
  const WalkCacheEntry* best = nullptr;
  for (const WalkCacheEntry& e : entries_)
    if (tagged(e, stage2, asid, vmid) && covers(e, ia) && (!best || e.level > best->level)) best = &e;
  return best;
}

void WalkCache::insert(const WalkCacheEntry& e) {
  for (WalkCacheEntry& x : entries_)
    if (tagged(x, e.stage2, e.asid, e.vmid) && x.level == e.level && x.in_base == e.in_base) {
      x = e;
      x.valid = true;
      return;
    }
  WalkCacheEntry& v = entries_[next_];
  next_ = (next_ + 1) % entries_.size();
  v = e;
  v.valid = true;
}

void WalkCache::inv_range(bool stage2, u32 asid, bool all_asids, u32 vmid, const TlbiRange& r) {
  const TlbiSpan s = tlbi_span(r);
  for (WalkCacheEntry& e : entries_) {
    if (!e.valid || e.stage2 != stage2 || e.vmid != vmid || (!stage2 && !all_asids && e.asid != asid)) continue;
    // Strict about the hints, like the IOTLB: another granule, or a TTL naming another level
    // than the one the descriptor's table holds, leaves the entry.
    if (r.tg && (e.pg_shift != tlbi_tg_shift(r.tg) || (r.ttl && r.ttl != e.level + 1u))) continue;
    const u64 last = e.in_base + ((u64{1} << e.in_shift) - 1);
    if (e.in_base <= s.hi && s.lo <= last) e.valid = false;
  }
}

void WalkCache::inv_s1_asid(u32 asid, u32 vmid) {
  for (WalkCacheEntry& e : entries_)
    if (e.valid && !e.stage2 && e.vmid == vmid && e.asid == asid) e.valid = false;
}

void WalkCache::inv_s1_vmid(u32 vmid) {
  for (WalkCacheEntry& e : entries_)
    if (e.valid && !e.stage2 && e.vmid == vmid) e.valid = false;
}

void WalkCache::inv_vmid(u32 vmid) {
  for (WalkCacheEntry& e : entries_)
    if (e.valid && e.vmid == vmid) e.valid = false;
}

void WalkCache::inv_all() {
  for (WalkCacheEntry& e : entries_) e.valid = false;
}

unsigned WalkCache::valid_entries() const {
  unsigned n = 0;
  for (const WalkCacheEntry& e : entries_) n += e.valid;
  return n;
}

}  // namespace iovet::smmu_hw
