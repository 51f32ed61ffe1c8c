// The page allocator of the simulated kernel: physical addresses only, no contents.
// Blocks are naturally aligned (alloc_pages of an order) and deliberately not adjacent,
// so a buffer made of several allocations is physically discontiguous.
#pragma once
#include <map>
#include <vector>

#include "spec/types.h"

namespace iovet {

class PhysPages {
 public:
  explicit PhysPages(u64 page_size, u64 base = u64{1} << 32);
  u64 page_size() const { return page_size_; }
  // alloc_pages(order): the physical address of 2^order contiguous pages.
  u64 alloc(unsigned order);
  void free(u64 phys, unsigned order);
  std::size_t pages_in_use() const { return in_use_; }

 private:
  u64 page_size_;
  u64 next_;
  std::size_t in_use_ = 0;
  std::map<unsigned, std::vector<u64>> free_;  // per order, reused last-in first-out
};

}  // namespace iovet
