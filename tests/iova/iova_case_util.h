// Helpers shared by the iova tests: the registry's allocator variants and builders for
// hand-made iova cases (ops and the rules a run reports).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "case/case.h"
#include "run/run.h"
#include "run/run.h"

namespace iovet::iovatest {

// opt with the variant set ("mainline", "2015").
inline RunOptions on(RunOptions opt, std::string variant) {
  opt.variant = std::move(variant);
  return opt;
}

inline Case iova_case(std::vector<Op> ops) {
  Case c;
  c.name = "t";
  c.target = Target::iova;
  c.ops = std::move(ops);
  return c;
}

inline Op alloc(std::string id, u64 size, u64 limit, bool aligned = true, bool fast = false) {
  return {op::IovaAlloc{std::move(id), size, limit, aligned, fast}, {}};
}
inline Op alloc_fast(std::string id, u64 size, u64 limit) { return alloc(std::move(id), size, limit, true, true); }
inline Op free_op(std::string id, bool fast = false) { return {op::IovaFree{std::move(id), fast}, {}}; }
inline Op reserve(u64 lo, u64 hi) { return {op::IovaReserve{lo, hi}, {}}; }

// The rule of each violation, in order.
inline std::vector<std::string> rule_ids(const RunResult& r) {
  std::vector<std::string> v;
  for (const Violation& x : r.violations) v.push_back(x.rule);
  return v;
}

}  // namespace iovet::iovatest
