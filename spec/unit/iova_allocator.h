// The IOVA allocator unit (struct iova_domain and its API in drivers/iommu/iova.c).
// Units are pfns of the domain's granule.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "spec/types.h"

namespace iovet {

// The CPUs an iova case may run its calls on (op field `cpu`); the kernel shim's NR_CPUS.
inline constexpr unsigned kIovaCpus = 4;

struct IovaRange {
  u64 pfn_lo = 0;
  u64 pfn_hi = 0;  // inclusive
  u64 size() const { return pfn_hi - pfn_lo + 1; }
  friend bool operator==(const IovaRange&, const IovaRange&) = default;
};

class IovaAllocator {
 public:
  virtual ~IovaAllocator() = default;
  virtual u64 granule() const = 0;
  virtual u64 start_pfn() const = 0;
  // alloc_iova(): the new range, or nothing.
  virtual std::optional<IovaRange> alloc(u64 size, u64 limit_pfn, bool size_aligned) = 0;
  // alloc_iova_fast(): the first pfn, or 0. Variants without an rcache behave as alloc().
  virtual u64 alloc_fast(u64 size, u64 limit_pfn, bool flush_rcache) = 0;
  // find_iova(): the live range containing pfn.
  virtual std::optional<IovaRange> find(u64 pfn) const = 0;
  // __free_iova() of the range found by find() / free_iova(pfn).
  virtual void free(u64 pfn) = 0;
  // free_iova_fast(pfn, size): may keep the range in a cache for reuse.
  virtual void free_fast(u64 pfn, u64 size) = 0;
  // reserve_iova(): false when it could not reserve.
  virtual bool reserve(u64 pfn_lo, u64 pfn_hi) = 0;
  // The CPU the following calls run on (raw_smp_processor_id(): whose rcache they use), below
  // kIovaCpus. Allocators without per-CPU caches ignore it.
  virtual void set_cpu(unsigned cpu) { (void)cpu; }

  // Views for the spec: live allocations (reserved ranges excluded), reserved ranges, and the
  // ranges held in caches for reuse (counted as free).
  virtual std::vector<IovaRange> allocated() const = 0;
  virtual std::vector<IovaRange> reserved() const = 0;
  virtual std::vector<IovaRange> cached() const = 0;
  // WARN()s fired since the last call.
  virtual std::vector<std::string> take_warnings() { return {}; }
};

}  // namespace iovet
