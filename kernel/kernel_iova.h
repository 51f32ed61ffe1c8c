// The IOVA allocator unit filled by a kernel tree's drivers/iommu/iova.c.
#pragma once
#include <memory>

#include "kernel/instance.h"
#include "spec/unit/iova_allocator.h"

namespace iovet {

class KernelIova : public IovaAllocator {
 public:
  // A domain of its own: init_iova_domain(granule, start_pfn) + iova_domain_init_rcaches().
  KernelIova(const KernelLibrary& lib, u64 granule, u64 start_pfn);
  // The IOVA domain inside another object (a DMA domain's cookie).
  explicit KernelIova(std::shared_ptr<KernelInstance> inst);

  u64 granule() const override { return granule_; }
  u64 start_pfn() const override { return start_pfn_; }
  std::optional<IovaRange> alloc(u64 size, u64 limit_pfn, bool size_aligned) override;
  u64 alloc_fast(u64 size, u64 limit_pfn, bool flush_rcache) override;
  std::optional<IovaRange> find(u64 pfn) const override;
  void free(u64 pfn) override;
  void free_fast(u64 pfn, u64 size) override;
  bool reserve(u64 pfn_lo, u64 pfn_hi) override;
  void set_cpu(unsigned cpu) override { inst_->ops().set_cpu(inst_->get(), cpu); }
  std::vector<IovaRange> allocated() const override;
  std::vector<IovaRange> reserved() const override;
  std::vector<IovaRange> cached() const override;
  std::vector<std::string> take_warnings() override { return inst_->take_warnings(); }

  // The tree's iova_offset() and iova_align() (include/linux/iova.h) on this domain.
  struct Arith {
    u64 offset, align;
  };
  Arith arith(u64 x) const;

 private:
  std::vector<kabi_iova_node> nodes() const;
  std::shared_ptr<KernelInstance> inst_;
  u64 granule_ = 0, start_pfn_ = 0;
};

}  // namespace iovet
