#include "smt/prove.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "run/run.h"

namespace iovet::smt {
namespace {

ModelValues read_model(const z3::model& m, const Encoding& e) {
  ModelValues v;
  for (const auto& [name, term] : e.model_vars) v[name] = m.eval(term, true).get_numeral_uint64();
  return v;
}

std::string summary(const ModelValues& v) {
  std::string s;
  for (const auto& [name, value] : v) s += (s.empty() ? "" : " ") + name + "=" + hex(value);
  return s;
}

std::vector<std::string> observed(const Case& c, const std::string& variant) {
  const std::set<std::string> rules = run_case(c, RunOptions{variant, false}).rules();
  return {rules.begin(), rules.end()};
}

// Replays the case on the obligation's variant and on mainline; the case expects the rule and
// allows whatever else the variant shows.
Witness replay(Case c, const std::string& variant, const std::string& rule) {
  Witness w;
  w.observed = observed(c, variant);
  w.replays = std::find(w.observed.begin(), w.observed.end(), rule) != w.observed.end();
  w.mainline_observed = observed(c, "mainline");
  c.expect_rules = {rule};
  for (const std::string& r : w.observed)
    if (r != rule) c.allow_rules.push_back(r);
  w.c = std::move(c);
  return w;
}

void decide(const Obligation& ob, const ProveOptions& opt, ProofResult& r) {
  z3::context ctx;
  const Encoding e = ob.encode(ctx);
  z3::solver s(ctx);
  z3::params p(ctx);
  p.set("timeout", opt.timeout_ms);
  s.set(p);
  for (const auto& [what, term] : e.assumptions) s.add(term);
  switch (s.check()) {
    case z3::unsat:
      r.assumptions_sat = false;
      r.reason = "the assumptions are unsatisfiable: the claim would hold vacuously";
      return;
    case z3::unknown:
      r.status = ProofStatus::unknown;
      r.reason = "deciding the assumptions: " + s.reason_unknown();
      return;
    case z3::sat:
      r.assumptions_sat = true;
  }
  s.add(!e.goal);
  switch (s.check()) {
    case z3::unsat:
      r.status = ProofStatus::proved;
      return;
    case z3::unknown:
      r.status = ProofStatus::unknown;
      r.reason = s.reason_unknown();
      return;
    case z3::sat:
      break;
  }
  r.status = ProofStatus::counterexample;
  r.model = read_model(s.get_model(), e);
  r.reason = summary(r.model);
  if (!opt.witnesses || !e.witness) return;
  for (const z3::expr& c : e.realise) s.add(c);
  const z3::check_result realisable = s.check();
  if (realisable != z3::sat) {
    r.reason += realisable == z3::unsat ? "; no counterexample fits the case format, so no witness case"
                                        : "; finding a replayable counterexample: " + s.reason_unknown();
    return;
  }
  // The replayable model is the one reported, so the case and the model agree.
  r.model = read_model(s.get_model(), e);
  r.reason = summary(r.model);
  r.witness = replay(e.witness(r.model), ob.info.variant, ob.info.rule);
}

bool selected(const ObligationInfo& i, const ProveOptions& opt) {
  if (!opt.only.empty()) return i.id == opt.only;
  return opt.variant.empty() || i.variant == opt.variant || i.variant == "common";
}

}  // namespace

std::string_view proof_status_name(ProofStatus s) {
  switch (s) {
    case ProofStatus::proved: return "proved";
    case ProofStatus::counterexample: return "counterexample";
    case ProofStatus::unknown: return "unknown";
    case ProofStatus::error: return "error";
  }
  return "error";
}

std::vector<ObligationInfo> list_obligations() {
  std::vector<ObligationInfo> out;
  for (const Obligation& ob : catalog()) {
    ObligationInfo info = ob.info;
    z3::context ctx;
    for (const auto& [what, term] : ob.encode(ctx).assumptions) info.assumptions.push_back(what);
    out.push_back(std::move(info));
  }
  return out;
}

ProofResult prove(const Obligation& ob, const ProveOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  ProofResult r;
  r.id = ob.info.id;
  r.variant = ob.info.variant;
  r.statement = ob.info.statement;
  r.rule = ob.info.rule;
  try {
    decide(ob, opt, r);
  } catch (const z3::exception& ex) {
    r.status = ProofStatus::error;
    r.reason = std::string("Z3: ") + ex.msg();
  } catch (const std::exception& ex) {
    r.status = ProofStatus::error;
    r.reason = ex.what();
  }
  r.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::vector<ProofResult> prove_all(const ProveOptions& opt) {
  std::vector<const Obligation*> todo;
  for (const Obligation& ob : catalog())
    if (selected(ob.info, opt)) todo.push_back(&ob);
  // Two workers (the machine's cores), each obligation in its own Z3 context; results keep
  // catalogue order.
  std::vector<ProofResult> out(todo.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < todo.size();) out[i] = prove(*todo[i], opt);
  };
  std::thread helper(worker);
  worker();
  helper.join();
  return out;
}

}  // namespace iovet::smt
