// `iovet prove` (and the proof part of `iovet check`): the Z3 obligations of a variant, each
// proved or refuted with a counterexample case that replays.
#include <chrono>
#include <filesystem>
#include <set>

#include "cli/commands.h"
#include "run/run.h"
#include "run/variants.h"
#include "smt/obligation.h"
#include "smt/prove.h"
#include "smt/tree_check.h"
#include "spec/rules.h"

namespace iovet::cli {

static Status proof_row_status(const smt::ProofResult& p, bool out_of_contract) {
  switch (p.status) {
    case smt::ProofStatus::proved: return Status::pass;
    case smt::ProofStatus::unknown: return Status::skip;
    case smt::ProofStatus::error: return Status::error;
    case smt::ProofStatus::counterexample: {
      const Rule* r = find_rule(p.rule);
      return out_of_contract || (r && r->cls == RuleClass::hardening) ? Status::warn : Status::fail;
    }
  }
  return Status::error;
}

// Goes before the proof result: on a kernel tree a proof is believed only when its encoding
// agreed with the tree's function on every input; a disagreement makes the row an error.
static void add_tree_check(ResultRow& row, const smt::TreeAgreement& t) {
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

void add_proof_rows(Report& rep, const ProveArgs& a) {
  smt::ProveOptions opt;
  opt.variant = a.variant;
  opt.only = a.only;
  opt.timeout_ms = a.timeout_ms;
  if (!a.corpus_out.empty()) std::filesystem::create_directories(a.corpus_out);
  std::set<std::string> out_of_contract;
  // From the catalogue's descriptions: list_obligations() would encode every obligation again.
  for (const smt::Obligation& o : smt::catalog())
    if (o.info.out_of_contract) out_of_contract.insert(o.info.id);
  // A kernel tree runs the code the mainline and impl encodings model.
  const Variant* tree = find_variant(a.variant);
  if (!tree || !tree->tree || a.tree_inputs == 0) tree = nullptr;
  opt.kernel_tree = tree != nullptr;
  std::vector<smt::ProofResult> proofs = smt::prove_all(opt);
  std::map<std::string, smt::TreeAgreement> tree_checks;
  if (tree) {
    std::vector<std::string> ids;
    for (const smt::ProofResult& p : proofs) ids.push_back(p.id);
    tree_checks = smt::check_against_tree(tree->tree(), ids, {a.seed, a.tree_inputs});
  }
  for (smt::ProofResult& p : proofs) {
    const bool ooc = out_of_contract.count(p.id) > 0;
    ResultRow row;
    row.name = p.id;
    row.kind = "proof";
    row.status = proof_row_status(p, ooc);
    row.message = p.reason;
    row.time_s = p.time_s;
    if (ooc && p.status == smt::ProofStatus::counterexample) row.message = "out-of-contract input: " + row.message;
    if (p.status == smt::ProofStatus::counterexample && !p.rule.empty()) row.rules.push_back(p.rule);
    if (p.status == smt::ProofStatus::unknown) row.message = "unknown: " + p.reason;
    if (auto t = tree_checks.find(p.id); t != tree_checks.end()) add_tree_check(row, t->second);
    // A DMA counterexample's case replayed on the tree too: whether its code has the finding.
    if (tree && p.witness && p.witness->c.target == Target::dma) {
      const bool seen = run_case(p.witness->c, RunOptions{a.variant, false}).rules().count(p.rule) > 0;
      row.message += (seen ? "; its case replays on " : "; its case runs without " + p.rule + " on ") + a.variant +
                     (seen ? " (" + p.rule + ")" : "");
    }
    if (p.witness && !a.corpus_out.empty()) {
      const Case& c = p.witness->c;
      if (!p.witness->replays) row.message += " (the counterexample case does not replay)";
      row.case_path = write_finding(a.corpus_out, c);
    }
    rep.rows.push_back(std::move(row));
  }
}

int prove(const ProveArgs& a, const Output& out) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"prove", std::nullopt, a.variant.empty() ? "all" : a.variant, 0, {}};
  add_proof_rows(rep, a);
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
