// dma-iommu's flush queue model: IOVAs go back to the allocator only after a flush that
// started after they were queued has finished.
#include <catch2/catch.hpp>

#include "ref/dma/flush_queue.h"
#include "ref/iova/iova_mainline.h"
#include "run/iova_free_tap.h"

#include <set>

using namespace iovet;

namespace {

struct CountingOps final : IommuTlbOps {
  int flushes = 0;
  void tlb_flush_walk(u64, u64, u64) override {}
  void iotlb_sync(const IotlbGather&) override {}
  void flush_iotlb_all() override { ++flushes; }
};


}  // namespace

TEST_CASE("flush queue: frees only after a flush, flushes when full and on the timer", "[smmu][fq]") {
  CountingOps ops;
  std::set<u64> freed;
  auto iovad = std::make_unique<IovaFreeTap>(make_iova_mainline(4096, 1, 0xfffff), [&](u64 pfn, u64) { freed.insert(pfn); });
  auto is_free = [&](const IovaAllocator&, u64 pfn) { return freed.count(pfn) == 1; };
  const u64 a = iovad->alloc_fast(1, 0xfffff, true), b = iovad->alloc_fast(1, 0xfffff, true),
            c = iovad->alloc_fast(1, 0xfffff, true), d = iovad->alloc_fast(1, 0xfffff, true);
  FlushQueue fq(4, ops, *iovad);  // holds 3
  fq.queue_iova(a, 1);
  fq.queue_iova(b, 1);
  fq.queue_iova(c, 1);
  CHECK(ops.flushes == 0);
  CHECK(!is_free(*iovad, a));
  CHECK(fq.queued() == 3);
  fq.queue_iova(d, 1);  // full: flush, free a..c, queue d
  CHECK(ops.flushes == 1);
  CHECK(is_free(*iovad, a));
  CHECK(is_free(*iovad, c));
  CHECK(!is_free(*iovad, d));
  CHECK(fq.timer_armed());
  fq.timeout();
  CHECK(ops.flushes == 2);
  CHECK(is_free(*iovad, d));
  CHECK(!fq.timer_armed());
  fq.timeout();  // disarmed: nothing to do
  CHECK(ops.flushes == 2);
}
