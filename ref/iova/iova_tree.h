// The rbtree of struct iova nodes that drivers/iommu/iova.c keeps per iova_domain, as an ordered
// map keyed by pfn_lo: in-order neighbours (rb_prev/rb_next), lookups and the reserve_iova()
// merge walk give the same results as the kernel's tree. Shared by every IOVA model.
#pragma once
#include <map>
#include <vector>

#include "spec/unit/iova_allocator.h"

namespace iovet {

// struct iova, plus what the kernel does not record but the spec's views need: whether the node
// came from reserve_iova(). Node addresses stay stable for the node's lifetime (cached32_node and
// friends point at them), also when reserve_iova() lowers pfn_lo.
struct IovaNode {
  u64 pfn_lo = 0;
  u64 pfn_hi = 0;
  bool reserved = false;
  IovaRange range() const { return {pfn_lo, pfn_hi}; }
};

class IovaTree {
 public:
  // iova_insert_rbtree(): nullptr when a node with this pfn_lo exists (the kernel's WARN_ON /
  // BUG() path: the callers decide which).
  IovaNode* insert(u64 pfn_lo, u64 pfn_hi, bool reserved);
  void erase(IovaNode* n);
  // private_find_iova(): the node whose range contains pfn.
  IovaNode* find(u64 pfn);
  const IovaNode* find(u64 pfn) const;
  IovaNode* prev(const IovaNode* n);  // rb_prev(), nullptr at the first node
  IovaNode* next(const IovaNode* n);  // rb_next(), nullptr at the last node
  IovaNode* first();                  // rb_first()
  IovaNode* last();                   // rb_last()
  // The lowest node with pfn_hi >= pfn (nullptr when none).
  IovaNode* lowest_reaching(u64 pfn);

  // reserve_iova()'s walk: in order from rb_first, each overlapping node is extended down to the
  // request (__adjust_overlap_range) and the request continues above it; whatever remains is
  // inserted as a new reserved node. Returns the node the kernel returns.
  IovaNode* reserve(u64 pfn_lo, u64 pfn_hi);

  // In-order ranges of the nodes matching `reserved`, skipping nodes for which skip() is true.
  template <class Skip>
  std::vector<IovaRange> ranges(bool reserved, Skip skip) const {
    std::vector<IovaRange> out;
    for (const auto& [lo, n] : nodes_)
      if (n.reserved == reserved && !skip(n)) out.push_back(n.range());
    return out;
  }

 private:
  void rekey(IovaNode* n, u64 new_lo);
  std::map<u64, IovaNode> nodes_;  // key == node.pfn_lo
};

}  // namespace iovet
