#include "kernel/page_pool.h"

#include <cstring>
#include <stdexcept>
#include <sys/mman.h>

namespace iovet {
namespace {
// Below ASan's shadow (0x7fff8000) and clear of where PIE binaries, the heap and libraries go.
constexpr std::uintptr_t kBase = 0x20000000;
constexpr std::size_t kSize = std::size_t{1} << 30;
}  // namespace

PagePool::PagePool() {
  void* p = mmap(reinterpret_cast<void*>(kBase), kSize, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || p != reinterpret_cast<void*>(kBase))
    throw std::runtime_error("cannot map the kernel page pool at 0x20000000");
  base_ = bump_ = static_cast<char*>(p);
  end_ = base_ + kSize;
}

PagePool& PagePool::get() {
  static PagePool pool;
  return pool;
}

void* PagePool::alloc(unsigned page_shift, unsigned order) {
  const unsigned lg = page_shift + order;
  if (lg >= kMaxLog2) return nullptr;
  const std::size_t size = std::size_t{1} << lg;
  void* out = nullptr;
  if (Block* b = free_[lg]) {
    free_[lg] = b->next;
    out = b;
  } else {
    char* p = base_ + ((bump_ - base_ + size - 1) & ~(size - 1));
    if (p + size > end_) return nullptr;
    bump_ = p + size;
    out = p;
  }
  std::memset(out, 0, size);
  in_use_ += size;
  return out;
}

void PagePool::free(void* addr, unsigned page_shift, unsigned order) {
  const unsigned lg = page_shift + order;
  auto* b = static_cast<Block*>(addr);
  b->next = free_[lg];
  free_[lg] = b;
  in_use_ -= std::size_t{1} << lg;
  if (in_use_ == 0) {
    // Nothing live: start again from the bottom, giving big spans back to the system.
    if (bump_ - base_ > (64 << 20)) madvise(base_, bump_ - base_, MADV_DONTNEED);
    std::memset(free_, 0, sizeof free_);
    bump_ = base_;
  }
}

}  // namespace iovet
