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
  unsigned tg_shift = 0;  // the granule of its tables (0: not known)
  friend bool operator==(const TlbTag&, const TlbTag&) = default;
};

// The byte range a by-address command names: one address (tg == 0), whose whole entry goes,
// or the range (NUM+1) * 2^SCALE translation granules of TG from the address. nullopt for
// commands that are not by address.
std::optional<Range> tlbi_address_range(const SmmuCommand& c);

// What a TLBI may have to remove: a leaf translation of [iova, iova+size), or (table) the
// walk-cache entries of a table that covered [iova, iova+size) and was freed.
enum class TlbEntryKind { leaf, table };

// Whether c removes such an entry made under tag. By address, the architecture's hints bind: a
// leaf-only command (Leaf = 1) leaves walk-cache entries; with TG set, an entry of another
// granule stays; with TTL set, one whose entries are at another level stays (a leaf's level
// follows from its size, a freed table's entries are one level below the region it covered).
bool tlbi_removes(const SmmuCommand& c, const TlbTag& tag, u64 iova, u64 size, TlbEntryKind kind = TlbEntryKind::leaf);

}  // namespace iovet
