// A vendor's own IOVA allocator behind iovet's IovaAllocator unit: top-down first fit over a
// sorted map, as alloc_iova() places ranges, with no per-CPU cache. One bug is planted: the
// first gap it tries ends one pfn above limit_pfn (an inclusive limit read as exclusive).
#pragma once
#include <map>

#include "spec/unit/iova_allocator.h"

namespace toy {

class ToyIova final : public iovet::IovaAllocator {
 public:
  ToyIova(iovet::u64 granule, iovet::u64 start_pfn, bool planted_bug)
      : granule_(granule), start_pfn_(start_pfn), planted_bug_(planted_bug) {}

  iovet::u64 granule() const override { return granule_; }
  iovet::u64 start_pfn() const override { return start_pfn_; }
  std::optional<iovet::IovaRange> alloc(iovet::u64 size, iovet::u64 limit_pfn, bool size_aligned) override;
  iovet::u64 alloc_fast(iovet::u64 size, iovet::u64 limit_pfn, bool flush_rcache) override;
  std::optional<iovet::IovaRange> find(iovet::u64 pfn) const override;
  void free(iovet::u64 pfn) override;
  void free_fast(iovet::u64 pfn, iovet::u64 size) override;
  bool reserve(iovet::u64 pfn_lo, iovet::u64 pfn_hi) override;
  std::vector<iovet::IovaRange> allocated() const override;
  std::vector<iovet::IovaRange> reserved() const override;
  std::vector<iovet::IovaRange> cached() const override { return {}; }

 private:
  iovet::u64 granule_, start_pfn_;
  bool planted_bug_;
  std::map<iovet::u64, iovet::IovaRange> live_;      // by pfn_lo
  std::map<iovet::u64, iovet::IovaRange> reserved_;  // by pfn_lo
};

}  // namespace toy
