// SMMU figures: a device translation through the hardware model on an IOTLB hit and on a
// miss, and the map + unmap + invalidate round trip per 4K page in strict and lazy mode, through
// iovet's driver (variant mainline) and through Linux 6.1's arm-smmu-v3.c and dma-iommu.c.
#include <benchmark/benchmark.h>

#include "run/smmu_stack.h"
#include "run/variants.h"
#include "spec/unit/dma_layer.h"

namespace iovet {
namespace {

std::unique_ptr<SmmuStack> stack(bool lazy, unsigned iotlb_entries = 64, const char* variant = "mainline") {
  Config c;
  c.device.dma_mask = (u64{1} << 48) - 1;
  c.smmu.lazy = lazy;
  c.smmu.iotlb_entries = iotlb_entries;
  auto s = find_variant(variant)->smmu(c, false);
  s->attach(0, SmmuDomainKind::dma);
  return s;
}

void BM_smmu_translate_iotlb_hit(benchmark::State& state) {
  auto s = stack(false);
  const u64 iova = s->dma().map_page(0x4000'0000, 0, 4096, Dir::bidirectional);
  s->access(0, iova, false);  // fill the IOTLB
  for (auto _ : state) benchmark::DoNotOptimize(s->access(0, iova + 64, false));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_smmu_translate_iotlb_hit);

// Two pages through a one-entry IOTLB: every access misses and walks four levels.
void BM_smmu_translate_iotlb_miss(benchmark::State& state) {
  auto s = stack(false, 1);
  const u64 a = s->dma().map_page(0x4000'0000, 0, 4096, Dir::bidirectional);
  const u64 b = s->dma().map_page(0x4020'0000, 0, 4096, Dir::bidirectional);
  bool odd = false;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s->access(0, odd ? a : b, false));
    odd = !odd;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_smmu_translate_iotlb_miss);

// dma_map_page + dma_unmap_page of one 4K page: strict invalidates and syncs every time, lazy
// queues the IOVA and invalidates the whole ASID once per flush-queue ring.
void BM_smmu_map_unmap_4k(benchmark::State& state, bool lazy, const char* variant) {
  auto s = stack(lazy, 64, variant);
  u64 page = 0x4000'0000;
  for (auto _ : state) {
    const u64 iova = s->dma().map_page(page, 0, 4096, Dir::bidirectional);
    s->dma().unmap_page(iova, 4096, Dir::bidirectional);
    page = 0x4000'0000 + ((page + 4096) & 0xfff'ffff);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_smmu_map_unmap_4k, strict, false, "mainline");
BENCHMARK_CAPTURE(BM_smmu_map_unmap_4k, lazy, true, "mainline");
BENCHMARK_CAPTURE(BM_smmu_map_unmap_4k, strict_linux_6_1, false, "linux-6.1");
BENCHMARK_CAPTURE(BM_smmu_map_unmap_4k, lazy_linux_6_1, true, "linux-6.1");

}  // namespace
}  // namespace iovet
