#include <catch2/catch.hpp>

#include "report/report.h"

using namespace iovet;
using json = nlohmann::ordered_json;

namespace {

Report sample() {
  Report r;
  r.command = "check";
  r.seed = 1234;
  r.variant = "mainline";
  r.elapsed_s = 12.3;
  r.rows.push_back({"dma.map_sg.stateful", "property", Status::fail, {"sg.boundary"},
                    "segment 1 [0xffff0000,+0x20000) crosses 0x100000000",
                    "corpus/found/dma-map_sg-0001.json", 0.41, 318, {}});
  r.rows.push_back({"iova.alloc", "property", Status::pass, {}, "", "", 0.25, 200, {}});
  r.rows.push_back({"sg.contiguity.smt", "proof", Status::warn, {"sg.contiguity"},
                    "two entries not merged", "corpus/found/sg-0002.json", 1.5, std::nullopt, {}});
  r.rows.push_back({"broken", "case", Status::error, {}, "bad.json: /ops/3/id: dangling",
                    "corpus/x/broken.json", 0, std::nullopt, {}});
  r.rows.push_back({"pt.s2", "proof", Status::skip, {}, "z3 not built in", "", 0, std::nullopt, {}});
  return r;
}

Report only(Status s) {
  Report r;
  r.command = "replay";
  r.rows.push_back({"x", "case", s, {}, "", "", 0, std::nullopt, {}});
  return r;
}

}  // namespace

TEST_CASE("JSON report matches corpus-format section 4 field by field", "[report][json]") {
  const json j = report_to_json(sample());
  const json expected = json::parse(R"({
    "tool": "iovet", "version": ")" IOVET_VERSION R"(", "command": "check",
    "seed": 1234, "variant": "mainline", "elapsed_s": 12.3,
    "results": [
      { "name": "dma.map_sg.stateful", "kind": "property", "status": "fail",
        "rules": ["sg.boundary"], "message": "segment 1 [0xffff0000,+0x20000) crosses 0x100000000",
        "case": "corpus/found/dma-map_sg-0001.json", "time_s": 0.41, "runs": 318 },
      { "name": "iova.alloc", "kind": "property", "status": "pass", "rules": [], "message": "",
        "time_s": 0.25, "runs": 200 },
      { "name": "sg.contiguity.smt", "kind": "proof", "status": "warn", "rules": ["sg.contiguity"],
        "message": "two entries not merged", "case": "corpus/found/sg-0002.json", "time_s": 1.5 },
      { "name": "broken", "kind": "case", "status": "error", "rules": [],
        "message": "bad.json: /ops/3/id: dangling", "case": "corpus/x/broken.json", "time_s": 0 },
      { "name": "pt.s2", "kind": "proof", "status": "skip", "rules": [], "message": "z3 not built in",
        "time_s": 0 }
    ],
    "summary": { "pass": 1, "fail": 1, "warn": 1, "error": 1, "skip": 1 }
  })");
  CHECK(j == expected);
  // Key order is part of what people diff.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"tool", "version", "command", "seed", "variant",
                                         "elapsed_s", "results", "summary"});
  const std::string text = render_json(sample());
  CHECK(json::parse(text) == j);
  CHECK(text.back() == '\n');
  CHECK(text.find("0.41,") != std::string::npos);  // not 0.41000000000000003
}

TEST_CASE("JSON report leaves out an unknown seed", "[report][json]") {
  Report r = sample();
  r.seed.reset();
  CHECK_FALSE(report_to_json(r).contains("seed"));
}

TEST_CASE("KTAP report: version, plan, one result line per row, diagnostics before it",
          "[report][ktap]") {
  const std::string expected =
      "KTAP version 1\n"
      "1..5\n"
      "# iovet " IOVET_VERSION " check variant=mainline seed=1234\n"
      "# rules: sg.boundary\n"
      "# segment 1 [0xffff0000,+0x20000) crosses 0x100000000\n"
      "# case: corpus/found/dma-map_sg-0001.json\n"
      "not ok 1 dma.map_sg.stateful\n"
      "ok 2 iova.alloc\n"
      "# rules: sg.contiguity\n"
      "# two entries not merged\n"
      "# case: corpus/found/sg-0002.json\n"
      "ok 3 sg.contiguity.smt # warn: sg.contiguity\n"
      "# bad.json: /ops/3/id: dangling\n"
      "# case: corpus/x/broken.json\n"
      "not ok 4 broken # ERROR bad.json: /ops/3/id: dangling\n"
      "# z3 not built in\n"
      "ok 5 pt.s2 # SKIP z3 not built in\n"
      "# Totals: pass:1 fail:1 warn:1 error:1 skip:1\n";
  CHECK(render_ktap(sample()) == expected);
}

TEST_CASE("KTAP keeps every result on one line and '#' out of names", "[report][ktap]") {
  Report r = only(Status::fail);
  r.rows[0].name = "a#b";
  r.rows[0].message = "line one\nline two";
  const std::string k = render_ktap(r);
  CHECK(k.find("# line one\n# line two\nnot ok 1 a_b\n") != std::string::npos);
  CHECK(render_ktap(Report{}).find("KTAP version 1\n1..0\n") == 0);
}

TEST_CASE("text report: one line per row and a summary", "[report][text]") {
  const std::string t = render_text(sample());
  CHECK(t ==
        "FAIL  dma.map_sg.stateful  [sg.boundary]  segment 1 [0xffff0000,+0x20000) crosses "
        "0x100000000  (case corpus/found/dma-map_sg-0001.json)\n"
        "PASS  iova.alloc\n"
        "WARN  sg.contiguity.smt  [sg.contiguity]  two entries not merged  (case "
        "corpus/found/sg-0002.json)\n"
        "ERROR broken  bad.json: /ops/3/id: dangling  (case corpus/x/broken.json)\n"
        "SKIP  pt.s2  z3 not built in\n"
        "iovet check: 5 results: 1 pass, 1 fail, 1 warn, 1 error, 1 skip (12.30 s)\n");
}

TEST_CASE("summary counts and exit codes", "[report][exit]") {
  const Summary s = summarize(sample());
  CHECK(s.total() == 5);
  CHECK(exit_code(Report{}, false) == 0);
  CHECK(exit_code(only(Status::pass), true) == 0);
  CHECK(exit_code(only(Status::skip), true) == 0);
  CHECK(exit_code(only(Status::warn), false) == 0);
  CHECK(exit_code(only(Status::warn), true) == 1);
  CHECK(exit_code(only(Status::fail), false) == 1);
  CHECK(exit_code(only(Status::error), false) == 2);
  CHECK(exit_code(sample(), false) == 2);  // an error outranks a failure
  Report r = sample();
  r.rows.erase(r.rows.begin() + 3);
  CHECK(exit_code(r, false) == 1);
}
