#include "ref/env/phys_pages.h"

namespace iovet {

PhysPages::PhysPages(u64 page_size, u64 base) : page_size_(page_size), next_(base) {}

u64 PhysPages::alloc(unsigned order) {
  in_use_ += std::size_t{1} << order;
  auto& list = free_[order];
  if (!list.empty()) {
    u64 p = list.back();
    list.pop_back();
    return p;
  }
  const u64 bytes = page_size_ << order;
  next_ = (next_ + bytes - 1) & ~(bytes - 1);
  u64 p = next_;
  next_ += 2 * bytes;  // leave a hole: consecutive blocks are never adjacent
  return p;
}

void PhysPages::free(u64 phys, unsigned order) {
  in_use_ -= std::size_t{1} << order;
  free_[order].push_back(phys);
}

}  // namespace iovet
