#include "impl/io_pgtable_arm.h"

#include <algorithm>
#include <stdexcept>

namespace iovet {

using namespace lpae;

namespace {
constexpr int last_lvl = ARM_LPAE_MAX_LEVELS - 1;
}

// arm_64_lpae_alloc_pgtable_s1/_s2(): geometry, then a zeroed pgd.
ArmLpaePgtable::ArmLpaePgtable(const PgtableCfg& cfg, const LpaeOptions& opt)
    : cfg_(arm_lpae_restrict_cfg(cfg)),
      opt_(opt),
      g_(arm_lpae_geometry(cfg_)),
      granule_(g_.granule()),
      mem_(granule_, opt.phys_base, opt.max_table_pages) {
  // The stage-2 allocator accepts no ARM_HD quirk: DBM is a stage-1 feature here.
  if (opt.quirk_arm_hd && cfg_.format != Format::arm64_lpae_s1)
    throw std::invalid_argument("arm-lpae: IO_PGTABLE_QUIRK_ARM_HD is stage-1 only");
  for (int l = g_.start_level; l < ARM_LPAE_MAX_LEVELS; ++l) {
    lvl_shift_[l] = g_.lvl_shift(l);
    lvl_mask_[l] = (u64{1} << (l == g_.start_level ? g_.pgd_bits : g_.bits_per_level)) - 1;
  }
  for (unsigned s = 0; s < 64; ++s) leaf_lvl_[s] = static_cast<signed char>(g_.leaf_level(u64{1} << s));
  for (int p = 0; p < static_cast<int>(std::size(page_prot_)); ++p)
    if (p & (prot::read | prot::write))
      page_prot_[p] = arm_lpae_prot_to_pte(cfg_.format, p, opt_.quirk_arm_hd) | ARM_LPAE_PTE_TYPE_PAGE;
  iova_bad_bits_ = ~((u64{1} << cfg_.ias) - 1) | (granule_ - 1);
  paddr_bad_bits_ = ~((u64{1} << cfg_.oas) - 1) | (granule_ - 1);
  pgd_pa_ = mem_.alloc(g_.pgd_pages());
  if (!pgd_pa_) throw std::invalid_argument("arm-lpae: no table memory for the pgd");
}

// arm_lpae_map_pages(), looping over table batches as __iommu_map() calls it again for what
// one call left. Batches mapped before a failure stay mapped and are counted in *mapped (the
// kernel leaves their rollback to iommu_map()); the failing batch writes nothing, because
// arm_lpae_init_pte() checks every entry before setting any.
int ArmLpaePgtable::map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot,
                              u64* mapped) {
  if (pgcount == 1 && pgsize == granule_ && map_one_granule(iova, paddr, prot)) {
    if (mapped) *mapped = granule_;
    return 0;
  }
  return map_pages_general(iova, paddr, pgsize, pgcount, prot, mapped);
}

int ArmLpaePgtable::map_pages_general(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot,
                                      u64* mapped) {
  if (mapped) *mapped = 0;
  if (!is_pow2(pgsize) || (pgsize & cfg_.pgsize_bitmap) != pgsize) {
    warn("map_pages: pgsize " + hex(pgsize) + " not in pgsize_bitmap");
    return -err::einval;
  }
  // iommu_map()'s alignment check: an unaligned paddr would set RES0 bits in a block.
  if ((iova | paddr) & (pgsize - 1)) return -err::einval;
  if (!pgcount) return 0;
  // The kernel checks where the range starts; iommu_map() undoes batches mapped before a
  // later one fails the check, so the net effect is this check of the whole range.
  u64 bytes;
  if (__builtin_mul_overflow(pgsize, pgcount, &bytes) ||
      ((iova + bytes - 1) >> cfg_.ias) || ((paddr + bytes - 1) >> cfg_.oas) ||
      iova + bytes - 1 < iova || paddr + bytes - 1 < paddr) {
    warn("map_pages: iova " + hex(iova) + " / paddr " + hex(paddr) + " + " + hex(bytes) +
         " outside ias/oas");
    return -err::erange;
  }
  if (!(prot & (prot::read | prot::write))) return -err::einval;
  const int leaf_lvl = leaf_level(pgsize);
  if (leaf_lvl < 0) {  // a 4T block below the start level: no level can hold it
    warn("map_pages: no level maps " + hex(pgsize) + " pages");
    return -err::einval;
  }
  const u64 pte_prot = arm_lpae_prot_to_pte(cfg_.format, prot, opt_.quirk_arm_hd) |
                       (leaf_lvl == last_lvl ? ARM_LPAE_PTE_TYPE_PAGE : ARM_LPAE_PTE_TYPE_BLOCK);
  u64 done = 0;
  while (pgcount) {
    u64 n = 0;
    const int ret = map_batch(iova, paddr, pgsize, leaf_lvl, pgcount, pte_prot, &n);
    done += n * pgsize;
    if (mapped) *mapped = done;
    if (ret) return ret;
    iova += n * pgsize;
    paddr += n * pgsize;
    pgcount -= n;
  }
  return 0;
}

// The checks below for one aligned granule: the last byte shares the first one's bits above
// ias/oas, nothing can wrap, and an empty entry is the only one a map may fill.
bool ArmLpaePgtable::map_one_granule(u64 iova, u64 paddr, int prot) {
  if ((iova & iova_bad_bits_) || (paddr & paddr_bad_bits_) || static_cast<unsigned>(prot) >= std::size(page_prot_))
    return false;
  const u64 attrs = page_prot_[prot];
  const u64 tbl_pa = cached_leaf_table(iova, last_lvl);
  if (!attrs || !tbl_pa) return false;
  u64* ptep = table(tbl_pa) + lvl_idx(iova, last_lvl);
  if (*ptep) return false;
  *ptep = attrs | paddr_to_iopte(paddr);
  ++live(tbl_pa);
  return true;
}

// __arm_lpae_map() + arm_lpae_init_pte() for the entries of one table: walk down allocating
// tables (arm_lpae_install_table), then write up to the end of the leaf table.
int ArmLpaePgtable::map_batch(u64 iova, u64 paddr, u64 pgsize, int leaf_lvl, u64 pgcount,
                              u64 pte_prot, u64* batch) {
  PathEntry path[ARM_LPAE_MAX_LEVELS];
  u64 tbl_pa = cached_leaf_table(iova, leaf_lvl);
  const bool cached = tbl_pa;
  int lvl = cached ? leaf_lvl : g_.start_level;
  int err = 0;
  if (!cached) tbl_pa = pgd_pa_;
  for (;; ++lvl) {
    const unsigned idx = lvl_idx(iova, lvl);
    path[lvl] = {tbl_pa, idx};
    if (lvl == leaf_lvl) break;
    u64* ptep = table(tbl_pa) + idx;
    const u64 pte = *ptep;
    if (!pte) {
      const u64 cpa = mem_.alloc();
      if (!cpa) {
        err = -err::enomem;
        break;
      }
      *ptep = paddr_to_iopte(cpa) | ARM_LPAE_PTE_TYPE_TABLE;
      ++live(tbl_pa);
      tbl_pa = cpa;
    } else if (iopte_leaf(pte, lvl)) {
      warn("map_pages: iova " + hex(iova) + " lies in a live block (unmap first)");
      err = -err::eexist;
      break;
    } else {
      tbl_pa = deref(pte);
    }
  }
  if (!err && !cached) remember_leaf_table(iova, lvl, tbl_pa);

  if (!err) {
    const unsigned idx = path[lvl].idx;
    const u64 n = std::min<u64>(pgcount, g_.max_entries(idx, lvl));
    u64* ptep = table(tbl_pa) + idx;
    for (u64 i = 0; i < n && !err; ++i) {
      const u64 pte = ptep[i];
      if (!pte) continue;
      if (iopte_leaf(pte, lvl) || opt_.free_empty_tables) {
        // With empty tables freed, a table here still maps something: refuse it as well.
        warn("map_pages: iova " + hex(iova + i * pgsize) + " already mapped (unmap first)");
        err = -err::eexist;
      } else {
        // The kernel frees the old table, and anything it still maps, under the new block.
        ptep[i] = 0;
        --live(tbl_pa);
        if (tlb_) tlb_->tlb_flush_walk(iova + i * pgsize, pgsize, granule_);
        free_pgtable(deref(pte), lvl + 1);
      }
    }
    if (!err) {
      for (u64 i = 0; i < n; ++i) ptep[i] = pte_prot | paddr_to_iopte(paddr + i * pgsize);
      live(tbl_pa) += static_cast<u32>(n);
      *batch = n;
      return 0;
    }
  }
  // Tables this walk allocated are still empty: give them back.
  if (opt_.free_empty_tables) {
    if (cached) fill_path(iova, lvl, path);
    reclaim_path(path, lvl, iova, nullptr);
  }
  return err;
}

// arm_lpae_unmap_pages(), looping over table batches as __iommu_unmap() does; stops at the
// first hole, refused partial unmap or failed split, returning the bytes unmapped before it.
u64 ArmLpaePgtable::unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) {
  if (pgcount == 1 && pgsize == granule_ && unmap_one_granule(iova, gather)) return granule_;
  return unmap_pages_general(iova, pgsize, pgcount, gather);
}

u64 ArmLpaePgtable::unmap_pages_general(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) {
  if (!is_pow2(pgsize) || (pgsize & cfg_.pgsize_bitmap) != pgsize || !pgcount) {
    warn("unmap_pages: bad pgsize " + hex(pgsize) + " or pgcount 0");
    return 0;
  }
  if (iova >> cfg_.ias) {
    warn("unmap_pages: iova " + hex(iova) + " outside ias");
    return 0;
  }
  const int leaf_lvl = leaf_level(pgsize);
  if (leaf_lvl < 0 || (iova & (pgsize - 1))) {
    warn("unmap_pages: iova " + hex(iova) + " not aligned to a mappable " + hex(pgsize));
    return 0;
  }
  u64 total = 0;
  bool stop = false;
  while (pgcount && !stop && !(iova >> cfg_.ias)) {
    const u64 n = unmap_batch(iova, pgsize, leaf_lvl, pgcount, gather, &stop);
    total += n * pgsize;
    iova += n * pgsize;
    pgcount -= n;
  }
  return total;
}

// unmap_batch() for one aligned page whose table keeps other entries (so nothing is reclaimed).
bool ArmLpaePgtable::unmap_one_granule(u64 iova, IotlbGather* gather) {
  if (iova & iova_bad_bits_) return false;
  const u64 tbl_pa = cached_leaf_table(iova, last_lvl);
  if (!tbl_pa || (opt_.free_empty_tables && live(tbl_pa) == 1)) return false;
  u64* ptep = table(tbl_pa) + lvl_idx(iova, last_lvl);
  if (!iopte_leaf(*ptep, last_lvl)) return false;
  *ptep = 0;
  --live(tbl_pa);
  if (gather && !gather->queued) gather->add({iova, granule_, granule_, false});
  return true;
}

// __arm_lpae_unmap() for the entries of one table.
u64 ArmLpaePgtable::unmap_batch(u64 iova, u64 pgsize, int leaf_lvl, u64 pgcount,
                                IotlbGather* gather, bool* stop) {
  PathEntry path[ARM_LPAE_MAX_LEVELS];
  u64 tbl_pa = cached_leaf_table(iova, leaf_lvl);
  const bool cached = tbl_pa;
  int lvl = cached ? leaf_lvl : g_.start_level;
  if (!cached) tbl_pa = pgd_pa_;
  for (;; ++lvl) {
    const unsigned idx = lvl_idx(iova, lvl);
    path[lvl] = {tbl_pa, idx};
    u64* ptep = table(tbl_pa) + idx;
    const u64 pte = *ptep;
    if (!pte) {
      warn("unmap_pages: iova " + hex(iova) + " is not mapped");
      *stop = true;
      return 0;
    }
    if (lvl == leaf_lvl) break;
    if (!iopte_leaf(pte, lvl)) {
      tbl_pa = deref(pte);
      continue;
    }
    // A block larger than pgsize covers iova.
    if (cfg_.partial_unmap == PartialUnmap::refuse) {
      warn("Unmap of a partial large IOPTE is not allowed");
      *stop = true;
      return 0;
    }
    tbl_pa = split_blk(pte, lvl, ptep);
    if (!tbl_pa) {
      *stop = true;
      return 0;
    }
  }
  if (!cached) remember_leaf_table(iova, lvl, tbl_pa);

  u64* ptep = table(tbl_pa) + path[lvl].idx;
  const u64 n = std::min<u64>(pgcount, g_.max_entries(path[lvl].idx, lvl));
  u64 i = 0;
  for (; i < n; ++i) {
    const u64 pte = ptep[i];
    if (!pte) {
      warn("unmap_pages: iova " + hex(iova + i * pgsize) + " is not mapped");
      *stop = true;
      break;
    }
    ptep[i] = 0;
    if (iopte_leaf(pte, lvl)) {
      // io_pgtable_tlb_add_page(), unless a flush queue will invalidate everything later.
      if (gather && !gather->queued) gather->add({iova + i * pgsize, pgsize, pgsize, false});
    } else {
      // A table where a leaf of pgsize would be: it goes, with all it maps (tlb_flush_walk).
      free_pgtable(deref(pte), lvl + 1);
      if (gather) gather->add({iova + i * pgsize, pgsize, granule_, true});
    }
  }
  live(tbl_pa) -= static_cast<u32>(i);
  if (opt_.free_empty_tables && live(tbl_pa) == 0) {
    if (cached) fill_path(iova, lvl, path);
    reclaim_path(path, lvl, iova, gather);
  }
  return i;
}

// arm_lpae_split_blk_unmap() (Linux before 6.13): the block at ptep becomes a table of the
// next level's leaves with the same attributes; the caller then unmaps the part it wanted.
// Returns the new table, 0 when no memory is left (nothing unmapped).
u64 ArmLpaePgtable::split_blk(u64 blk_pte, int lvl, u64* ptep) {
  const u64 cpa = mem_.alloc();
  if (!cpa) return 0;
  const int clvl = lvl + 1;
  const u64 split_sz = g_.block_size(clvl);
  const u64 pte = (blk_pte & ARM_LPAE_PTE_ATTR_MASK) |
                  (clvl == last_lvl ? ARM_LPAE_PTE_TYPE_PAGE : ARM_LPAE_PTE_TYPE_BLOCK);
  const u64 blk_paddr = deref(blk_pte);
  u64* t = table(cpa);
  const unsigned ptes = g_.ptes_per_table();
  for (unsigned i = 0; i < ptes; ++i) t[i] = pte | paddr_to_iopte(blk_paddr + i * split_sz);
  live(cpa) = ptes;
  *ptep = paddr_to_iopte(cpa) | ARM_LPAE_PTE_TYPE_TABLE;  // arm_lpae_install_table
  return cpa;
}

// __arm_lpae_free_pgtable(): a table and every table below it.
void ArmLpaePgtable::free_pgtable(u64 table_pa, int lvl) {
  leaf_cache_ = {};
  if (lvl < last_lvl) {
    const u64* t = table(table_pa);
    const unsigned n = lvl == g_.start_level ? 1u << g_.pgd_bits : g_.ptes_per_table();
    for (unsigned i = 0; i < n; ++i)
      if (t[i] && !iopte_leaf(t[i], lvl)) free_pgtable(deref(t[i]), lvl + 1);
  }
  mem_.free(table_pa, lvl == g_.start_level ? g_.pgd_pages() : 1);
}

// Not in Linux: walking back up from level lvl, free each table left empty and clear its
// entry in the parent, invalidating walk caches for the range it covered.
void ArmLpaePgtable::reclaim_path(const PathEntry* path, int lvl, u64 iova,
                                  IotlbGather* gather) {
  for (; lvl > g_.start_level && live(path[lvl].table_pa) == 0; --lvl) {
    leaf_cache_ = {};
    const PathEntry& parent = path[lvl - 1];
    table(parent.table_pa)[parent.idx] = 0;
    --live(parent.table_pa);
    mem_.free(path[lvl].table_pa);
    const u64 span = g_.block_size(lvl - 1);
    if (gather) gather->add({iova & ~(span - 1), span, granule_, true});
  }
}

void ArmLpaePgtable::fill_path(u64 iova, int lvl, PathEntry* path) const {
  u64 tbl_pa = pgd_pa_;
  for (int l = g_.start_level; l < lvl; ++l) {
    path[l] = {tbl_pa, lvl_idx(iova, l)};
    tbl_pa = deref(table(tbl_pa)[path[l].idx]);
  }
}

u64* ArmLpaePgtable::find_leaf(u64 iova, int* lvl_out) const {
  if (iova >> cfg_.ias) return nullptr;  // beyond T0SZ: a translation fault, not an alias
  u64 tbl_pa = pgd_pa_;
  for (int lvl = g_.start_level; lvl < ARM_LPAE_MAX_LEVELS; ++lvl) {
    u64* ptep = table(tbl_pa) + lvl_idx(iova, lvl);
    const u64 pte = *ptep;
    if (!pte) return nullptr;
    if (iopte_leaf(pte, lvl)) {
      *lvl_out = lvl;
      return ptep;
    }
    tbl_pa = deref(pte);
  }
  return nullptr;
}

// arm_lpae_iova_to_phys().
u64 ArmLpaePgtable::iova_to_phys(u64 iova) const {
  int lvl;
  const u64* ptep = find_leaf(iova, &lvl);
  if (!ptep) return 0;
  return deref(*ptep) | (iova & (g_.block_size(lvl) - 1));
}

Translation ArmLpaePgtable::translate(u64 iova) const {
  int lvl;
  const u64* ptep = find_leaf(iova, &lvl);
  if (!ptep) return {};
  const u64 pte = *ptep;
  return {true, deref(pte) | (iova & (g_.block_size(lvl) - 1)), iopte_readable(cfg_.format, pte),
          iopte_writable(cfg_.format, pte)};
}

LpaePteWalk ArmLpaePgtable::pgtable_walk(u64 iova) const {
  LpaePteWalk w;
  if (iova >> cfg_.ias) return w;
  u64 tbl_pa = pgd_pa_;
  for (int lvl = g_.start_level; lvl < ARM_LPAE_MAX_LEVELS; ++lvl) {
    const u64 pte = table(tbl_pa)[lvl_idx(iova, lvl)];
    w.ptes[lvl] = pte;
    if (!pte) break;
    if (iopte_leaf(pte, lvl)) {
      w.leaf_lvl = lvl;
      break;
    }
    tbl_pa = deref(pte);
  }
  return w;
}

std::vector<Leaf> ArmLpaePgtable::leaves() const {
  std::vector<Leaf> out;
  collect_leaves(pgd_pa_, g_.start_level, 0, out);
  return out;
}

void ArmLpaePgtable::collect_leaves(u64 table_pa, int lvl, u64 base,
                                    std::vector<Leaf>& out) const {
  const u64* t = table(table_pa);
  const unsigned n = lvl == g_.start_level ? 1u << g_.pgd_bits : g_.ptes_per_table();
  for (unsigned i = 0; i < n; ++i) {
    const u64 pte = t[i];
    if (!pte) continue;
    const u64 va = base | (u64{i} << lvl_shift_[lvl]);
    if (iopte_leaf(pte, lvl))
      out.push_back({va, g_.block_size(lvl), deref(pte), iopte_to_prot(cfg_.format, pte)});
    else
      collect_leaves(deref(pte), lvl + 1, va, out);
  }
}

int ArmLpaePgtable::read_and_clear_dirty(u64 iova, u64 size, unsigned flags,
                                         const std::function<void(u64, u64)>& record) {
  if (!size || ((iova + size - 1) >> cfg_.ias) || iova + size - 1 < iova) {
    warn("read_and_clear_dirty: bad range");
    return -err::einval;
  }
  if (cfg_.format != Format::arm64_lpae_s1) return -err::einval;
  u64 addr = iova;
  return walk_dirty(pgd_pa_, g_.start_level, addr, iova + size, flags, record);
}

// __arm_lpae_iopte_walk() with visit_dirty(): addr advances by each leaf's size.
int ArmLpaePgtable::walk_dirty(u64 table_pa, int lvl, u64& addr, u64 end, unsigned flags,
                               const std::function<void(u64, u64)>& record) {
  u64* t = table(table_pa);
  const unsigned max = lvl == g_.start_level ? 1u << g_.pgd_bits : g_.ptes_per_table();
  for (unsigned idx = lvl_idx(addr, lvl);
       idx < max && addr < end; ++idx) {
    const u64 pte = t[idx];
    if (iopte_leaf(pte, lvl)) {
      const u64 size = g_.block_size(lvl);
      // iopte_writeable_dirty(): DBM set and AP[2] clear.
      if ((pte & ARM_LPAE_PTE_AP_WR_CLEAN_MASK) == ARM_LPAE_PTE_DBM) {
        record(addr, size);
        if (!(flags & iommu_dirty_no_clear)) t[idx] = pte | ARM_LPAE_PTE_AP_RDONLY;
      }
      addr += size;
      continue;
    }
    if (!iopte_table(pte, lvl)) return -err::einval;
    if (const int ret = walk_dirty(deref(pte), lvl + 1, addr, end, flags, record)) return ret;
  }
  return 0;
}

bool ArmLpaePgtable::device_write(u64 iova) {
  int lvl;
  u64* ptep = find_leaf(iova, &lvl);
  if (!ptep || !iopte_writable(cfg_.format, *ptep)) return false;
  if ((*ptep & ARM_LPAE_PTE_AP_WR_CLEAN_MASK) == ARM_LPAE_PTE_AP_WR_CLEAN_MASK)
    *ptep &= ~ARM_LPAE_PTE_AP_RDONLY;
  return true;
}

std::unique_ptr<PageTable> make_arm_lpae_pgtable(const PgtableCfg& cfg) {
  return std::make_unique<ArmLpaePgtable>(cfg);
}

}  // namespace iovet
