// The catalogue as a whole, checked against the proof table of README.md: every obligation's
// status is the documented one (so a proof that regresses to unknown, or a new
// counterexample, fails), no claim holds vacuously, mainline has no counterexample but its
// one documented out-of-contract finding, seed-v5's counterexamples replay on seed-v5 and
// run clean on mainline, every counterexample and case is the one proving its obligation
// alone gives, every committed corpus case found by smt is what the engine writes today, and
// the SMMU RIL counterexample replays on the smmu stack. Timing lives in bench/bench_smt.cpp, not here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "case/case_json.h"
#include "run/run.h"
#include "smt/obligation.h"
#include "smt/prove.h"

using namespace iovet;
using namespace iovet::smt;

namespace {

const std::vector<ProofResult>& all_results() {
  static const std::vector<ProofResult> r = [] {
    // A generous per-query timeout: the statuses are claims about the encodings, and a test
    // running beside others on 2 cores must not turn a 3 s proof into "unknown".
    std::vector<ProofResult> out = prove_all(ProveOptions{"", "", 20000, true});
    for (const ProofResult& p : out)
      std::cout << p.id << " " << proof_status_name(p.status) << " " << p.time_s << "s " << p.reason
                << (p.witness ? (p.witness->replays ? " [replays]" : " [does not replay]") : "")
                << (p.witness ? (p.witness->mainline_clean() ? " [mainline clean]" : " [mainline flagged]") : "")
                << "\n";
    return out;
  }();
  return r;
}

// mainline's u32 test `max_len - cur_len >= s_length` wraps once entry 0 alone exceeds
// max_seg_size (an input outside the dma_parms contract), and merges anyway.
const std::set<std::string> kMainlineFindings = {"mainline.finalise.no_merge_after_oversized_entry"};

// README.md's table of proof results: one row per claim, a column per variant. A common.* or
// impl.* row names its obligation; another row's claim is prefixed with its column's variant.
// Returns each obligation id with the cells that name it ("–" names none).
std::map<std::string, std::vector<std::string>> readme_results() {
  std::ifstream in(IOVET_SOURCE_DIR "/README.md");
  const auto cells = [](const std::string& row) {
    std::vector<std::string> v;
    std::stringstream ss(row.substr(1));
    for (std::string c; std::getline(ss, c, '|');) {
      std::erase(c, '`');
      const auto first = c.find_first_not_of(' '), last = c.find_last_not_of(' ');
      v.push_back(first == std::string::npos ? "" : c.substr(first, last - first + 1));
    }
    return v;
  };
  std::map<std::string, std::vector<std::string>> out;
  std::vector<std::string> columns;
  for (std::string line; std::getline(in, line);) {
    if (columns.empty()) {
      if (line.starts_with("| obligation | seed-v5 |")) columns = cells(line);
      continue;
    }
    if (!line.starts_with("|")) break;
    if (line.starts_with("|---")) continue;
    const std::vector<std::string> row = cells(line);
    REQUIRE(row.size() == columns.size());
    const bool named = row[0].starts_with("common.") || row[0].starts_with("impl.");
    for (std::size_t i = 1; i < row.size(); ++i)
      if (row[i] != "–") out[named ? row[0] : columns[i] + "." + row[0]].push_back(row[i]);
  }
  return out;
}

}  // namespace

// One TEST_CASE, since ctest runs every TEST_CASE in a process of its own and the catalogue is
// proved once per process; each check is a SECTION that passes or fails on its own.
TEST_CASE("the proof catalogue", "[smt][catalogue]") {
  SECTION("every obligation has the result README.md's table reports") {
    const std::map<std::string, std::vector<std::string>> readme = readme_results();
    REQUIRE(all_results().size() == catalog().size());
    REQUIRE(readme.size() == catalog().size());
    for (const ProofResult& r : all_results()) {
      INFO(r.id << ": " << proof_status_name(r.status) << " " << r.reason);
      REQUIRE(readme.count(r.id) == 1);
      const std::vector<std::string>& said = readme.at(r.id);
      // A common obligation holds for each of the three variants alike, anything else for one.
      CHECK(said.size() == (r.variant == "common" ? 3u : 1u));
      for (const std::string& cell : said) {
        INFO(cell);
        CHECK((r.status == ProofStatus::proved || r.status == ProofStatus::counterexample));
        CHECK(cell.starts_with(r.status == ProofStatus::proved ? "proved" : "counterexample"));
        const auto& ob = *std::find_if(catalog().begin(), catalog().end(),
                                       [&](const Obligation& o) { return o.info.id == r.id; });
        CHECK((cell.find("out of contract") != std::string::npos) == ob.info.out_of_contract);
        CHECK((cell.find("replays") != std::string::npos) == (r.witness && r.witness->replays));
      }
    }
  }

  SECTION("every obligation's assumptions are satisfiable") {
    for (const ProofResult& r : all_results()) {
      INFO(r.id << ": " << r.reason);
      CHECK(r.assumptions_sat == std::optional<bool>(true));
    }
  }

  SECTION("mainline has no counterexample but the documented out-of-contract finding") {
    int mainline = 0;
    for (const ProofResult& r : all_results()) {
      if (r.variant != "mainline") continue;
      ++mainline;
      INFO(r.id << ": " << proof_status_name(r.status) << " " << r.reason);
      if (!kMainlineFindings.count(r.id)) {
        CHECK(r.status != ProofStatus::counterexample);
        CHECK(r.status != ProofStatus::error);
        continue;
      }
      // The finding must stay a real one: its case fails on mainline itself, and its input
      // really has an entry longer than max_seg_size.
      REQUIRE(r.status == ProofStatus::counterexample);
      REQUIRE(r.witness);
      CHECK(r.witness->replays);
      CHECK(r.model.at("length0") > r.model.at("max_seg_size"));
      CHECK(judge_replay(r.witness->c, run_case(r.witness->c, RunOptions{"mainline", false})).status == Status::pass);
    }
    CHECK(mainline >= 7);
  }

  SECTION("seed-v5's counterexamples replay on seed-v5 and run clean on mainline") {
    int counterexamples = 0;
    for (const ProofResult& r : all_results()) {
      if (r.variant != "seed-v5" || r.status != ProofStatus::counterexample) continue;
      INFO(r.id << ": " << r.reason);
      // Counterexamples that need lengths or addresses beyond the case format's have no case.
      if (!r.witness) continue;
      ++counterexamples;
      const Case& c = r.witness->c;
      CHECK(c.expect_rules == std::vector<std::string>{r.rule});
      // Replayed independently of prove(): the case passes its own expectation on seed-v5...
      const RunResult on_seed = run_case(c, RunOptions{"seed-v5", false});
      CHECK(on_seed.rules().count(r.rule) == 1);
      CHECK(judge_replay(c, on_seed).status == Status::pass);
      // ...and mainline maps the same list without any violation.
      const RunResult on_mainline = run_case(c, RunOptions{"mainline", false});
      CHECK(on_mainline.violations.empty());
    }
    CHECK(counterexamples >= 2);
  }

  SECTION("each counterexample and its case are those of proving the obligation alone") {
    // Z3's QF_BV tactic takes another path once the process's Z3 memory passes 300 MB, so a
    // model could depend on what else was being proved at the time.
    int counterexamples = 0;
    for (const ProofResult& r : all_results()) {
      if (r.status != ProofStatus::counterexample) continue;
      ++counterexamples;
      INFO(r.id);
      const ProofResult alone = prove_all(ProveOptions{"", r.id, 20000, true}).at(0);
      CHECK(alone.model == r.model);
      REQUIRE(alone.witness.has_value() == r.witness.has_value());
      if (r.witness) CHECK(case_to_json(alone.witness->c).dump() == case_to_json(r.witness->c).dump());
    }
    CHECK(counterexamples >= 8);
  }

  SECTION("every committed corpus case found by smt is the engine's case, byte for byte") {
    // Regenerate with `iovet prove --corpus-out DIR` when an encoding change moves a model.
    int committed = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(IOVET_SOURCE_DIR "/corpus")) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const Case c = parse_case_text(text.str(), entry.path().string(), true, nullptr);
      if (!c.provenance.is_object() || c.provenance.value("found_by", "") != "smt") continue;
      ++committed;
      const std::string id = c.provenance.value("obligation", "");
      INFO(entry.path().string() << " from " << id);
      const auto it = std::find_if(all_results().begin(), all_results().end(),
                                   [&](const ProofResult& r) { return r.id == id; });
      REQUIRE(it != all_results().end());
      REQUIRE(it->witness.has_value());
      CHECK(case_to_text(it->witness->c) == text.str());
    }
    CHECK(committed >= 5);
  }

  SECTION("the SMMU RIL counterexample replays on the smmu stack as an unmap left cached") {
    const auto it = std::find_if(all_results().begin(), all_results().end(),
                                 [](const ProofResult& r) { return r.id == "impl.smmu.tlbi_range_exact"; });
    REQUIRE(it != all_results().end());
    const ProofResult& r = *it;
    INFO(r.reason);
    REQUIRE(r.status == ProofStatus::counterexample);
    REQUIRE(r.witness);
    CHECK(r.witness->replays);
    // The model is the first iteration of an unmap of at least 2^32 4K pages (SCALE >= 32).
    CHECK(r.model.at("tg_shift") == 12);
    CHECK(r.model.at("loop_iova") == r.model.at("iova"));
    CHECK(r.model.at("loop_pages") == r.model.at("size") >> 12);
    CHECK(r.model.at("size") >= (u64{1} << 44));
    // Replayed independently of prove(), on the variant the case names: the smmu stack.
    const Case& c = r.witness->c;
    CHECK(c.target == Target::smmu);
    CHECK(c.expect_rules == std::vector<std::string>{"smmu.invalidation"});
    const RunResult run = run_case(c, RunOptions{});
    CHECK(run.rules().count("smmu.invalidation") == 1);
    CHECK(judge_replay(c, run).status == Status::pass);
  }
}
