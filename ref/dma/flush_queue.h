// dma-iommu's flush queue (struct iova_fq, DMA-FQ mode): unmapped IOVAs wait in a ring until
// a domain-wide invalidation that started after they were queued has finished; only then do
// they go back to the allocator. One CPU's ring (the model runs single-threaded).
#pragma once
#include <vector>

#include "spec/unit/iommu_tlb_ops.h"
#include "spec/unit/iova_allocator.h"

namespace iovet {

class FlushQueue {
 public:
  // size: IOVA_DEFAULT_FQ_SIZE (256); the ring holds size - 1 entries.
  FlushQueue(unsigned size, IommuTlbOps& ops, IovaAllocator& iovad);
  virtual ~FlushQueue() = default;
  FlushQueue(const FlushQueue&) = delete;
  FlushQueue& operator=(const FlushQueue&) = delete;

  void queue_iova(u64 pfn, u64 pages);  // queue_iova()
  void timeout();                       // fq_flush_timeout(), when the timer is armed
  bool timer_armed() const { return timer_on_; }
  unsigned queued() const { return (tail_ - head_) & mod_mask_; }
  std::vector<IovaRange> queued_ranges() const;  // still allocated, waiting for a flush

 protected:
  // fq_flush_finish_cnt, read once per fq_ring_free_locked() pass: entries queued with a
  // smaller counter were covered by a finished invalidation. Overridable to plant a fault.
  virtual u64 flush_finish_count() const { return finish_cnt_; }

 private:
  struct Entry {
    u64 pfn = 0, pages = 0;
    u64 counter = 0;  // fq_flush_start_cnt when queued
  };
  void ring_free();   // fq_ring_free_locked()
  void flush_iotlb(); // fq_flush_iotlb()

  IommuTlbOps& ops_;
  IovaAllocator& iovad_;
  std::vector<Entry> entries_;
  unsigned mod_mask_;
  unsigned head_ = 0, tail_ = 0;
  u64 start_cnt_ = 0, finish_cnt_ = 0;
  bool timer_on_ = false;
};

}  // namespace iovet
