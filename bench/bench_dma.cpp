// DMA-layer figures: judged ops per second, and time to the first counterexample of each
// seed-v5 finding (median over 10 campaign seeds).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "props/catalog.h"
#include "props/gen_dma.h"

namespace iovet {
namespace {

// A fixed corpus of stateful workloads, replayed and judged op by op.
void BM_judged_dma_ops(benchmark::State& state, std::string variant) {
  const auto gen = gen::dma_case(gen::DmaWorkload::stateful, variant);
  std::vector<Case> cases;
  std::size_t ops = 0;
  for (int i = 1; cases.size() < 200; ++i) {
    Case c = gen(rc::Random(i), 100).value();
    if (refused(c, RunOptions{variant})) continue;  // a configuration the variant cannot take
    ops += c.ops.size();
    cases.push_back(std::move(c));
  }
  for (auto _ : state)
    for (const Case& c : cases) benchmark::DoNotOptimize(run_case(c, RunOptions{variant, false}));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * ops));
}
BENCHMARK_CAPTURE(BM_judged_dma_ops, mainline, std::string("mainline"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_judged_dma_ops, seed_v5, std::string("seed-v5"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_judged_dma_ops, linux_6_1, std::string("linux-6.1"))->Unit(benchmark::kMillisecond);

// Wall time from the start of a property to its shrunk counterexample.
void BM_time_to_counterexample(benchmark::State& state, std::string property) {
  Property prop;
  for (Property& p : properties_for(Target::dma))
    if (p.name == property) prop = p;
  std::vector<double> times;
  int found = 0;
  for (auto _ : state) {
    times.clear();
    found = 0;
    for (u64 seed = 1; seed <= 10; ++seed) {
      const auto t0 = std::chrono::steady_clock::now();
      const PropertyResult r = check_property(prop, CampaignOptions{seed, 200, 0, "seed-v5", {}});
      times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      found += r.minimal_case.has_value();
    }
  }
  std::sort(times.begin(), times.end());
  state.counters["median_s"] = (times[4] + times[5]) / 2;
  state.counters["max_s"] = times.back();
  state.counters["found_of_10"] = found;
}
BENCHMARK_CAPTURE(BM_time_to_counterexample, double_unmap_crash, std::string("dma.double_unmap/dma.crash"))
    ->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_time_to_counterexample, short_unmap_bug, std::string("dma.iommu_unmap/dma.bug"))
    ->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_time_to_counterexample, boundary_straddle, std::string("dma.sg_aligned/sg.boundary.lone-entry"))
    ->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace iovet
