#include "ref/dma/flush_queue.h"

#include <stdexcept>

namespace iovet {

FlushQueue::FlushQueue(unsigned size, IommuTlbOps& ops, IovaAllocator& iovad)
    : ops_(ops), iovad_(iovad), entries_(size), mod_mask_(size - 1) {
  if (!is_pow2(size)) throw std::invalid_argument("flush queue size must be a power of two");
}

void FlushQueue::ring_free() {
  const u64 finished = flush_finish_count();
  unsigned head = head_;  // in a register across the allocator's calls
  for (; head != tail_; head = (head + 1) & mod_mask_) {
    const Entry& e = entries_[head];
    if (e.counter >= finished) break;
    iovad_.free_fast(e.pfn, e.pages);
  }
  head_ = head;
}

void FlushQueue::flush_iotlb() {
  ++start_cnt_;
  ops_.flush_iotlb_all();
  ++finish_cnt_;
}

void FlushQueue::queue_iova(u64 pfn, u64 pages) {
  ring_free();
  if (((tail_ + 1) & mod_mask_) == head_) {  // fq_full()
    flush_iotlb();
    ring_free();
  }
  entries_[tail_] = {pfn, pages, start_cnt_};
  tail_ = (tail_ + 1) & mod_mask_;
  timer_on_ = true;  // mod_timer(IOVA_DEFAULT_FQ_TIMEOUT) unless already armed
}

std::vector<IovaRange> FlushQueue::queued_ranges() const {
  std::vector<IovaRange> out;
  for (unsigned i = head_; i != tail_; i = (i + 1) & mod_mask_)
    out.push_back({entries_[i].pfn, entries_[i].pfn + entries_[i].pages - 1});
  return out;
}

void FlushQueue::timeout() {
  if (!timer_on_) return;
  timer_on_ = false;
  flush_iotlb();
  ring_free();
}

}  // namespace iovet
