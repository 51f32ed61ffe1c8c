// Replaying iova cases: ops, domain.reserved, per-op expectations, trace, input errors.
#include <catch2/catch.hpp>

#include <algorithm>

#include "case/input_error.h"
#include "run/run.h"
#include "tests/iova/iova_case_util.h"

using namespace iovet;
using namespace iovet::iovatest;

namespace {

Op expect_pfn(Op o, u64 pfn) {
  o.expect.pfn = pfn;
  return o;
}
Op expect_error(Op o, bool error) {
  o.expect.error = error;
  return o;
}

std::string input_error_pointer(const Case& c) {
  try {
    run_case(c, {"mainline"});
  } catch (const InputError& e) {
    return e.pointer;
  }
  return "no error";
}

}  // namespace

TEST_CASE("runner replays alloc, free and reserve with a trace") {
  Case c = iova_case({alloc("a", 3, 0xfffff), reserve(0xff000, 0xff0ff), alloc_fast("b", 1, 0xfffff),
                      free_op("b", true), free_op("a")});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_case(c, iovatest::on(opt, "mainline"));
  CHECK(r.violations.empty());
  CHECK(r.expect_failures.empty());
  REQUIRE(r.trace.size() == 5);
  CHECK(r.trace[0].op == 0);
  CHECK(r.trace[0].text == "alloc a size=3 limit=0xfffff -> [0xffffc, 0xffffe]");
  CHECK(r.trace[1].text == "reserve [0xff000, 0xff0ff] -> ok");
  CHECK(r.trace[2].text == "alloc_fast b size=1 limit=0xfffff -> [0xffffb, 0xffffb]");
  CHECK(r.trace[3].text == "free_fast b pfn=0xffffb size=1");
  CHECK(r.trace[4].text == "free a pfn=0xffffc");
  CHECK(run_case(c, {"mainline"}).trace.empty());
}

TEST_CASE("runner applies domain.reserved first, in pfns") {
  Case c = iova_case({alloc("a", 1, 0xfffff)});
  c.config.domain.reserved = {Range{0xfffff000, 0xffffffff}};
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_case(c, iovatest::on(opt, "mainline"));
  REQUIRE(r.trace.size() == 2);
  CHECK(r.trace[0].op == -1);
  CHECK(r.trace[0].text == "reserve (domain.reserved) [0xfffff, 0xfffff] -> ok");
  CHECK(r.trace[1].text == "alloc a size=1 limit=0xfffff -> [0xffffe, 0xffffe]");
}

TEST_CASE("runner checks per-op expectations") {
  Case c = iova_case({expect_pfn(alloc("a", 1, 0xfffff), 0xfffff), expect_pfn(alloc("b", 1, 0xfffff), 0xfffff),
                      expect_error(alloc("c", 8, 7), true), expect_error(alloc("d", 1, 0xfffff), true),
                      expect_error(alloc("e", 8, 7), false)});
  const RunResult r = run_case(c, {"mainline"});
  REQUIRE(r.expect_failures.size() == 3);
  CHECK(r.expect_failures[0] == "op 1 (alloc b): expected pfn 0xfffff, got 0xffffe");
  CHECK(r.expect_failures[1] == "op 3 (alloc d): expected an error, got pfn 0xffffd");
  CHECK(r.expect_failures[2] == "op 4 (alloc e): expected success, the allocation failed");
}

TEST_CASE("runner judges every step: the 2015 allocator fails spuriously") {
  Case c = iova_case({alloc("a", 1, 1)});
  const RunResult r = run_case(c, {"2015"});
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.spurious_failure"});
  CHECK(r.violations.front().op == 0);
  CHECK(run_case(c, {"mainline"}).violations.empty());
}

TEST_CASE("runner: free of a failed allocation is a no-op, the id can be reused") {
  Case c = iova_case({alloc("a", 8, 7), free_op("a"), alloc("a", 1, 0xfffff), free_op("a"),
                      alloc("a", 1, 0xfffff)});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_case(c, iovatest::on(opt, "mainline"));
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

TEST_CASE("runner: a BUG() in the model is a dma.bug verdict and stops the replay") {
  Case c = iova_case({reserve(0, 0xf), alloc("a", 2, 8), alloc("b", 2, 8), alloc("c", 1, 0xfffff)});
  RunOptions opt;
  opt.trace = true;
  const RunResult r = run_case(c, iovatest::on(opt, "2015"));
  // limit and aperture at op 1, then the BUG() at op 2
  CHECK(rule_ids(r) == std::vector<std::string>{"iova.window", "iova.window", "dma.bug"});
  CHECK(r.violations.back().op == 2);
  CHECK(r.trace.back().op == 2);
  CHECK(r.trace.back().text.find("the replay stops here") != std::string::npos);
}

TEST_CASE("runner traces what alloc_fast holds") {
  const Case c = iova_case({alloc_fast("a", 3, 0xfffff)});
  RunOptions opt;
  opt.trace = true;
  CHECK(run_case(c, iovatest::on(opt, "mainline")).trace.at(0).text ==
        "alloc_fast a size=3 limit=0xfffff -> [0xffffc, 0xfffff]");
  CHECK(run_case(c, iovatest::on(opt, "2015")).trace.at(0).text ==
        "alloc_fast a size=3 limit=0xfffff -> [0xffffc, 0xffffe]");
}
