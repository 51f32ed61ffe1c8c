// The catalogue as a whole, checked against what docs/proofs.md reports: every obligation's
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
#include <sstream>
#include <map>
#include <set>

#include "case/case_json.h"
#include "run/run.h"
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

constexpr ProofStatus P = ProofStatus::proved, C = ProofStatus::counterexample;

// The results table of docs/proofs.md.
const std::map<std::string, ProofStatus> kDocumented = {
    {"common.granule.offset_within_granule", P},
    {"common.granule.align_aligned", P},
    {"common.granule.align_bounds", P},
    {"common.granule.align_wraps_exactly", P},
    {"common.granule.align_idempotent", P},
    {"common.log2.roundup_pow_of_two_bounds", P},
    {"common.iova.size_aligned_window", P},
    {"seed-v5.map_sg.slot_within_boundary", C},
    {"v4.4.map_sg.slot_within_boundary", P},
    {"mainline.map_sg.slot_within_boundary", P},
    {"seed-v5.finalise.merge_within_max_seg_size", C},
    {"seed-v5.finalise.merge_within_boundary", C},
    {"seed-v5.finalise.merge_length_exact", C},
    {"seed-v5.finalise.merge_address_exact", C},
    {"seed-v5.finalise.no_merge_after_oversized_entry", C},
    {"v4.4.finalise.never_merges", P},
    {"v4.4.finalise.segment_exact", P},
    {"mainline.finalise.merge_within_max_seg_size", P},
    {"mainline.finalise.merge_within_boundary", P},
    {"mainline.finalise.merge_length_exact", P},
    {"mainline.finalise.merge_address_exact", P},
    {"mainline.finalise.no_merge_after_oversized_entry", C},
    {"seed-v5.map_page.offset_kept", P},
    {"v4.4.map_page.offset_kept", P},
    {"mainline.map_page.offset_kept", P},
    {"impl.lpae.index_partition", P},
    {"impl.lpae.index_fits_table", P},
    {"impl.lpae.ias_check_exact", P},
    {"impl.smmu.queue_occupancy", P},
    {"impl.smmu.queue_inc_prod", P},
    {"impl.smmu.queue_consumed", P},
    {"impl.smmu.tlbi_range_exact", C},
    {"impl.smmu.tlbi_range_exact_below_4g_pages", P},
    {"impl.smmu.tlbi_granule_exact", P},
};

}  // namespace

// One TEST_CASE, since ctest runs every TEST_CASE in a process of its own and the catalogue is
// proved once per process; each check is a SECTION that passes or fails on its own.
TEST_CASE("the proof catalogue", "[smt][catalogue]") {
  SECTION("every obligation has the status docs/proofs.md reports") {
    REQUIRE(all_results().size() == catalog().size());
    REQUIRE(kDocumented.size() == catalog().size());
    for (const ProofResult& r : all_results()) {
      INFO(r.id << ": " << proof_status_name(r.status) << " " << r.reason);
      REQUIRE(kDocumented.count(r.id) == 1);
      CHECK(r.status == kDocumented.at(r.id));
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
