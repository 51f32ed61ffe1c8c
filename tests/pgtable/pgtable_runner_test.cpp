// Replaying pgtable cases: a case file round trip with per-op expectations on both tables,
// the explain trace with its walks, and bad input as InputError with a pointer.
#include <catch2/catch.hpp>

#include <algorithm>

#include "case/case_json.h"
#include "case/input_error.h"
#include "report/explain.h"
#include "run/run.h"

using namespace iovet;

namespace {

const char* kCase = R"({"iovet": 1, "name": "pt-roundtrip", "target": "pgtable",
  "config": {"format": "arm64-lpae-s1", "partial_unmap": "refuse"},
  "ops": [
    {"op": "map", "iova": "0x40000000", "paddr": "0x80000000", "pgsize": "0x200000", "prot": ["read"],
     "expect": {"mapped": "0x200000", "error": false}},
    {"op": "map", "iova": "0x40001000", "paddr": "0x1000", "pgsize": 4096, "prot": ["read", "write"],
     "expect": {"error": "EEXIST", "mapped": 0}},
    {"op": "iova_to_phys", "iova": "0x40001234", "expect": {"phys": "0x80001234"}},
    {"op": "unmap", "iova": "0x40001000", "pgsize": 4096, "expect": {"unmapped": 0}},
    {"op": "map", "iova": "0x1000000000000", "paddr": "0x0", "pgsize": 4096, "prot": ["read"],
     "expect": {"error": "ERANGE"}},
    {"op": "map", "iova": "0x7000", "paddr": "0x9000", "pgsize": 4096, "pgcount": 3, "prot": ["write", "cache"]},
    {"op": "unmap", "iova": "0x40000000", "pgsize": "0x200000", "expect": {"unmapped": "0x200000"}},
    {"op": "unmap", "iova": "0x7000", "pgsize": 4096, "pgcount": 3, "expect": {"unmapped": 12288}},
    {"op": "iova_to_phys", "iova": "0x40001234", "expect": {"phys": 0}}
  ]})";

Case parsed(const std::string& text) { return parse_case_text(text, "t.json", true, nullptr); }

std::string input_error_pointer(const Case& c, const std::string& variant = "") {
  try {
    run_case(c, {variant, false});
  } catch (const InputError& e) {
    return e.pointer;
  }
  return "no error";
}

// A line of op's trace, a figure's (the walks) drawn as the text explain draws them.
bool traced(const RunResult& r, int op, const std::string& needle, const Config& cfg = {}) {
  return std::any_of(r.trace.begin(), r.trace.end(), [&](const TraceLine& t) {
    if (t.op != op) return false;
    const std::vector<std::string> lines = t.figure ? figure_lines(*t.figure, cfg) : std::vector<std::string>{t.text};
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  });
}

}  // namespace

TEST_CASE("a pgtable case replays clean with its expectations on impl and ref", "[pgtable][runner]") {
  const Case c = parsed(kCase);
  // The case survives the canonical writer.
  REQUIRE(case_to_text(parsed(case_to_text(c))) == case_to_text(c));
  for (const char* v : {"impl", "ref", "mainline"}) {
    INFO(v);
    const RunResult r = run_case(parsed(case_to_text(c)), {v, false});
    CHECK(r.violations.empty());
    CHECK(r.expect_failures.empty());
    CHECK(judge_replay(c, r).status == Status::pass);
  }
  // run_case dispatches pgtable cases here.
  CHECK(run_case(c, {}).expect_failures.empty());
}

TEST_CASE("a wrong per-op expectation fails the replay", "[pgtable][runner]") {
  Case c = parsed(kCase);
  c.ops[2].expect.phys = 0x80001000;
  c.ops[3].expect.unmapped = 0x1000;
  c.ops[1].expect.errno_name = "ERANGE";
  const RunResult r = run_case(c, {});
  CHECK(r.expect_failures.size() == 3);
  CHECK(r.violations.empty());
  CHECK(judge_replay(c, r).status == Status::fail);
}

TEST_CASE("explain shows each op and the walk of the LPAE tables", "[pgtable][runner]") {
  const Case c = parsed(kCase);
  const RunResult r = run_case(c, {"impl", true});
  CHECK(traced(r, 0, "map iova=0x40000000 paddr=0x80000000 pgsize=0x200000 pgcount=1 prot=read -> 0"));
  // 48-bit ias, 4K: levels 0..2 for a 2M block, each with its table and index.
  CHECK(traced(r, 0, "walk L0: table 0x80000000 [0]"));
  CHECK(traced(r, 0, "walk L1:"));
  CHECK(traced(r, 0, "walk L2:"));
  CHECK(traced(r, 0, "block 0x200000 OA=0x80000000 AttrIndx=0 (NC) NS=0 AP=RO,unpriv SH=OS AF=1 nG=1 DBM=0 XN=0"));
  CHECK(traced(r, 1, "-> -EEXIST"));
  CHECK(traced(r, 1, "WARN: "));
  CHECK(traced(r, 7, "tlb_add_page [0x7000, +0x1000)"));
  CHECK(traced(r, 8, "invalid: translation fault"));
  CHECK(traced(r, 7, "0 leaves, 1 table page(s)"));

  Case s2 = c;
  s2.config.format = Format::arm64_lpae_s2;
  const RunResult r2 = run_case(s2, {"impl", true});
  CHECK(traced(r2, 0, "MemAttr=0x5 S2AP=R SH=OS AF=1 DBM=0 XN=0"));

  const RunResult ref = run_case(c, {"ref", true});
  CHECK(traced(ref, 0, "walk: this table has no descriptors to walk"));
  CHECK(run_case(c, {"impl", false}).trace.empty());
}

TEST_CASE("configs and variants the table cannot run are input errors with a pointer", "[pgtable][runner]") {
  Case c = parsed(kCase);
  c.config.oas = 38;  // no TCR.IPS encoding
  CHECK(input_error_pointer(c) == "/config/oas");
  c.config.pgtable = PgtableKind::ref;  // validate() lets the reference table have it...
  CHECK(input_error_pointer(c, "ref") == "no error");
  CHECK(input_error_pointer(c, "impl") == "/config/oas");  // ...but not the LPAE one
  // Stage 2, 4K, oas 40: the walk must start at level 1 on concatenated tables, and a 44-bit
  // ias would need 32 of them.
  Case s2 = parsed(kCase);
  s2.config.format = Format::arm64_lpae_s2;
  s2.config.ias = 44;
  s2.config.oas = 40;
  CHECK(input_error_pointer(s2) == "/config/ias");
  CHECK(input_error_pointer(parsed(kCase), "nonesuch") == "/variant");
  Case other = parsed(kCase);
  other.ops.push_back({op::IovaReserve{1, 2}, {}});
  CHECK(input_error_pointer(other) == "/ops/9/op");
  // The case parser says the same through validate().
  std::string text = kCase;
  text.replace(text.find("\"partial_unmap\""), 0, "\"oas\": 33, ");
  try {
    parsed(text);
    FAIL("no input error");
  } catch (const InputError& e) {
    CHECK(e.pointer == "/config/oas");
  }
}
