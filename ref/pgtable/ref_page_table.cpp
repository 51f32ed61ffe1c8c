#include "ref/pgtable/ref_page_table.h"

namespace iovet {

std::unique_ptr<PageTable> make_ref_page_table(const PgtableCfg& cfg) {
  return std::make_unique<RefPageTable>(cfg);
}

static u64 mask_bits(unsigned bits) { return bits >= 64 ? ~u64{0} : (u64{1} << bits) - 1; }

const Leaf* RefPageTable::find(u64 iova) const {
  auto it = leaves_.upper_bound(iova);
  if (it == leaves_.begin()) return nullptr;
  --it;
  return iova - it->second.iova < it->second.size ? &it->second : nullptr;
}

// arm_lpae_map_pages(): same argument checks; maps page by page and reports what it mapped.
int RefPageTable::map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) {
  *mapped = 0;
  if (!(pgsize & cfg_.pgsize_bitmap) || !is_pow2(pgsize) || ((iova | paddr) & (pgsize - 1)))
    return -err::einval;
  if (!(prot & (prot::read | prot::write))) return 0;  // no access: nothing to do
  const u64 last = iova + pgsize * pgcount - 1;
  if ((last & ~mask_bits(cfg_.ias)) || last < iova || ((paddr + pgsize * pgcount - 1) & ~mask_bits(cfg_.oas)))
    return -err::erange;
  for (u64 i = 0; i < pgcount; ++i) {
    const u64 va = iova + i * pgsize;
    auto it = leaves_.lower_bound(va);
    if ((it != leaves_.end() && it->first <= va + pgsize - 1) || find(va)) return -err::eexist;
    leaves_.emplace(va, Leaf{va, pgsize, paddr + i * pgsize, prot});
    *mapped += pgsize;
  }
  return 0;
}

// __arm_lpae_unmap() for one page: a leaf of that size goes; a bigger block is refused or
// split (cfg.partial_unmap); smaller leaves inside the range go together as a table would.
u64 RefPageTable::unmap_one(u64 iova, u64 pgsize, IotlbGather* gather) {
  if (const Leaf* l = find(iova); l && l->size > pgsize) {
    if (cfg_.partial_unmap == PartialUnmap::refuse) return 0;
    const Leaf block = *l;
    leaves_.erase(block.iova);
    for (u64 va = block.iova; va < block.iova + block.size; va += pgsize)
      if (va != iova) leaves_.emplace(va, Leaf{va, pgsize, block.phys + (va - block.iova), block.prot});
    if (gather) gather->add({iova, pgsize, pgsize, false});
    return pgsize;
  }
  auto it = leaves_.lower_bound(iova);
  if (it == leaves_.end() || it->first > iova + pgsize - 1) return 0;
  bool any = false;
  while (it != leaves_.end() && it->first <= iova + pgsize - 1) {
    if (gather) gather->add({it->first, it->second.size, it->second.size, false});
    it = leaves_.erase(it);
    any = true;
  }
  return any ? pgsize : 0;
}

u64 RefPageTable::unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) {
  if (!(pgsize & cfg_.pgsize_bitmap) || !is_pow2(pgsize) || (iova & (pgsize - 1)) || !pgcount) return 0;
  if ((iova + pgsize * pgcount - 1) & ~mask_bits(cfg_.ias)) return 0;
  u64 done = 0;
  for (u64 i = 0; i < pgcount; ++i) {
    const u64 n = unmap_one(iova + i * pgsize, pgsize, gather);
    if (!n) break;
    done += n;
  }
  return done;
}

u64 RefPageTable::iova_to_phys(u64 iova) const {
  const Leaf* l = find(iova);
  return l ? l->phys + (iova - l->iova) : 0;
}

Translation RefPageTable::translate(u64 iova) const {
  const Leaf* l = find(iova);
  if (!l) return {};
  return {true, l->phys + (iova - l->iova), (l->prot & prot::read) != 0, (l->prot & prot::write) != 0};
}

std::vector<Leaf> RefPageTable::leaves() const {
  std::vector<Leaf> out;
  out.reserve(leaves_.size());
  for (const auto& [va, l] : leaves_) out.push_back(l);
  return out;
}

}  // namespace iovet
