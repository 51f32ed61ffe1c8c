// `iovet prove` (and the proof part of `iovet check`): the Z3 obligations of a variant, each
// proved or refuted with a counterexample case that replays.
#include <chrono>
#include <filesystem>
#include <set>

#include "cli/commands.h"
#include "smt/obligation.h"
#include "smt/prove.h"
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
  for (smt::ProofResult& p : smt::prove_all(opt)) {
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
  Report rep{"prove", std::nullopt, a.variant.empty() ? "all" : a.variant, 0, {}, std::nullopt, {}};
  add_proof_rows(rep, a);
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
