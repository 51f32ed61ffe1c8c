#include "impl/smmu_hw/smmu_hw_walker.h"

namespace iovet::smmu_hw {

namespace {

constexpr unsigned s2_max_concat_bits = 4;  // up to 16 concatenated starting tables

// Output or next-table address of a descriptor (DDI 0487 D8.3): bits [47:granule], and with
// the 64K granule OA[51:48] from bits [15:12].
u64 desc_address(u64 d, unsigned pg_shift) {
  u64 pa = d & desc::ADDR_48 & ~((u64{1} << pg_shift) - 1);
  if (pg_shift == 16) pa |= field_get(desc::ADDR_64K_HI, d) << desc::ADDR_64K_HI_SHIFT;
  return pa;
}

// Block descriptors without LPA2: 4K at levels 1-2, 16K at level 2, 64K at level 2 (and 1
// with FEAT_LPA).
bool block_allowed(unsigned pg_shift, int lvl, bool lpa) {
  switch (pg_shift) {
    case 12: return lvl == 1 || lvl == 2;
    case 14: return lvl == 2;
    default: return lvl == 2 || (lvl == 1 && lpa);
  }
}

}  // namespace

int s1_start_level(unsigned pg_shift, unsigned ias) {
  const unsigned stride = pg_shift - 3;
  const unsigned levels = (ias - pg_shift + stride - 1) / stride;
  return max_level + 1 - static_cast<int>(levels);
}

int s2_start_level(unsigned pg_shift, unsigned sl0) {
  // 4K: SL0 0/1/2 start at level 2/1/0; 16K and 64K: at level 3/2/1. SL0 = 3 needs TTST/LPA2.
  if (sl0 == 3) return -1;
  return (pg_shift == 12 ? 2 : 3) - static_cast<int>(sl0);
}

bool start_level_consistent(const WalkCfg& c) {
  if (c.start_level < 0 || c.start_level > max_level) return false;
  const unsigned shift = level_shift(c.pg_shift, c.start_level);
  if (c.ias <= shift) return false;
  const unsigned bits = c.ias - shift;
  return bits <= (c.pg_shift - 3) + (c.stage2 ? s2_max_concat_bits : 0);
}

WalkResult walk_tables(const SystemMemory& mem, const WalkCfg& c, u64 ia, const WalkStart* from, WalkTables* seen) {
  WalkResult r;
  r.level = c.start_level;
  if (c.ias < 64 && (ia >> c.ias)) return r.fault = Fault::translation, r;
  const u64 oa_limit = u64{1} << c.ps;
  if (c.ttb >= oa_limit) return r.fault = Fault::addr_size, r;
  const unsigned stride = c.pg_shift - 3;
  u64 table = from ? from->table : c.ttb;
  for (int lvl = from ? from->level : c.start_level;; ++lvl) {  // level 3 always ends the walk
    r.level = lvl;
    const unsigned shift = level_shift(c.pg_shift, lvl);
    const unsigned width = lvl == c.start_level ? c.ias - shift : stride;
    const u64 idx = (ia >> shift) & ((u64{1} << width) - 1);
    const u64 pa = table + idx * 8;
    u64 d;
    if (!mem.read64(pa, &d)) return r.fetch_addr = pa, r.fault = Fault::walk_eabt, r;
    if (!(d & desc::VALID)) return r.fault = Fault::translation, r;
    const u64 next = desc_address(d, c.pg_shift);
    if (lvl < max_level && (d & desc::TABLE)) {
      if (next >= oa_limit) return r.fault = Fault::addr_size, r;
      table = next;
      if (seen) seen->table[lvl] = next;
      continue;
    }
    // A level-3 descriptor with bit 1 clear is reserved; blocks only where the granule has them.
    if (lvl == max_level ? !(d & desc::TABLE) : !block_allowed(c.pg_shift, lvl, c.lpa))
      return r.fault = Fault::translation, r;
    r.block_shift = shift;
    const u64 block_mask = (u64{1} << shift) - 1;
    r.out_base = next & ~block_mask;
    if (r.out_base >= oa_limit) return r.fault = Fault::addr_size, r;
    if (!(d & desc::AF) && !c.affd) return r.fault = Fault::access, r;
    r.in_base = ia & ~block_mask;
    if (c.stage2) {
      r.read = d & desc::S2AP_READ;
      r.write = d & desc::S2AP_WRITE;
    } else {
      r.read = true;  // stage 1 has no write-only encoding
      r.write = !(d & desc::S1_AP2_RDONLY);
      r.global = !(d & desc::S1_NG);
    }
    return r;
  }
}

}  // namespace iovet::smmu_hw
