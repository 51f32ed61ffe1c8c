// Replaying iova cases: ops, domain.reserved, per-op expectations, trace, input errors.
#include <catch2/catch.hpp>

#include <algorithm>

#include "case/input_error.h"
#include "ref/iova/iova_2015.h"
#include "ref/iova/iova_mainline.h"
#include "run/iova_runner.h"

using namespace iovet;

namespace {

const IovaVariant kMainline{"mainline", "test", make_iova_mainline};
const IovaVariant k2015{"2015", "test", make_iova_2015};

Case iova_case(std::vector<Op> ops) {
  Case c;
  c.name = "t";
  c.target = Target::iova;
  c.ops = std::move(ops);
  return c;
}

Op alloc(std::string id, u64 size, u64 limit, bool aligned = true, bool fast = false) {
  return {op::IovaAlloc{std::move(id), size, limit, aligned, fast}, {}};
}
Op expect_pfn(Op o, u64 pfn) {
  o.expect.pfn = pfn;
  return o;
}
Op expect_error(Op o, bool error) {
  o.expect.error = error;
  return o;
}
Op free_op(std::string id, bool fast = false) { return {op::IovaFree{std::move(id), fast}, {}}; }
Op reserve(u64 lo, u64 hi) { return {op::IovaReserve{lo, hi}, {}}; }

std::vector<std::string> rule_ids(const RunResult& r) {
  std::vector<std::string> v;
  for (const Violation& x : r.violations) v.push_back(x.rule);
  return v;
}

std::string input_error_pointer(const Case& c) {
  try {
    run_iova_case(c, {}, kMainline);
  } catch (const InputError& e) {
    return e.pointer;
  }
  return "no error";
}

}  // namespace

TEST_CASE("runner replays alloc, free and reserve with a trace") {
  Case c = iova_case({alloc("a", 3, 0xfffff), reserve(0xff000, 0xff0ff), alloc("b", 1, 0xfffff, true, true),
                      free_op("b", true), free_op("a")});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_iova_case(c, opt, kMainline);
  CHECK(r.violations.empty());
  CHECK(r.expect_failures.empty());
  REQUIRE(r.trace.size() == 5);
  CHECK(r.trace[0].op == 0);
  CHECK(r.trace[0].text == "alloc a size=3 limit=0xfffff -> [0xffffc, 0xffffe]");
  CHECK(r.trace[1].text == "reserve [0xff000, 0xff0ff] -> ok");
  CHECK(r.trace[2].text == "alloc_fast b size=1 limit=0xfffff -> [0xffffb, 0xffffb]");
  CHECK(r.trace[3].text == "free_fast b pfn=0xffffb size=1");
  CHECK(r.trace[4].text == "free a pfn=0xffffc");
  CHECK(run_iova_case(c, {}, kMainline).trace.empty());
}

TEST_CASE("runner applies domain.reserved first, in pfns") {
  Case c = iova_case({alloc("a", 1, 0xfffff)});
  c.config.domain.reserved = {Range{0xfffff000, 0xffffffff}};
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_iova_case(c, opt, kMainline);
  REQUIRE(r.trace.size() == 2);
  CHECK(r.trace[0].op == -1);
  CHECK(r.trace[0].text == "reserve (domain.reserved) [0xfffff, 0xfffff] -> ok");
  CHECK(r.trace[1].text == "alloc a size=1 limit=0xfffff -> [0xffffe, 0xffffe]");
}

TEST_CASE("runner checks per-op expectations") {
  Case c = iova_case({expect_pfn(alloc("a", 1, 0xfffff), 0xfffff), expect_pfn(alloc("b", 1, 0xfffff), 0xfffff),
                      expect_error(alloc("c", 8, 7), true), expect_error(alloc("d", 1, 0xfffff), true),
                      expect_error(alloc("e", 8, 7), false)});
  const RunResult r = run_iova_case(c, {}, kMainline);
  REQUIRE(r.expect_failures.size() == 3);
  CHECK(r.expect_failures[0] == "op 1 (alloc b): expected pfn 0xfffff, got 0xffffe");
  CHECK(r.expect_failures[1] == "op 3 (alloc d): expected an error, got pfn 0xffffd");
  CHECK(r.expect_failures[2] == "op 4 (alloc e): expected success, the allocation failed");
}

TEST_CASE("runner judges every step: the 2015 allocator fails spuriously") {
  Case c = iova_case({alloc("a", 1, 1)});
  const RunResult r = run_iova_case(c, {}, k2015);
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.spurious_failure"});
  CHECK(r.violations.front().op == 0);
  CHECK(run_iova_case(c, {}, kMainline).violations.empty());
}

TEST_CASE("runner: free of a failed allocation is a no-op, the id can be reused") {
  Case c = iova_case({alloc("a", 8, 7), free_op("a"), alloc("a", 1, 0xfffff), free_op("a"),
                      alloc("a", 1, 0xfffff)});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_iova_case(c, opt, kMainline);
  CHECK(r.trace[1].text == "free a: its allocation failed, nothing to free");
  CHECK(r.trace[4].text == "alloc a size=1 limit=0xfffff -> [0xfffff, 0xfffff]");
}

TEST_CASE("runner: input errors name the op") {
  CHECK(input_error_pointer(iova_case({free_op("x")})) == "/ops/0/id");
  CHECK(input_error_pointer(iova_case({alloc("a", 1, 0xfffff), alloc("a", 1, 0xfffff)})) == "/ops/1/id");
  CHECK(input_error_pointer(iova_case({alloc("a", 1, 0xfffff), free_op("a"), free_op("a")})) == "/ops/2/id");
  CHECK(input_error_pointer(iova_case({alloc("a", 0, 0xfffff)})) == "/ops/0/size");
  CHECK(input_error_pointer(iova_case({reserve(2, 1)})) == "/ops/0/lo");
  CHECK(input_error_pointer(iova_case({{op::MapPage{"m", 0, 0, 4096, Dir::to_device}, {}}})) == "/ops/0/op");
}

TEST_CASE("runner: a BUG() in the model stops the replay with a warning") {
  Case c = iova_case({reserve(0, 0xf), alloc("a", 2, 8), alloc("b", 2, 8), alloc("c", 1, 0xfffff)});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_iova_case(c, opt, k2015);
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.window", "iova.window"});  // limit and aperture
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("op 2: BUG(): ", 0) == 0);
  CHECK(r.trace.back().op == 2);
}

TEST_CASE("runner traces what alloc_fast holds") {
  const Case c = iova_case({alloc("a", 3, 0xfffff, true, true)});
  RunOptions opt;
  opt.trace = true;
  CHECK(run_iova_case(c, opt, kMainline).trace.at(0).text == "alloc_fast a size=3 limit=0xfffff -> [0xffffc, 0xfffff]");
  CHECK(run_iova_case(c, opt, k2015).trace.at(0).text == "alloc_fast a size=3 limit=0xfffff -> [0xffffc, 0xffffe]");
}
