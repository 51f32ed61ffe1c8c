#include "impl/smmu_hw/smmu_hw_iotlb.h"

#include <algorithm>
#include <tuple>

namespace iovet::smmu_hw {

TlbiSpan tlbi_span(const TlbiRange& r) {
  if (!r.tg) return {r.addr, r.addr};
  const unsigned g = tlbi_tg_shift(r.tg);
  const u64 lo = r.addr & ~((u64{1} << g) - 1);
  const u64 size = (u64{r.num} + 1) << r.scale << g;  // at most 2^52: NUM, SCALE are 5 bits
  return {lo, lo + size - 1 < lo ? ~u64{0} : lo + size - 1};
}

Iotlb::Iotlb(unsigned entries, IotlbReplacement r, u64 seed)
    : entries_(entries ? entries : 1), repl_(r),
      rng_(seed ? seed : 1) {}

const IotlbEntry* Iotlb::lookup_slow(bool stage2, u32 asid, u32 vmid, u64 ia, unsigned slot) {
  for (unsigned i = 0; i < entries_.size(); ++i) {
    IotlbEntry& e = entries_[i];
    if (e.tagged(stage2, asid, vmid) && e.covers(ia)) {
      front_[slot] = i;
      return touch(e);
    }
  }
  return nullptr;
}

unsigned Iotlb::victim() {
  for (unsigned i = 0; i < entries_.size(); ++i)
    if (!entries_[i].valid) return i;
  if (repl_ == IotlbReplacement::random) {
    rng_ ^= rng_ << 13;  // xorshift64
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return static_cast<unsigned>(rng_ % entries_.size());
  }
  // LRU: oldest use; FIFO: oldest insertion (stamps only move on insert).
  unsigned v = 0;
  for (unsigned i = 1; i < entries_.size(); ++i)
    if (entries_[i].stamp < entries_[v].stamp) v = i;
  return v;
}

unsigned Iotlb::insert(const IotlbEntry& e) {
  const unsigned i = victim();
  ++epoch_;
  live_ += !entries_[i].valid;
  entries_[i] = e;
  entries_[i].valid = true;
  entries_[i].stamp = ++clock_;
  front_[front_slot(e.stage2, e.asid, e.vmid, e.in_base)] = i;
  return i;
}

bool Iotlb::in_range(const IotlbEntry& e, const TlbiRange& r) const {
  // Strict about the hints: an entry of another granule or (TTL != 0) another level stays.
  if (r.tg && (e.pg_shift != tlbi_tg_shift(r.tg) || (r.ttl && e.level != r.ttl))) return false;
  const TlbiSpan s = tlbi_span(r);
  const u64 e_last = e.in_base + ((u64{1} << e.block_shift) - 1);
  return e.in_base <= s.hi && s.lo <= e_last;
}

void Iotlb::inv_s1_va(u32 asid, bool all_asids, u32 vmid, const TlbiRange& r) {
  if (!live_) return;  // the common case after a flush: nothing to scan
  for (IotlbEntry& e : entries_)
    if (e.valid && !e.stage2 && e.vmid == vmid && (all_asids || e.global || e.asid == asid) &&
        in_range(e, r))
      drop(e);
}

void Iotlb::inv_s1_asid(u32 asid, u32 vmid) {
  if (!live_) return;  // the common case after a flush: nothing to scan
  for (IotlbEntry& e : entries_)
    if (e.valid && !e.stage2 && e.vmid == vmid && !e.global && e.asid == asid) drop(e);
}

void Iotlb::inv_s1_vmid(u32 vmid) {
  if (!live_) return;  // the common case after a flush: nothing to scan
  for (IotlbEntry& e : entries_)
    if (e.valid && !e.stage2 && e.vmid == vmid) drop(e);
}

void Iotlb::inv_s2_ipa(u32 vmid, const TlbiRange& r) {
  if (!live_) return;  // the common case after a flush: nothing to scan
  for (IotlbEntry& e : entries_)
    if (e.valid && e.stage2 && e.vmid == vmid && in_range(e, r)) drop(e);
}

void Iotlb::inv_vmid(u32 vmid) {
  for (IotlbEntry& e : entries_)
    if (e.valid && e.vmid == vmid) drop(e);
}

void Iotlb::inv_all() {
  for (IotlbEntry& e : entries_) e.valid = false;
  live_ = 0;
  ++epoch_;
}

std::vector<IotlbEntry> Iotlb::live() const {
  std::vector<IotlbEntry> v;
  for (const IotlbEntry& e : entries_)
    if (e.valid) v.push_back(e);
  std::sort(v.begin(), v.end(), [](const IotlbEntry& a, const IotlbEntry& b) {
    return std::tie(a.stage2, a.vmid, a.asid, a.in_base) < std::tie(b.stage2, b.vmid, b.asid, b.in_base);
  });
  return v;
}

unsigned Iotlb::valid_entries() const {
  unsigned n = 0;
  for (const IotlbEntry& e : entries_) n += e.valid;
  return n;
}

}  // namespace iovet::smmu_hw
