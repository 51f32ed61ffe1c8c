// Simulated physical memory for io-pgtable table pages: granule-sized pages at real physical
// addresses, so tables link to each other by physical address exactly as the hardware walker
// (and a walker model) follows them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spec/types.h"

namespace iovet {

class PhysMem {
 public:
  static constexpr u64 default_base = 0x8000'0000;

  // Table memory one PhysMem can hold when no limit is given: address space only, pages
  // become real memory when first touched.
  static constexpr u64 default_capacity = u64{4} << 30;

  // page_size: 4K, 16K or 64K. max_pages: alloc() fails beyond it (0: default_capacity), which
  // is how GFP_ATOMIC failure (-ENOMEM) is modelled.
  explicit PhysMem(u64 page_size, u64 base = default_base, u64 max_pages = 0);
  ~PhysMem();
  PhysMem(const PhysMem&) = delete;
  PhysMem& operator=(const PhysMem&) = delete;

  // alloc_pages_exact(): npages contiguous zeroed pages aligned to their total size (a
  // concatenated stage-2 pgd must be aligned to its size). Returns the physical address, 0 when
  // the limit is reached. Single pages come from the free list first (LIFO, deterministic).
  u64 alloc(u64 npages = 1);
  void free(u64 pa, u64 npages = 1);

  // Descriptor access by physical address: one flat arena indexed by (pa - base) >> 3, which
  // never moves, so a walk costs one load per level.
  u64* ptr(u64 pa) const { return reinterpret_cast<u64*>(bias_ + pa); }
  u64 read(u64 pa) const { return *ptr(pa); }
  void write(u64 pa, u64 v) const { *ptr(pa) = v; }
  bool contains(u64 pa) const { return pa >= base_ && pa < base_ + bump_; }

  // struct page's private word for each page: the page table keeps its live-entry counts there.
  u32& page_private(u64 pa) { return private_[(pa - base_) >> page_shift_]; }
  u32 page_private(u64 pa) const { return private_[(pa - base_) >> page_shift_]; }

  u64 page_size() const { return page_size_; }
  u64 base() const { return base_; }
  u64 pages_in_use() const { return in_use_; }
  u64 peak_pages() const { return peak_; }

 private:
  u64 page_size_;
  unsigned page_shift_;
  u64 base_;
  u64 max_pages_;
  u64 bump_ = 0;  // bytes handed out from the top of the region so far
  u64 in_use_ = 0;
  u64 peak_ = 0;
  u64 capacity_;  // bytes reserved for the arena
  u64* arena_;
  std::uintptr_t bias_;  // arena_ - base_: turns a physical address into a pointer in one add
  std::vector<u64> free_list_;
  std::vector<u32> private_;
};

}  // namespace iovet
