// What the spec finds in the real allocators, pinned on minimal cases (the shapes the
// properties shrink to): each is the kernel code behaving as written.
#include <catch2/catch.hpp>

#include "run/run.h"
#include "tests/iova/iova_case_util.h"

using namespace iovet;
using namespace iovet::iovatest;

TEST_CASE("finding: reserve_iova inside a live allocation protects nothing once it is freed") {
  // reserve_iova() returns the overlapping allocation itself; __free_iova() then releases the
  // reserved pfn with it. Both allocators do this.
  const Case c = iova_case({alloc("a", 16, 0xfff), reserve(0xfff, 0xfff), free_op("a"), alloc("b", 1, 0xfff)});
  for (const char* v : {"mainline", "2015"}) {
    const RunResult r = run_case(c, {v});
    CHECK(rule_ids(r) == std::vector<std::string>{"iova.overlap"});
    CHECK(r.violations.front().op == 3);
  }
}

TEST_CASE("finding: mainline rcache ignores a limit_pfn below the cached range") {
  // iova_rcache_get() passes limit_pfn + 1 - size, which wraps when limit_pfn + 1 < size.
  const Case c = iova_case({alloc_fast("a", 4, 0xfffff), free_op("a", true), alloc_fast("b", 3, 0)});
  const RunResult r = run_case(c, {"mainline"});
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.window"});
  CHECK(r.violations.front().message.find("[0xffffc, 0xffffe]") != std::string::npos);
  CHECK(run_case(c, {"2015"}).violations.empty());
}

TEST_CASE("finding: mainline max32_alloc_size turns a failure under a small limit into later ones") {
  const Case c = iova_case({alloc("a", 25, 0), alloc("b", 25, 0xfffff)});
  const RunResult r = run_case(c, {"mainline"});
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.spurious_failure"});
  CHECK(r.violations.front().op == 1);
  CHECK(run_case(c, {"2015"}).violations.empty());
}

TEST_CASE("finding: 2015 refuses the exact fit at start_pfn") {
  const Case c = iova_case({alloc("a", 1, 1)});
  CHECK(rule_ids(run_case(c, {"2015"})) == std::vector<std::string>{"iova.spurious_failure"});
  CHECK(run_case(c, {"mainline"}).violations.empty());
}

TEST_CASE("finding: 2015 wraps below a reserved pfn 0 to the top of the pfn space") {
  const Case c = iova_case({reserve(0, 0), alloc("a", 64, 0x1f)});
  const RunResult r = run_case(c, {"2015"});
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.window", "iova.window"});
  CHECK(r.violations.front().message.find("0xffffffffffffffc0") != std::string::npos);
  CHECK(run_case(c, {"mainline"}).violations.empty());
}
