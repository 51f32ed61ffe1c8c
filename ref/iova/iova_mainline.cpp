#include "ref/iova/iova_mainline.h"

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "ref/iova/bitops.h"
#include "ref/iova/iova_tree.h"

namespace iovet {
namespace {

using kernel::fls_long;
using kernel::order_base_2;

constexpr u64 IOVA_ANCHOR = ~u64{0};  // the anchor node sits above the usable space
constexpr unsigned IOVA_RANGE_CACHE_MAX_SIZE = 6;  // log of the largest cached range, in pfns
constexpr size_t IOVA_MAG_SIZE = 127;  // makes struct iova_magazine 1024 bytes

// struct iova_magazine: a stack of cached pfn_lo values in a fixed array.
struct IovaMagazine {
  size_t size = 0;
  std::array<u64, IOVA_MAG_SIZE> pfns;

  bool full() const { return size == IOVA_MAG_SIZE; }   // iova_magazine_full()
  bool empty() const { return size == 0; }              // iova_magazine_empty()
  void push(u64 pfn) { pfns[size++] = pfn; }            // iova_magazine_push()
  std::span<const u64> stack() const { return {pfns.data(), size}; }
};

// Magazines change hands by pointer, as the kernel swaps loaded and prev.
using IovaMagazinePtr = std::unique_ptr<IovaMagazine>;
IovaMagazinePtr iova_magazine_alloc() { return std::make_unique<IovaMagazine>(); }

// struct iova_cpu_rcache: each CPU's two magazines.
struct IovaCpuRcache {
  IovaMagazinePtr loaded = iova_magazine_alloc();  // iova_domain_init_rcaches()
  IovaMagazinePtr prev = iova_magazine_alloc();
};

// struct iova_rcache. The depot is the kernel's singly linked list of full magazines, shared by
// the CPUs: last in, first out. Its trimming by iova_depot_work_func() runs 100 ms after a push
// (IOVA_DEPOT_DELAY); a replay takes no time, so it never runs here.
struct IovaRcache {
  std::array<IovaCpuRcache, kIovaCpus> cpu;
  std::vector<IovaMagazinePtr> depot;
};

class IovaMainline final : public IovaAllocator {
 public:
  IovaMainline(u64 granule, u64 start_pfn)
      : granule_(granule),
        start_pfn_(start_pfn),
        dma_32bit_pfn_(u64{1} << (32 - ilog2(granule))),
        max32_alloc_size_(dma_32bit_pfn_) {
    anchor_ = tree_.insert(IOVA_ANCHOR, IOVA_ANCHOR, false);
    cached_node_ = cached32_node_ = anchor_;
  }

  u64 granule() const override { return granule_; }
  u64 start_pfn() const override { return start_pfn_; }

  // alloc_iova(): the walk takes an exclusive limit.
  std::optional<IovaRange> alloc(u64 size, u64 limit_pfn, bool size_aligned) override {
    return alloc_and_insert_iova_range(size, limit_pfn + 1, size_aligned);
  }

  // alloc_iova_fast()
  u64 alloc_fast(u64 size, u64 limit_pfn, bool flush_rcache) override {
    // Cacheable sizes are rounded up so that a range freed into the rcache always fits the
    // next user of its order.
    if (size < (u64{1} << (IOVA_RANGE_CACHE_MAX_SIZE - 1))) size = roundup_pow_of_two(size);
    if (u64 pfn = iova_rcache_get(size, limit_pfn + 1)) return pfn;
    return alloc_or_flush_rcaches(size, limit_pfn, flush_rcache);
  }

  std::optional<IovaRange> find(u64 pfn) const override {
    const IovaNode* n = tree_.find(pfn);
    if (!n || n == anchor_) return std::nullopt;
    return n->range();
  }

  // free_iova(); out of line so that free_fast()'s rcache path does not pay for the tree's
  // registers.
  [[gnu::noinline]] void free(u64 pfn) override {
    IovaNode* n = tree_.find(pfn);
    if (n && n != anchor_) remove_iova(n);
  }

  // free_iova_fast()
  void free_fast(u64 pfn, u64 size) override {
    if (!iova_rcache_insert(pfn, size)) free(pfn);
  }

  void set_cpu(unsigned cpu) override { cpu_ = cpu; }

  // reserve_iova()
  bool reserve(u64 pfn_lo, u64 pfn_hi) override {
    // Don't allow nonsensical pfns (the kernel WARNs and returns NULL).
    if ((pfn_hi | pfn_lo) > (~u64{0} >> ilog2(granule_))) return false;
    return tree_.reserve(pfn_lo, pfn_hi) != nullptr;
  }

  std::vector<IovaRange> allocated() const override {
    std::set<u64> in_cache;
    for (const IovaRange& r : cached()) in_cache.insert(r.pfn_lo);
    return tree_.ranges(false, [&](const IovaNode& n) {
      return &n == anchor_ || in_cache.count(n.pfn_lo) > 0;
    });
  }
  std::vector<IovaRange> reserved() const override {
    return tree_.ranges(true, [](const IovaNode&) { return false; });
  }
  std::vector<IovaRange> cached() const override {
    std::vector<IovaRange> out;
    auto add = [&](const IovaMagazine& mag) {
      for (u64 pfn : mag.stack())
        if (const IovaNode* n = tree_.find(pfn)) out.push_back(n->range());
    };
    for (const IovaRcache& rc : rcaches_) {
      for (const IovaCpuRcache& c : rc.cpu) {
        add(*c.loaded);
        add(*c.prev);
      }
      for (const IovaMagazinePtr& mag : rc.depot) add(*mag);
    }
    return out;
  }

 private:
  // __get_cached_rbnode()
  IovaNode* get_cached_rbnode(u64 limit_pfn) const {
    return limit_pfn <= dma_32bit_pfn_ ? cached32_node_ : cached_node_;
  }

  // __cached_rbnode_insert_update()
  void cached_rbnode_insert_update(IovaNode* n) {
    if (n->pfn_hi < dma_32bit_pfn_)
      cached32_node_ = n;
    else
      cached_node_ = n;
  }

  // __cached_rbnode_delete_update(): called before `free` leaves the tree.
  void cached_rbnode_delete_update(IovaNode* free) {
    if (free == cached32_node_ ||
        (free->pfn_hi < dma_32bit_pfn_ && free->pfn_lo >= cached32_node_->pfn_lo))
      cached32_node_ = tree_.next(free);
    if (free->pfn_lo < dma_32bit_pfn_) max32_alloc_size_ = dma_32bit_pfn_;
    if (free->pfn_lo >= cached_node_->pfn_lo) cached_node_ = tree_.next(free);
  }

  // iova_find_limit(): where the retry walk starts. Above the 32-bit boundary the kernel just
  // takes the anchor; below it, the lowest node reaching limit_pfn. (When limit_pfn falls inside
  // a node the kernel may return that node or the one above it depending on the tree's shape;
  // both walks reach the same result.)
  IovaNode* iova_find_limit(u64 limit_pfn) {
    if (limit_pfn > dma_32bit_pfn_) return anchor_;
    return tree_.lowest_reaching(limit_pfn);
  }

  // __alloc_and_insert_iova_range(): top-down first fit below limit_pfn (exclusive), starting
  // at the cached node; if that finds nothing, once more from the limit down to the cached
  // node ("retry"). A failure records the size in max32_alloc_size, which then fails every
  // request at least that large with a limit within 32 bits until something below
  // dma_32bit_pfn is freed.
  std::optional<IovaRange> alloc_and_insert_iova_range(u64 size, u64 limit_pfn,
                                                       bool size_aligned) {
    u64 align_mask = ~u64{0};
    if (size_aligned) align_mask = kernel::shl_arm64(align_mask, fls_long(size - 1));
    u64 high_pfn = limit_pfn, low_pfn = start_pfn_;

    if (limit_pfn <= dma_32bit_pfn_ && size >= max32_alloc_size_) return std::nullopt;

    IovaNode* curr = get_cached_rbnode(limit_pfn);
    const u64 retry_pfn = curr->pfn_hi;
    u64 new_pfn = 0;
    for (;;) {
      do {
        high_pfn = std::min(high_pfn, curr->pfn_lo);
        new_pfn = (high_pfn - size) & align_mask;
        curr = tree_.prev(curr);
      } while (curr && new_pfn <= curr->pfn_hi && new_pfn >= low_pfn);

      if (high_pfn >= size && new_pfn >= low_pfn) break;
      if (low_pfn == start_pfn_ && retry_pfn < limit_pfn) {
        high_pfn = limit_pfn;
        low_pfn = retry_pfn + 1;
        curr = iova_find_limit(limit_pfn);
        continue;
      }
      max32_alloc_size_ = size;
      return std::nullopt;
    }

    // iova_insert_rbtree() WARNs and leaves the tree alone on a duplicate pfn_lo (only a
    // zero size gets there); alloc_iova() still hands the range out.
    const IovaRange r{new_pfn, new_pfn + size - 1};
    if (IovaNode* n = tree_.insert(r.pfn_lo, r.pfn_hi, false)) cached_rbnode_insert_update(n);
    return r;
  }

  // remove_iova()
  void remove_iova(IovaNode* n) {
    cached_rbnode_delete_update(n);
    tree_.erase(n);
  }

  // iova_magazine_free_pfns(): each cached range goes back to the tree, in magazine order.
  void iova_magazine_free_pfns(IovaMagazine& mag) {
    for (u64 pfn : mag.stack()) {
      IovaNode* n = tree_.find(pfn);
      if (n && n != anchor_) remove_iova(n);  // the kernel WARNs on a missing node
    }
    mag.size = 0;
  }

  // iova_magazine_pop(): the topmost pfn at or below limit_pfn, swapped out of its slot.
  static u64 iova_magazine_pop(IovaMagazine& mag, u64 limit_pfn) {
    size_t i = mag.size - 1;
    while (mag.pfns[i] > limit_pfn) {
      if (i == 0) return 0;
      --i;
    }
    const u64 pfn = mag.pfns[i];
    mag.pfns[i] = mag.pfns[--mag.size];
    return pfn;
  }

  // iova_rcache_insert() / __iova_rcache_insert()
  bool iova_rcache_insert(u64 pfn, u64 size) {
    const unsigned log_size = order_base_2(size);
    if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE) return false;
    IovaRcache& rc = rcaches_[log_size];
    IovaCpuRcache& c = rc.cpu[cpu_];
    if (c.loaded->full()) make_room(c, rc.depot);
    c.loaded->push(pfn);
    return true;
  }

  // __iova_rcache_insert() with a full loaded magazine: swap in prev if it has room, else push
  // loaded to the depot and start a new one. Out of line, as are the other slow paths below:
  // the fast paths then keep fewer registers.
  [[gnu::noinline]] static void make_room(IovaCpuRcache& c, std::vector<IovaMagazinePtr>& depot) {
    if (!c.prev->full()) {
      std::swap(c.prev, c.loaded);
    } else {
      depot.push_back(std::move(c.loaded));  // iova_depot_push()
      c.loaded = iova_magazine_alloc();
    }
  }

  // iova_rcache_get(): limit_pfn is exclusive; the cached start must leave room for size.
  u64 iova_rcache_get(u64 size, u64 limit_pfn) {
    const unsigned log_size = order_base_2(size);
    if (log_size >= IOVA_RANGE_CACHE_MAX_SIZE) return 0;
    IovaRcache& rc = rcaches_[log_size];
    return iova_rcache_get_one(rc.cpu[cpu_], rc.depot, limit_pfn - size);
  }

  // __iova_rcache_get(): only the loaded magazine is searched, after refilling it from prev or
  // the depot when it is empty.
  static u64 iova_rcache_get_one(IovaCpuRcache& c, std::vector<IovaMagazinePtr>& depot, u64 limit_pfn) {
    if (c.loaded->empty() && !refill(c, depot)) return 0;
    return iova_magazine_pop(*c.loaded, limit_pfn);
  }

  // __iova_rcache_get() with an empty loaded magazine: swap in prev if it has pfns, else take
  // the depot's most recent magazine. False when every magazine is empty.
  [[gnu::noinline]] static bool refill(IovaCpuRcache& c, std::vector<IovaMagazinePtr>& depot) {
    if (!c.prev->empty()) {
      std::swap(c.prev, c.loaded);
    } else if (!depot.empty()) {
      c.loaded = std::move(depot.back());  // iova_depot_pop()
      depot.pop_back();
    } else {
      return false;
    }
    return true;
  }

  // alloc_iova_fast() past the rcache: alloc_iova(), and once more after flushing the rcaches.
  [[gnu::noinline]] u64 alloc_or_flush_rcaches(u64 size, u64 limit_pfn, bool flush_rcache) {
    for (;;) {
      if (auto r = alloc(size, limit_pfn, true)) return r->pfn_lo;
      if (!flush_rcache) return 0;
      // Try replenishing IOVAs by flushing the rcache, once.
      flush_rcache = false;
      free_cpu_cached_iovas();
      free_global_cached_iovas();
    }
  }

  // free_cpu_cached_iovas() for every online CPU, in CPU order.
  void free_cpu_cached_iovas() {
    for (unsigned cpu = 0; cpu < kIovaCpus; ++cpu)
      for (IovaRcache& rc : rcaches_) {
        iova_magazine_free_pfns(*rc.cpu[cpu].loaded);
        iova_magazine_free_pfns(*rc.cpu[cpu].prev);
      }
  }

  // free_global_cached_iovas(): empties every depot, most recent magazine first.
  void free_global_cached_iovas() {
    for (IovaRcache& rc : rcaches_) {
      while (!rc.depot.empty()) {
        IovaMagazinePtr mag = std::move(rc.depot.back());
        rc.depot.pop_back();
        iova_magazine_free_pfns(*mag);
      }
    }
  }

  u64 granule_;
  u64 start_pfn_;
  u64 dma_32bit_pfn_;
  u64 max32_alloc_size_;
  IovaTree tree_;
  IovaNode* anchor_ = nullptr;
  IovaNode* cached_node_ = nullptr;
  IovaNode* cached32_node_ = nullptr;
  std::array<IovaRcache, IOVA_RANGE_CACHE_MAX_SIZE> rcaches_;
  unsigned cpu_ = 0;
};

}  // namespace

std::unique_ptr<IovaAllocator> make_iova_mainline(u64 granule, u64 start_pfn, u64 /*end_pfn*/) {
  return std::make_unique<IovaMainline>(granule, start_pfn);
}

}  // namespace iovet
