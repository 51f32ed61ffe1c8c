// io-pgtable throughput: the optimised ARM LPAE table (/impl) next to the reference (/ref) and
// to Linux 6.1's own io-pgtable-arm.c compiled against iovet's shim (/linux_6_1: the calls go
// through the kernel ABI and its crash guard, as every judged call does).
// items_per_second counts pages (map+unmap of one page is one item) or lookups.
#include <benchmark/benchmark.h>

#include <memory>

#include "impl/io_pgtable_arm.h"
#include "kernel/kernel_pgtable.h"
#include "ref/pgtable/ref_page_table.h"

namespace iovet {
namespace {

using Factory = std::unique_ptr<PageTable> (*)(const PgtableCfg&);

constexpr u64 SZ_4K = u64{1} << 12, SZ_2M = u64{1} << 21, SZ_1G = u64{1} << 30;
constexpr int RW = prot::read | prot::write | prot::cache;

std::unique_ptr<PageTable> make_linux_6_1(const PgtableCfg& c) {
  static const KernelTree tree = debian_kernel_tree();
  return std::make_unique<KernelPgtable>(load_kernel_library(tree, 12), c);
}

PgtableCfg cfg_4k() {
  PgtableCfg c;
  c.pgsize_bitmap = lpae_pgsize_bitmap(SZ_4K, 48);
  return c;
}

// Table memory while `bytes` are mapped, scaled to one GiB of mappings.
void report_table_bytes(benchmark::State& state, const PageTable& pt, u64 bytes) {
  state.counters["table_bytes_per_GiB"] = static_cast<double>(pt.table_pages()) * SZ_4K *
                                          (static_cast<double>(SZ_1G) / static_cast<double>(bytes));
}

// map_pages + unmap_pages of 1 GiB of 4K pages, state.range(0) pages per call.
void BM_map_unmap_4k(benchmark::State& state, Factory make) {
  auto pt = make(cfg_4k());
  const u64 batch = static_cast<u64>(state.range(0)), pages = SZ_1G / SZ_4K;
  const u64 base = 64 * SZ_1G, pa = 0x1'0000'0000;
  for (auto _ : state) {
    u64 mapped = 0;
    for (u64 p = 0; p < pages; p += batch)
      pt->map_pages(base + p * SZ_4K, pa + p * SZ_4K, SZ_4K, batch, RW, &mapped);
    state.PauseTiming();
    report_table_bytes(state, *pt, SZ_1G);
    state.ResumeTiming();
    for (u64 p = 0; p < pages; p += batch)
      benchmark::DoNotOptimize(pt->unmap_pages(base + p * SZ_4K, SZ_4K, batch, nullptr));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages));
}

// The same with an IOTLB gather collecting one flush per page, as the DMA layer passes one.
void BM_map_unmap_4k_gather(benchmark::State& state, Factory make) {
  auto pt = make(cfg_4k());
  const u64 batch = static_cast<u64>(state.range(0)), pages = SZ_1G / SZ_4K;
  IotlbGather gather;
  gather.flushes.reserve(pages + 64);
  for (auto _ : state) {
    u64 mapped = 0;
    for (u64 p = 0; p < pages; p += batch)
      pt->map_pages(p * SZ_4K, p * SZ_4K, SZ_4K, batch, RW, &mapped);
    gather = IotlbGather{{}, {}, {}, std::move(gather.flushes)};
    gather.flushes.clear();
    for (u64 p = 0; p < pages; p += batch) pt->unmap_pages(p * SZ_4K, SZ_4K, batch, &gather);
    benchmark::DoNotOptimize(gather.flushes.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages));
}

// map_pages + unmap_pages of 16 GiB of 2M blocks, state.range(0) blocks per call.
void BM_map_unmap_2m(benchmark::State& state, Factory make) {
  auto pt = make(cfg_4k());
  const u64 batch = static_cast<u64>(state.range(0)), blocks = 16 * SZ_1G / SZ_2M;
  for (auto _ : state) {
    u64 mapped = 0;
    for (u64 b = 0; b < blocks; b += batch)
      pt->map_pages(b * SZ_2M, b * SZ_2M, SZ_2M, batch, RW, &mapped);
    state.PauseTiming();
    report_table_bytes(state, *pt, 16 * SZ_1G);
    state.ResumeTiming();
    for (u64 b = 0; b < blocks; b += batch)
      benchmark::DoNotOptimize(pt->unmap_pages(b * SZ_2M, SZ_2M, batch, nullptr));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * blocks));
}

// iova_to_phys at scattered addresses among the first state.range(0) MiB of 1 GiB mapped with
// 4K pages: 2 MiB keeps the walk in cache, 1024 MiB misses on the last-level tables.
void BM_iova_to_phys(benchmark::State& state, Factory make) {
  auto pt = make(cfg_4k());
  const u64 pages = SZ_1G / SZ_4K;
  // As the IOMMU core does: io-pgtable-arm.c maps at most one table per call.
  for (u64 done = 0; done < SZ_1G;) {
    u64 mapped = 0;
    if (pt->map_pages(done, 0x1'0000'0000 + done, SZ_4K, pages - done / SZ_4K, RW, &mapped) || !mapped) break;
    done += mapped;
  }
  report_table_bytes(state, *pt, SZ_1G);
  const u64 span = static_cast<u64>(state.range(0)) << 20;
  u64 x = 1;
  for (auto _ : state) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    benchmark::DoNotOptimize(pt->iova_to_phys((x >> 34) & (span - 1)));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_map_unmap_4k, impl, make_arm_lpae_pgtable)->Arg(512)->Arg(32)->Arg(1);
BENCHMARK_CAPTURE(BM_map_unmap_4k, ref, make_ref_page_table)->Arg(512)->Arg(32)->Arg(1);
BENCHMARK_CAPTURE(BM_map_unmap_4k, linux_6_1, make_linux_6_1)->Arg(512)->Arg(32)->Arg(1);
BENCHMARK_CAPTURE(BM_map_unmap_4k_gather, impl, make_arm_lpae_pgtable)->Arg(512);
BENCHMARK_CAPTURE(BM_map_unmap_4k_gather, ref, make_ref_page_table)->Arg(512);
BENCHMARK_CAPTURE(BM_map_unmap_2m, impl, make_arm_lpae_pgtable)->Arg(512)->Arg(1);
BENCHMARK_CAPTURE(BM_map_unmap_2m, ref, make_ref_page_table)->Arg(512)->Arg(1);
BENCHMARK_CAPTURE(BM_map_unmap_2m, linux_6_1, make_linux_6_1)->Arg(512)->Arg(1);
BENCHMARK_CAPTURE(BM_iova_to_phys, impl, make_arm_lpae_pgtable)->Arg(2)->Arg(1024);
BENCHMARK_CAPTURE(BM_iova_to_phys, ref, make_ref_page_table)->Arg(2)->Arg(1024);
BENCHMARK_CAPTURE(BM_iova_to_phys, linux_6_1, make_linux_6_1)->Arg(2)->Arg(1024);

}  // namespace
}  // namespace iovet
