#include "ref/iova/iova_tree.h"

#include <iterator>

namespace iovet {

IovaNode* IovaTree::insert(u64 pfn_lo, u64 pfn_hi, bool reserved) {
  auto [it, fresh] = nodes_.try_emplace(pfn_lo, IovaNode{pfn_lo, pfn_hi, reserved});
  return fresh ? &it->second : nullptr;
}

void IovaTree::erase(IovaNode* n) { nodes_.erase(n->pfn_lo); }

IovaNode* IovaTree::find(u64 pfn) {
  return const_cast<IovaNode*>(static_cast<const IovaTree*>(this)->find(pfn));
}

const IovaNode* IovaTree::find(u64 pfn) const {
  auto it = nodes_.upper_bound(pfn);
  if (it == nodes_.begin()) return nullptr;
  --it;
  return pfn <= it->second.pfn_hi ? &it->second : nullptr;
}

IovaNode* IovaTree::prev(const IovaNode* n) {
  auto it = nodes_.find(n->pfn_lo);
  return it == nodes_.begin() ? nullptr : &std::prev(it)->second;
}

IovaNode* IovaTree::next(const IovaNode* n) {
  auto it = std::next(nodes_.find(n->pfn_lo));
  return it == nodes_.end() ? nullptr : &it->second;
}

IovaNode* IovaTree::first() { return nodes_.empty() ? nullptr : &nodes_.begin()->second; }
IovaNode* IovaTree::last() { return nodes_.empty() ? nullptr : &nodes_.rbegin()->second; }

IovaNode* IovaTree::lowest_reaching(u64 pfn) {
  // Nodes never overlap, so only the node just below the first one starting at or above pfn
  // can reach pfn.
  auto it = nodes_.lower_bound(pfn);
  if (it != nodes_.begin() && std::prev(it)->second.pfn_hi >= pfn) --it;
  return it == nodes_.end() ? nullptr : &it->second;
}

void IovaTree::rekey(IovaNode* n, u64 new_lo) {
  // Moving the map element keeps its address, so pointers held as cached nodes stay valid.
  auto h = nodes_.extract(n->pfn_lo);
  h.key() = new_lo;
  h.mapped().pfn_lo = new_lo;
  nodes_.insert(std::move(h));
}

IovaNode* IovaTree::reserve(u64 pfn_lo, u64 pfn_hi) {
  bool overlap = false;
  for (IovaNode* n = first(); n; n = next(n)) {
    if (pfn_lo <= n->pfn_hi && pfn_hi >= n->pfn_lo) {
      // __adjust_overlap_range(): the node grows down to the request; the rest of the request
      // lies above the node.
      if (pfn_lo < n->pfn_lo) rekey(n, pfn_lo);
      if (pfn_hi > n->pfn_hi) pfn_lo = n->pfn_hi + 1;
      if (pfn_lo >= n->pfn_lo && pfn_hi <= n->pfn_hi) return n;
      overlap = true;
    } else if (overlap) {
      break;
    }
  }
  // __insert_new_range()
  return insert(pfn_lo, pfn_hi, true);
}

}  // namespace iovet
