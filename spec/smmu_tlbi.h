// What one SMMU TLB invalidation command removes, as the architecture defines it (IHI 0070,
// 4.4 "TLB invalidation", range invalidation with TG/SCALE/NUM). The judge uses it to decide
// which unmapped leaves a completed invalidation has covered.
#pragma once
#include "spec/types.h"
#include "spec/unit/smmu.h"

namespace iovet {

// The translation context a domain's TLB entries carry.
struct TlbTag {
  bool stage2 = false;
  u32 asid = 0;  // stage 1
  u32 vmid = 0;  // stage 2
  friend bool operator==(const TlbTag&, const TlbTag&) = default;
};

// The byte range a by-address command names: one address (tg == 0), whose whole entry goes,
// or the range (NUM+1) * 2^SCALE translation granules of TG from the address. nullopt for
// commands that are not by address.
std::optional<Range> tlbi_address_range(const SmmuCommand& c);

// Whether c removes a cached leaf translation of [iova, iova+size) made under tag.
bool tlbi_removes(const SmmuCommand& c, const TlbTag& tag, u64 iova, u64 size);

}  // namespace iovet
