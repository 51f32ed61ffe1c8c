// The physical memory kernel code under test allocates from (page tables, dma_alloc buffers):
// one region at a fixed address below 2^32, so page addresses fit any oas and are the same
// on every run of a case. Naturally aligned blocks; emptied whenever nothing is allocated, so
// each case starts from the same state.
#pragma once
#include <cstddef>
#include <cstdint>

namespace iovet {

class PagePool {
 public:
  static PagePool& get();
  // A zeroed block of 2^order pages of 2^page_shift bytes, aligned to its size; nullptr when
  // the region is exhausted.
  void* alloc(unsigned page_shift, unsigned order);
  void free(void* addr, unsigned page_shift, unsigned order);
  std::size_t bytes_in_use() const { return in_use_; }
  // The region, whose addresses are both process and physical addresses (a device model reads
  // the kernel objects there).
  std::uintptr_t base() const { return reinterpret_cast<std::uintptr_t>(base_); }
  std::size_t size() const { return static_cast<std::size_t>(end_ - base_); }

 private:
  PagePool();
  struct Block {
    Block* next;
  };
  static constexpr unsigned kMaxLog2 = 40;
  Block* free_[kMaxLog2] = {};  // by block size's log2
  char* base_ = nullptr;
  char* bump_ = nullptr;
  char* end_ = nullptr;
  std::size_t in_use_ = 0;
};

}  // namespace iovet
