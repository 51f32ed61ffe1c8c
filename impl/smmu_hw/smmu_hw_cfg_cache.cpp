#include "impl/smmu_hw/smmu_hw_cfg_cache.h"

namespace iovet::smmu_hw {

CfgCache::CfgCache(unsigned entries)
    : entries_(entries ? entries : 1), front_(1u << front_bits, front_none) {}

const CfgCache::Entry* CfgCache::find_slow(u64 key, unsigned slot) {
  for (unsigned i = 0; i < entries_.size(); ++i)
    if (entries_[i].valid && entries_[i].key == key) {
      front_[slot] = i;
      return entries_[i].stamp = ++clock_, &entries_[i];
    }
  return nullptr;
}

const CfgCache::Entry* CfgCache::peek(u64 key) const {
  for (const Entry& e : entries_)
    if (e.valid && e.key == key) return &e;
  return nullptr;
}

// A free entry, or the least recently used one.
CfgCache::Entry& CfgCache::place(u64 key) {
  unsigned v = 0;
  for (unsigned i = 0; i < entries_.size(); ++i) {
    if (entries_[i].valid && entries_[i].key == key) {
      v = i;
      break;
    }
    if (!entries_[i].valid || (entries_[v].valid && entries_[i].stamp < entries_[v].stamp)) v = i;
  }
  ++gen_;
  Entry& e = entries_[v];
  e = Entry{};
  e.key = key;
  e.valid = true;
  e.stamp = ++clock_;
  front_[front_slot(key)] = v;
  return e;
}

void CfgCache::insert_ste(u32 sid, const SteConfig& s) { place(ste_key(sid)).ste = s; }
void CfgCache::insert_cd(u32 sid, u32 ssid, const CdConfig& c) { place(cd_key(sid, ssid)).cd = c; }

void CfgCache::inv_ste_range(u32 first_sid, u32 last_sid, bool with_cds) {
  ++gen_;
  for (Entry& e : entries_) {
    const u32 sid = static_cast<u32>(e.key);
    if (e.valid && sid >= first_sid && sid <= last_sid && (with_cds || !(e.key & cd_tag)))
      e.valid = false;
  }
}

void CfgCache::inv_cd(u32 sid, u32 ssid) {
  ++gen_;
  for (Entry& e : entries_)
    if (e.valid && e.key == cd_key(sid, ssid)) e.valid = false;
}

void CfgCache::inv_cds_of(u32 sid) {
  ++gen_;
  for (Entry& e : entries_)
    if (e.valid && (e.key & cd_tag) && static_cast<u32>(e.key) == sid) e.valid = false;
}

}  // namespace iovet::smmu_hw
