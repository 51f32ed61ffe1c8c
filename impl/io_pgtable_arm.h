// The optimised ARM LPAE io-pgtable (ARM_64_LPAE_S1 / ARM_64_LPAE_S2), modelled on
// drivers/iommu/io-pgtable-arm.c: bit-exact VMSAv8-64 descriptors in simulated physical memory,
// iterative walks, leaves written in batches within one table as __arm_lpae_map() does.
#pragma once
#include <bit>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "impl/lpae_geometry.h"
#include "impl/phys_mem.h"
#include "spec/unit/iommu_tlb_ops.h"
#include "spec/unit/page_table.h"

namespace iovet {

// What struct io_pgtable_cfg carries beyond PgtableCfg.
struct LpaeOptions {
  // IO_PGTABLE_QUIRK_ARM_HD: writable stage-1 leaves get DBM (SMMU dirty-state tracking).
  bool quirk_arm_hd = false;
  // Free a table page as soon as its last entry is cleared. Linux never does: a table emptied
  // leaf by leaf stays until a block is mapped over it (which frees it and whatever it still
  // maps) or the domain dies. On by default so that pt.leak and pt.exists hold; off models the
  // kernel exactly.
  bool free_empty_tables = true;
  u64 phys_base = PhysMem::default_base;
  u64 max_table_pages = 0;  // 0: no limit; else table allocation fails (-ENOMEM) beyond it
};

// IOMMU_DIRTY_NO_CLEAR: report dirty leaves without making them clean again.
inline constexpr unsigned iommu_dirty_no_clear = 1u << 0;

// The descriptors a walk reads at each level (arm_lpae_pgtable_walk's ptes[]).
struct LpaePteWalk {
  u64 ptes[lpae::ARM_LPAE_MAX_LEVELS] = {};
  int leaf_lvl = -1;  // level of the leaf, -1 when the walk ends on an empty entry
};

class ArmLpaePgtable final : public PageTable {
 public:
  // cfg is restricted as arm_lpae_restrict_pgsizes() does; throws std::invalid_argument where
  // alloc_io_pgtable_ops() would fail.
  explicit ArmLpaePgtable(const PgtableCfg& cfg, const LpaeOptions& opt = {});
  ArmLpaePgtable(const ArmLpaePgtable&) = delete;
  ArmLpaePgtable& operator=(const ArmLpaePgtable&) = delete;

  const PgtableCfg& cfg() const override { return cfg_; }
  // Maps table by table: when a later table's batch fails (EEXIST, ENOMEM), the batches before
  // it stay mapped and count in *mapped, and the failing batch writes nothing.
  int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) override;
  u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) override;
  u64 iova_to_phys(u64 iova) const override;
  Translation translate(u64 iova) const override;
  bool can_express_write_only() const override { return cfg_.format == Format::arm64_lpae_s2; }
  std::vector<Leaf> leaves() const override;
  std::size_t table_pages() const override { return mem_.pages_in_use(); }

  // arm_lpae_read_and_clear_dirty(): calls record(iova, size) for every writable-dirty leaf in
  // [iova, iova + size) and, unless flags has iommu_dirty_no_clear, makes it writable-clean.
  // -EINVAL for an empty or out-of-ias range, a stage-2 table, or a hole in the range (the
  // kernel's walker stops on an entry that is neither leaf nor table).
  int read_and_clear_dirty(u64 iova, u64 size, unsigned flags,
                           const std::function<void(u64 iova, u64 size)>& record);
  // A device write as an SMMU with HTTU performs it: false when the leaf does not permit it;
  // on a writable-clean leaf (DBM set, AP[2] set) hardware clears AP[2], making it dirty.
  bool device_write(u64 iova);

  // arm_lpae_pgtable_walk(): the descriptor read at every level for iova.
  LpaePteWalk pgtable_walk(u64 iova) const;

  const LpaeGeometry& geometry() const { return g_; }
  const LpaeOptions& options() const { return opt_; }
  // cfg.tlb: where a table that a new block replaces is flushed from the walk caches
  // (arm_lpae_init_pte() -> __arm_lpae_unmap() -> io_pgtable_tlb_flush_walk()).
  void set_tlb_ops(IommuTlbOps* ops) { tlb_ = ops; }
  const PhysMem& phys_mem() const { return mem_; }
  u64 pgd_pa() const { return pgd_pa_; }  // what TTBR0 / VTTBR point at

  // The WARN()s the modelled kernel code would have printed, oldest first; clears them.
  std::vector<std::string> take_warnings() override { return std::exchange(warnings_, {}); }

 private:
  struct PathEntry {
    u64 table_pa;
    unsigned idx;
  };

  // The table that map and unmap last walked down to, by the iova bits above it: the next
  // page of a DMA stream usually lands in it, and the walk's upper levels are skipped. Not in
  // Linux (which walks every time). Dropped whenever a table is freed.
  struct LeafTableCache {
    int lvl = -1;
    u64 key = 0;  // iova >> the shift of the level above lvl
    u64 table_pa = 0;
  };
  // ARM_LPAE_LVL_IDX from the per-level tables (LpaeGeometry::lvl_idx computes the same).
  unsigned lvl_idx(u64 iova, int lvl) const {
    return static_cast<unsigned>((iova >> lvl_shift_[lvl]) & lvl_mask_[lvl]);
  }
  u64 leaf_table_key(u64 iova, int lvl) const { return iova >> lvl_shift_[lvl - 1]; }
  // The cached table for a walk from the pgd to level lvl, 0 when another one.
  u64 cached_leaf_table(u64 iova, int lvl) const {
    return leaf_cache_.lvl == lvl && leaf_cache_.key == leaf_table_key(iova, lvl) ? leaf_cache_.table_pa : 0;
  }
  void remember_leaf_table(u64 iova, int lvl, u64 table_pa) {
    if (lvl > g_.start_level) leaf_cache_ = {lvl, leaf_table_key(iova, lvl), table_pa};
  }
  // The path entries above lvl that a cached walk skipped, for reclaim_path().
  void fill_path(u64 iova, int lvl, PathEntry* path) const;

  u64* table(u64 pa) const { return mem_.ptr(pa); }
  // g_.leaf_level() for a power-of-two pgsize, from the table the constructor filled.
  int leaf_level(u64 pgsize) const { return leaf_lvl_[std::countr_zero(pgsize)]; }
  u64 deref(u64 pte) const { return lpae::iopte_to_paddr(pte, granule_); }
  u32& live(u64 table_pa) { return mem_.page_private(table_pa); }
  // Cold: the compiler then moves each WARN's message building off the map/unmap fast path.
  [[gnu::cold]] void warn(std::string msg) { warnings_.push_back(std::move(msg)); }

  // One granule in the cached leaf table (dma_map_page's usual case), with the general path's
  // checks reduced to what can fail there; false sends the call down the general path.
  [[gnu::always_inline]] inline bool map_one_granule(u64 iova, u64 paddr, int prot);
  [[gnu::always_inline]] inline bool unmap_one_granule(u64 iova, IotlbGather* gather);
  // Out of line, so the one-granule paths do not pay for the general path's registers.
  [[gnu::noinline]] int map_pages_general(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot,
                                          u64* mapped);
  [[gnu::noinline]] u64 unmap_pages_general(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather);
  int map_batch(u64 iova, u64 paddr, u64 pgsize, int leaf_lvl, u64 pgcount, u64 pte_prot,
                u64* batch);
  u64 unmap_batch(u64 iova, u64 pgsize, int leaf_lvl, u64 pgcount, IotlbGather* gather,
                  bool* stop);
  u64 split_blk(u64 blk_pte, int lvl, u64* ptep);
  void free_pgtable(u64 table_pa, int lvl);
  void reclaim_path(const PathEntry* path, int lvl, u64 iova, IotlbGather* gather);
  u64* find_leaf(u64 iova, int* lvl) const;
  int walk_dirty(u64 table_pa, int lvl, u64& addr, u64 end, unsigned flags,
                 const std::function<void(u64, u64)>& record);
  void collect_leaves(u64 table_pa, int lvl, u64 base, std::vector<Leaf>& out) const;

  PgtableCfg cfg_;
  LpaeOptions opt_;
  IommuTlbOps* tlb_ = nullptr;
  LpaeGeometry g_;
  u64 granule_;
  unsigned lvl_shift_[lpae::ARM_LPAE_MAX_LEVELS] = {};  // ARM_LPAE_LVL_SHIFT per level
  u64 lvl_mask_[lpae::ARM_LPAE_MAX_LEVELS] = {};        // index mask per level (pgd's own)
  signed char leaf_lvl_[64] = {};                       // leaf level by log2(pgsize), or -1
  u64 page_prot_[prot::priv << 1] = {};  // a last-level leaf's attributes by prot, 0: neither R nor W
  // The bits that make an address misaligned for one granule or put it outside ias / oas.
  u64 iova_bad_bits_ = 0, paddr_bad_bits_ = 0;
  PhysMem mem_;
  u64 pgd_pa_;
  LeafTableCache leaf_cache_;
  std::vector<std::string> warnings_;
};

// The factory the runner and the properties use: the optimised page table for cfg.
std::unique_ptr<PageTable> make_arm_lpae_pgtable(const PgtableCfg& cfg);

}  // namespace iovet
