// `iovet prove` (and the proof part of `iovet check`): the Z3 obligations of a variant, each
// proved or refuted with a counterexample case that replays.
#include <chrono>
#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "run/run.h"
#include "run/variants.h"
#include "smt/obligation.h"
#include "smt/prove.h"
#include "smt/tree_check.h"

namespace iovet::cli {

static Status proof_row_status(const smt::ProofResult& p, bool out_of_contract) {
  switch (p.status) {
    case smt::ProofStatus::proved: return Status::pass;
    case smt::ProofStatus::unknown: return Status::skip;
    case smt::ProofStatus::error: return Status::error;
    case smt::ProofStatus::counterexample: {
      return out_of_contract ? Status::warn : finding_status(p.rule);
    }
  }
  return Status::error;
}

namespace {

smt::ProveOptions prove_options(const ProveArgs& a) {
  smt::ProveOptions opt;
  opt.variant = a.variant;
  opt.only = a.only;
  opt.timeout_ms = a.timeout_ms;
  if (!a.corpus_out.empty()) std::filesystem::create_directories(a.corpus_out);
  return opt;
}

// A proof's row; its counterexample case goes to corpus_out.
ResultRow proof_row(const smt::ProofResult& p, const smt::ObligationInfo& info, const std::string& corpus_out) {
  const bool ooc = info.out_of_contract;
  ResultRow row;
  row.name = p.id;
  row.kind = "proof";
  row.status = proof_row_status(p, ooc);
  row.message = p.reason;
  row.time_s = p.time_s;
  if (ooc && p.status == smt::ProofStatus::counterexample) row.message = "out-of-contract input: " + row.message;
  if (p.status == smt::ProofStatus::counterexample && !p.rule.empty()) row.rules.push_back(p.rule);
  if (p.status == smt::ProofStatus::unknown) row.message = "unknown: " + p.reason;
  if (p.witness && !corpus_out.empty()) {
    if (!p.witness->replays) row.message += " (the counterexample case does not replay)";
    row.case_path = write_finding(corpus_out, p.witness->c);
  }
  return row;
}

// Goes before the proof result: on a kernel tree a proof is believed only when its encoding
// agreed with the tree's function on every input; a disagreement makes the row an error.
void add_tree_check(ResultRow& row, const smt::TreeAgreement& t) {
  std::string head;
  if (!t.checked()) {
    head = "not checked against the tree: " + t.note;
  } else {
    head = "checked against " + t.against + ": " + std::to_string(t.agree) + "/" + std::to_string(t.inputs) + " agree";
    if (!t.note.empty()) head += " (" + t.note + ")";
    if (t.version_differences)
      head += "; " + std::to_string(t.version_differences) + " of them on a version difference, first: " + t.version_difference;
    row.tree_check = ResultRow::TreeCheck{t.against, t.inputs, t.agree, t.disagreement};
    if (!t.agrees()) {
      row.status = Status::error;
      head += "; the encoding and the tree DISAGREE at " + t.disagreement;
    }
  }
  row.message = row.message.empty() ? head : head + "; " + row.message;
}

}  // namespace

std::vector<RowJob> proof_jobs(const ProveArgs& a) {
  smt::ProveOptions opt = prove_options(a);
  opt.threads = 1;  // the pool's other jobs fill the other cores
  std::vector<RowJob> jobs;
  for (const smt::Obligation* ob : smt::selected_obligations(opt))
    jobs.push_back({ob->info.id, "proof", [ob, opt, corpus_out = a.corpus_out] {
                      return proof_row(smt::prove(*ob, opt), ob->info, corpus_out);
                    }});
  return jobs;
}

int prove(const ProveArgs& a, const Output& out) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"prove", std::nullopt, a.variant.empty() ? "all" : a.variant, 0, {}, std::nullopt, {}};
  smt::ProveOptions opt = prove_options(a);
  // A kernel tree runs the code the mainline and impl encodings model.
  const Variant* tree = find_variant(a.variant);
  if (!tree || !tree->tree || a.tree_inputs == 0) tree = nullptr;
  opt.kernel_tree = tree != nullptr;
  const std::vector<const smt::Obligation*> obs = smt::selected_obligations(opt);
  const std::vector<smt::ProofResult> proofs = smt::prove_all(opt);
  std::map<std::string, smt::TreeAgreement> tree_checks;
  if (tree) {
    std::vector<std::string> ids;
    for (const smt::ProofResult& p : proofs) ids.push_back(p.id);
    tree_checks = smt::check_against_tree(tree->tree(), ids, {a.seed, a.tree_inputs});
  }
  for (std::size_t k = 0; k < proofs.size(); ++k) {
    const smt::ProofResult& p = proofs[k];
    ResultRow row = proof_row(p, obs[k]->info, a.corpus_out);
    if (auto t = tree_checks.find(p.id); t != tree_checks.end()) add_tree_check(row, t->second);
    // A DMA counterexample's case replayed on the tree too: whether its code has the finding.
    if (tree && p.witness && p.witness->c.target == Target::dma) {
      const bool seen = run_case(p.witness->c, RunOptions{a.variant, false}).rules().count(p.rule) > 0;
      row.message += (seen ? "; its case replays on " : "; its case runs without " + p.rule + " on ") + a.variant +
                     (seen ? " (" + p.rule + ")" : "");
    }
    rep.rows.push_back(std::move(row));
  }
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
