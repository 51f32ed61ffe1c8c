// The proof catalogue's cost: one prove_all() over every obligation with the default options
// (two workers, the default per-query timeout, witnesses built and replayed), reported as
// seconds per run and how many obligations ended in each status.
#include <benchmark/benchmark.h>

#include <chrono>

#include "smt/prove.h"

namespace iovet {
namespace {

void BM_smt_catalogue(benchmark::State& state) {
  int counts[4] = {0, 0, 0, 0};
  double seconds = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<smt::ProofResult> results = smt::prove_all({});
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (int& c : counts) c = 0;
    for (const smt::ProofResult& r : results) ++counts[static_cast<int>(r.status)];
    benchmark::DoNotOptimize(results.data());
  }
  state.counters["seconds"] = seconds;
  state.counters["obligations"] = static_cast<double>(smt::catalog().size());
  state.counters["proved"] = counts[static_cast<int>(smt::ProofStatus::proved)];
  state.counters["counterexample"] = counts[static_cast<int>(smt::ProofStatus::counterexample)];
  state.counters["unknown"] = counts[static_cast<int>(smt::ProofStatus::unknown)];
  state.counters["error"] = counts[static_cast<int>(smt::ProofStatus::error)];
}
BENCHMARK(BM_smt_catalogue)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace iovet
