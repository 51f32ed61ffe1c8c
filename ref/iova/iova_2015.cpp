#include "ref/iova/iova_2015.h"

#include "ref/iova/bitops.h"
#include "ref/iova/iova_tree.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet {
namespace {

// iova_get_pad_size() of v4.3+: how far below limit_pfn + 1 - size the start must move to be
// aligned to __roundup_pow_of_two(size). Its parameters and result are `unsigned int`, so the
// size is truncated to 32 bits (sizes of 2^32 pfns and more lose their alignment).
u32 iova_get_pad_size(u32 size, u32 limit_pfn) {
  const u64 pow = kernel::shl_arm64(1, kernel::fls_long(u64{size} - 1));  // __roundup_pow_of_two
  return static_cast<u32>(u64{static_cast<u32>(limit_pfn + 1 - size)} & (pow - 1));
}

class Iova2015 final : public IovaAllocator {
 public:
  Iova2015(u64 granule, u64 start_pfn, u64 pfn_32bit)
      : granule_(granule), start_pfn_(start_pfn), dma_32bit_pfn_(pfn_32bit) {}

  u64 granule() const override { return granule_; }
  u64 start_pfn() const override { return start_pfn_; }

  // alloc_iova(): since v4.3 the size is no longer rounded up, only the start is aligned.
  std::optional<IovaRange> alloc(u64 size, u64 limit_pfn, bool size_aligned) override {
    return alloc_and_insert_iova_range(size, limit_pfn, size_aligned);
  }

  // No rcache before v4.7: the DMA layer's fast paths are plain alloc_iova()/free_iova().
  u64 alloc_fast(u64 size, u64 limit_pfn, bool /*flush_rcache*/) override {
    auto r = alloc(size, limit_pfn, true);
    return r ? r->pfn_lo : 0;
  }

  std::optional<IovaRange> find(u64 pfn) const override {
    const IovaNode* n = tree_.find(pfn);
    if (!n) return std::nullopt;
    return n->range();
  }

  // free_iova(): find_iova() + __free_iova().
  void free(u64 pfn) override {
    if (IovaNode* n = tree_.find(pfn)) {
      cached_rbnode_delete_update(n);
      tree_.erase(n);
    }
  }
  void free_fast(u64 pfn, u64 /*size*/) override { free(pfn); }

  // reserve_iova(): no sanity check on the pfns yet.
  bool reserve(u64 pfn_lo, u64 pfn_hi) override { return tree_.reserve(pfn_lo, pfn_hi); }

  std::vector<IovaRange> allocated() const override {
    return tree_.ranges(false, [](const IovaNode&) { return false; });
  }
  std::vector<IovaRange> reserved() const override {
    return tree_.ranges(true, [](const IovaNode&) { return false; });
  }
  std::vector<IovaRange> cached() const override { return {}; }

 private:
  // __cached_rbnode_delete_update(): freeing at or above cached32_node moves it to the next
  // node if that one starts below dma_32bit_pfn, else forgets it.
  void cached_rbnode_delete_update(const IovaNode* free) {
    if (!cached32_node_) return;
    if (free->pfn_lo >= cached32_node_->pfn_lo) {
      IovaNode* next = tree_.next(free);
      cached32_node_ = next && next->pfn_lo < dma_32bit_pfn_ ? next : nullptr;
    }
  }

  // __alloc_and_insert_iova_range() of v4.3/v4.4. limit_pfn is inclusive. The walk goes down
  // from rb_last(), or, when limit_pfn == dma_32bit_pfn, from just below cached32_node (the
  // space above it is never looked at). Quirks kept: an exact fit at the very bottom
  // (start_pfn + size + pad == limit_pfn + 1) is refused; a node starting at pfn 0 makes
  // `pfn_lo - 1` wrap, after which the range is placed at the top of the 64-bit space.
  std::optional<IovaRange> alloc_and_insert_iova_range(u64 size, u64 limit_pfn,
                                                       bool size_aligned) {
    const u64 saved_pfn = limit_pfn;
    IovaNode* curr;  // __get_cached_rbnode()
    if (limit_pfn != dma_32bit_pfn_ || !cached32_node_) {
      curr = tree_.last();
    } else {
      curr = tree_.prev(cached32_node_);
      limit_pfn = cached32_node_->pfn_lo - 1;
    }
    u64 pad_size = 0;  // unsigned int in the kernel; iova_get_pad_size() keeps it in range
    for (; curr; curr = tree_.prev(curr)) {
      if (limit_pfn < curr->pfn_lo) continue;  // move_left
      if (limit_pfn >= curr->pfn_hi) {
        if (size_aligned) pad_size = iova_get_pad_size(static_cast<u32>(size), static_cast<u32>(limit_pfn));
        if (curr->pfn_hi + size + pad_size <= limit_pfn) break;  // found a free slot
      }
      limit_pfn = curr->pfn_lo - 1;  // adjust_limit_pfn
    }
    if (!curr) {
      if (size_aligned) pad_size = iova_get_pad_size(static_cast<u32>(size), static_cast<u32>(limit_pfn));
      if (start_pfn_ + size + pad_size > limit_pfn) return std::nullopt;
    }

    const u64 pfn_lo = limit_pfn - (size + pad_size) + 1;
    IovaNode* n = tree_.insert(pfn_lo, pfn_lo + size - 1, false);
    if (!n) throw KernelBug("__alloc_and_insert_iova_range: pfn_lo " + hex(pfn_lo) + " already in the rbtree");
    // __cached_rbnode_insert_update()
    if (saved_pfn == dma_32bit_pfn_) cached32_node_ = n;
    return n->range();
  }

  u64 granule_;
  u64 start_pfn_;
  u64 dma_32bit_pfn_;
  IovaTree tree_;
  IovaNode* cached32_node_ = nullptr;
};

}  // namespace

std::unique_ptr<IovaAllocator> make_iova_2015(u64 granule, u64 start_pfn, u64 end_pfn) {
  return std::make_unique<Iova2015>(granule, start_pfn, end_pfn);
}

}  // namespace iovet
