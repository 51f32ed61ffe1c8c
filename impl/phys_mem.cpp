#include "impl/phys_mem.h"

#include <sys/mman.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace iovet {
namespace {

// Arenas are recycled within a thread: mapping and first-touching fresh memory for every
// short-lived page table (one per replayed case) costs more than all its walks.
struct ArenaPool {
  std::vector<std::pair<void*, u64>> arenas;
  ~ArenaPool() {
    for (auto [p, size] : arenas) munmap(p, size);
  }
};
thread_local ArenaPool pool;
constexpr std::size_t kPooledArenas = 4;

void* take_arena(u64 capacity) {
  for (std::size_t i = 0; i < pool.arenas.size(); ++i)
    if (pool.arenas[i].second == capacity) {
      void* p = pool.arenas[i].first;
      pool.arenas.erase(pool.arenas.begin() + static_cast<std::ptrdiff_t>(i));
      return p;
    }
  // Reserve address space only; untouched pages read as zero and cost no memory.
  void* p = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Table walks jump around the arena: huge pages spare them host TLB misses.
  madvise(p, capacity, MADV_HUGEPAGE);
  return p;
}

void give_back_arena(void* p, u64 capacity) {
  if (pool.arenas.size() < kPooledArenas) pool.arenas.emplace_back(p, capacity);
  else munmap(p, capacity);
}

}  // namespace

PhysMem::PhysMem(u64 page_size, u64 base, u64 max_pages)
    : page_size_(page_size),
      page_shift_(ilog2(page_size)),
      base_(base),
      max_pages_(max_pages),
      capacity_(max_pages ? max_pages * page_size : default_capacity) {
  if (page_size != 4096 && page_size != 16384 && page_size != 65536)
    throw std::invalid_argument("PhysMem: page size must be 4K, 16K or 64K");
  // Offsets are aligned to the allocation size; a 1 MiB aligned base keeps every pgd (at most
  // sixteen 16K pages) aligned in physical terms too.
  if (base & ((u64{1} << 20) - 1)) throw std::invalid_argument("PhysMem: base not 1 MiB aligned");
  arena_ = static_cast<u64*>(take_arena(capacity_));
  bias_ = reinterpret_cast<std::uintptr_t>(arena_) - base_;
}

PhysMem::~PhysMem() {
  std::memset(arena_, 0, bump_);  // the next owner expects untouched pages to read as zero
  give_back_arena(arena_, capacity_);
}

u64 PhysMem::alloc(u64 npages) {
  if (max_pages_ && in_use_ + npages > max_pages_) return 0;
  u64 pa;
  if (npages == 1 && !free_list_.empty()) {
    pa = free_list_.back();
    free_list_.pop_back();
    std::memset(ptr(pa), 0, page_size_);  // __GFP_ZERO: freed pages may hold old descriptors
  } else {
    const u64 bytes = npages * page_size_;
    const u64 off = (bump_ + bytes - 1) & ~(bytes - 1);
    if (off + bytes > capacity_) return 0;
    // Pages skipped to align this allocation go to the free list (lowest on top), so nothing
    // leaks.
    for (u64 skip = off; skip > bump_;) free_list_.push_back(base_ + (skip -= page_size_));
    bump_ = off + bytes;  // bump pages are handed out once, still zero from mmap
    private_.resize(bump_ >> page_shift_, 0);
    pa = base_ + off;
  }
  for (u64 i = 0; i < npages; ++i) page_private(pa + i * page_size_) = 0;
  in_use_ += npages;
  if (in_use_ > peak_) peak_ = in_use_;
  return pa;
}

void PhysMem::free(u64 pa, u64 npages) {
  for (u64 i = npages; i-- > 0;) free_list_.push_back(pa + i * page_size_);
  in_use_ -= npages;
}

}  // namespace iovet
