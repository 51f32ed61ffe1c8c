// The walk cache (IHI 0070 permits caching intermediate table descriptors, as an MMU's walk
// cache does): table descriptors the walker read, tagged by stage, ASID and VMID, so a later
// walk of the same region starts at the deepest cached table. A TLBI removes them only when it
// says non-leaf (Leaf = 0) and its hints fit: TG the granule, TTL 0 or the level of the
// entries in the table the descriptor points to. Leaf = 1 leaves them, as the architecture
// allows: a driver that frees a table must say so.
#pragma once
#include <vector>

#include "impl/smmu_hw/smmu_hw_iotlb.h"

namespace iovet::smmu_hw {

struct WalkCacheEntry {
  u64 in_base = 0;   // input address of the region the descriptor covers
  u64 table = 0;     // the next-level table it points to
  u32 asid = 0, vmid = 0;
  unsigned char level = 0;     // the descriptor's level (its table's entries are at level + 1)
  unsigned char in_shift = 0;  // log2 of the region's size
  unsigned char pg_shift = 0;
  bool valid = false, stage2 = false;
};

class WalkCache {
 public:
  explicit WalkCache(unsigned entries) : entries_(entries ? entries : 1) {}

  // The deepest cached table covering ia for the context, or null.
  const WalkCacheEntry* lookup(bool stage2, u32 asid, u32 vmid, u64 ia) const;
  // FIFO replacement; an entry for the same region and context is replaced in place.
  void insert(const WalkCacheEntry& e);

  void inv_range(bool stage2, u32 asid, bool all_asids, u32 vmid, const TlbiRange& r);  // Leaf = 0 only
  void inv_s1_asid(u32 asid, u32 vmid);
  void inv_s1_vmid(u32 vmid);
  void inv_vmid(u32 vmid);
  void inv_all();

  unsigned valid_entries() const;

 private:
  std::vector<WalkCacheEntry> entries_;
  unsigned next_ = 0;  // FIFO victim
};

}  // namespace iovet::smmu_hw
