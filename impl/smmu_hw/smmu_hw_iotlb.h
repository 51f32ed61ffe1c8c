// The SMMU's TLB: leaf translations tagged by stage, ASID and VMID, kept until a matching TLBI
// command removes them however the tables change (IHI 0070 3.17, 4.4). A small direct-mapped
// index in front of the fully associative array keeps the hit path to a few loads.
#pragma once
#include <array>
#include <vector>

#include "impl/smmu_hw/smmu_hw_bits.h"

namespace iovet::smmu_hw {

enum class IotlbReplacement { lru, fifo, random };

struct IotlbEntry {
  u64 in_base = 0;   // VA (stage 1) or IPA (stage 2) of the leaf's first byte
  u64 out_base = 0;
  u64 stamp = 0;     // last use (LRU) or insertion (FIFO)
  u32 asid = 0, vmid = 0;
  unsigned char block_shift = 0, level = 0, pg_shift = 0;
  bool valid = false, stage2 = false, global = false, read = false, write = false;

  bool covers(u64 ia) const { return ((ia ^ in_base) >> block_shift) == 0; }
  bool allows(bool is_write) const { return is_write ? write : read; }
  u64 output(u64 ia) const { return out_base + (ia - in_base); }
  bool tagged(bool s2, u32 as, u32 vm) const {
    return valid && stage2 == s2 && vmid == vm && (s2 || global || asid == as);
  }
};

// The address-range part of TLBI_NH_VA / TLBI_NH_VAA / TLBI_S2_IPA (IHI 0070 4.4.1):
// TG = 0 names the one address; otherwise (NUM+1) << SCALE pages of the TG granule from addr,
// and TTL != 0 restricts to leaves of that level.
struct TlbiRange {
  u64 addr = 0;
  unsigned tg = 0, scale = 0, num = 0, ttl = 0;
};

// CMD_TLBI_*.TG as a granule shift: 1 4K, 2 16K, 3 64K.
constexpr unsigned tlbi_tg_shift(unsigned tg) { return 10 + 2 * tg; }
// The input addresses [lo, hi] the command names (TG = 0: the one address).
struct TlbiSpan {
  u64 lo = 0, hi = 0;
};
TlbiSpan tlbi_span(const TlbiRange& r);

class Iotlb {
 public:
  Iotlb(unsigned entries, IotlbReplacement r, u64 seed);

  const IotlbEntry* lookup(bool stage2, u32 asid, u32 vmid, u64 ia) {
    const unsigned slot = front_slot(stage2, asid, vmid, ia);
    IotlbEntry& e = entries_[front_[slot]];
    if (e.tagged(stage2, asid, vmid) && e.covers(ia)) return touch(e);
    return lookup_slow(stage2, asid, vmid, ia, slot);
  }
  // Returns where the entry went.
  unsigned insert(const IotlbEntry& e);

  // Bumped by every insertion and removal: a reference to an entry (a stream's micro-TLB)
  // names the same translation for as long as the epoch it was taken at stands.
  u64 epoch() const { return epoch_; }
  unsigned index_of(const IotlbEntry& e) const { return static_cast<unsigned>(&e - entries_.data()); }
  const IotlbEntry& at(unsigned i) const { return entries_[i]; }
  // A hit through such a reference: it counts as a use for replacement like any other hit.
  void reuse(unsigned i) { touch(entries_[i]); }

  // Stage-1 entries of vmid for (asid, or every ASID when all_asids) in range; global entries
  // match any ASID.
  void inv_s1_va(u32 asid, bool all_asids, u32 vmid, const TlbiRange& r);
  void inv_s1_asid(u32 asid, u32 vmid);  // non-global stage-1 entries of (asid, vmid)
  void inv_s1_vmid(u32 vmid);            // TLBI_NH_ALL
  void inv_s2_ipa(u32 vmid, const TlbiRange& r);
  void inv_vmid(u32 vmid);               // TLBI_S12_VMALL
  void inv_all();                        // TLBI_NSNH_ALL

  unsigned valid_entries() const;
  // The valid entries, ordered by tag and address (not by slot, which depends on replacement).
  std::vector<IotlbEntry> live() const;

 private:
  static constexpr unsigned front_bits = 8;

  static unsigned front_slot(bool stage2, u32 asid, u32 vmid, u64 ia) {
    // Neighbouring 4K pages take neighbouring slots; the tags spread contexts apart.
    const u64 h = (ia >> 12) ^ (ia >> (12 + front_bits)) ^ (u64{asid} * 7) ^ (u64{vmid} * 13) ^
                  (u64{stage2} << (front_bits - 1));
    return static_cast<unsigned>(h & ((1u << front_bits) - 1));
  }
  const IotlbEntry* touch(IotlbEntry& e) {
    if (repl_ == IotlbReplacement::lru) e.stamp = ++clock_;
    return &e;
  }
  const IotlbEntry* lookup_slow(bool stage2, u32 asid, u32 vmid, u64 ia, unsigned slot);
  bool in_range(const IotlbEntry& e, const TlbiRange& r) const;
  unsigned victim();
  void drop(IotlbEntry& e) {
    e.valid = false;
    --live_;
    ++epoch_;
  }

  std::vector<IotlbEntry> entries_;
  // Index of the entry last found or inserted per slot: only a hint, checked like any other
  // entry (slots never used point at entry 0).
  std::array<unsigned, 1u << front_bits> front_{};
  IotlbReplacement repl_;
  u64 rng_;
  u64 clock_ = 0;
  unsigned live_ = 0;  // valid entries
  u64 epoch_ = 0;
};

}  // namespace iovet::smmu_hw
