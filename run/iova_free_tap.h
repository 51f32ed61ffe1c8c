// An IOVA allocator that reports every range given back to it, so the SMMU judge sees exactly
// when the flush queue releases an IOVA. Everything else is passed through.
#pragma once
#include <functional>
#include <memory>

#include "spec/unit/iova_allocator.h"

namespace iovet {

class IovaFreeTap final : public IovaAllocator {
 public:
  using Report = std::function<void(u64 pfn, u64 pages)>;
  IovaFreeTap(std::unique_ptr<IovaAllocator> inner, Report report)
      : inner_(std::move(inner)), report_(std::move(report)) {}
  u64 granule() const override { return inner_->granule(); }
  u64 start_pfn() const override { return inner_->start_pfn(); }
  std::optional<IovaRange> alloc(u64 size, u64 limit_pfn, bool size_aligned) override {
    return inner_->alloc(size, limit_pfn, size_aligned);
  }
  u64 alloc_fast(u64 size, u64 limit_pfn, bool flush_rcache) override {
    return inner_->alloc_fast(size, limit_pfn, flush_rcache);
  }
  std::optional<IovaRange> find(u64 pfn) const override { return inner_->find(pfn); }
  void free(u64 pfn) override {
    if (auto r = inner_->find(pfn)) report_(r->pfn_lo, r->size());
    inner_->free(pfn);
  }
  void free_fast(u64 pfn, u64 size) override {
    report_(pfn, size);
    inner_->free_fast(pfn, size);
  }
  bool reserve(u64 pfn_lo, u64 pfn_hi) override { return inner_->reserve(pfn_lo, pfn_hi); }
  std::vector<IovaRange> allocated() const override { return inner_->allocated(); }
  std::vector<IovaRange> reserved() const override { return inner_->reserved(); }
  std::vector<IovaRange> cached() const override { return inner_->cached(); }

 private:
  std::unique_ptr<IovaAllocator> inner_;
  Report report_;
};

}  // namespace iovet
