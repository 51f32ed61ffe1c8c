// The configuration cache (IHI 0070 4.3): decoded STEs tagged by StreamID and CDs tagged by
// (StreamID, SubstreamID), kept until a CFGI command removes them. Only valid structures are
// cached; a fetch that reports C_BAD_* is retried on the next transaction.
#pragma once
#include <vector>

#include "impl/smmu_hw/smmu_hw_config.h"

namespace iovet::smmu_hw {

class CfgCache {
 public:
  explicit CfgCache(unsigned entries);

  const SteConfig* find_ste(u32 sid) {
    const Entry* e = find(ste_key(sid));
    return e ? &e->ste : nullptr;
  }
  const CdConfig* find_cd(u32 sid, u32 ssid) {
    const Entry* e = find(cd_key(sid, ssid));
    return e ? &e->cd : nullptr;
  }
  // Lookups that leave replacement alone (for views, not transactions).
  const SteConfig* peek_ste(u32 sid) const {
    const Entry* e = peek(ste_key(sid));
    return e ? &e->ste : nullptr;
  }
  const CdConfig* peek_cd(u32 sid, u32 ssid) const {
    const Entry* e = peek(cd_key(sid, ssid));
    return e ? &e->cd : nullptr;
  }
  void insert_ste(u32 sid, const SteConfig& s);
  void insert_cd(u32 sid, u32 ssid, const CdConfig& c);

  void inv_ste_range(u32 first_sid, u32 last_sid, bool with_cds);  // CFGI_STE(_RANGE), CFGI_ALL
  void inv_cd(u32 sid, u32 ssid);                                  // CFGI_CD
  void inv_cds_of(u32 sid);                                        // CFGI_CD_ALL

  // Moves whenever an entry is added, replaced or invalidated (never 0): what a caller derived
  // from cached entries, pointers included, holds while it is unchanged.
  u64 generation() const { return gen_; }

 private:
  static constexpr u64 cd_tag = u64{1} << 63;
  static constexpr unsigned front_bits = 6;
  static constexpr unsigned front_none = ~0u;

  struct Entry {
    u64 key = 0;
    u64 stamp = 0;
    bool valid = false;
    SteConfig ste;
    CdConfig cd;
  };
  static u64 ste_key(u32 sid) { return sid; }
  static u64 cd_key(u32 sid, u32 ssid) { return cd_tag | (u64{ssid} << 32) | sid; }
  static unsigned front_slot(u64 key) {
    // StreamIDs direct-mapped; a CD's slot is offset by its SSID and the CD tag.
    return static_cast<unsigned>((key ^ (key >> 32) ^ (key >> 58)) & ((1u << front_bits) - 1));
  }

  const Entry* find(u64 key) {
    const unsigned slot = front_slot(key);
    const unsigned i = front_[slot];
    if (i < entries_.size() && entries_[i].valid && entries_[i].key == key)
      return entries_[i].stamp = ++clock_, &entries_[i];
    return find_slow(key, slot);
  }
  const Entry* find_slow(u64 key, unsigned slot);
  const Entry* peek(u64 key) const;
  Entry& place(u64 key);

  std::vector<Entry> entries_;
  std::vector<unsigned> front_;
  u64 clock_ = 0;
  u64 gen_ = 1;
};

}  // namespace iovet::smmu_hw
