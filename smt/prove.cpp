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

// A fresh solver holding the assumptions. Split obligations get the non-incremental QF_BV
// solver (simplify, solve-eqs, bit-blast, SAT): a case's fixed mask or shift is propagated
// into every term before blasting.
// Unsplit obligations keep Z3's default solver, which decides them faster. Encodings asking for
// ctx_simplify get it between propagation and bit-blasting instead: it rewrites each term under
// the others (a fixed shift's consequences), which shrinks some queries before blasting.
z3::solver split_solver(z3::context& ctx, const Encoding& e) {
  if (!e.ctx_simplify) return z3::solver(ctx, "QF_BV");
  return (z3::tactic(ctx, "simplify") & z3::tactic(ctx, "propagate-values") & z3::tactic(ctx, "ctx-simplify") &
          z3::tactic(ctx, "solve-eqs") & z3::tactic(ctx, "bit-blast") & z3::tactic(ctx, "sat"))
      .mk_solver();
}

z3::solver fresh_solver(z3::context& ctx, const Encoding& e, unsigned timeout_ms) {
  z3::solver s = e.cases.empty() ? z3::solver(ctx) : split_solver(ctx, e);
  z3::params p(ctx);
  p.set("timeout", timeout_ms);
  s.set(p);
  for (const auto& [what, term] : e.assumptions) s.add(term);
  return s;
}

z3::expr any_of(z3::context& ctx, const std::vector<z3::expr>& v) {
  z3::expr d = ctx.bool_val(false);
  for (const z3::expr& c : v) d = d || c;
  return d;
}

// Whether the assumptions have a model (under the whole query, else case by case).
z3::check_result assumptions_satisfiable(z3::context& ctx, const Encoding& e, unsigned timeout_ms,
                                         std::string& why) {
  z3::solver s = fresh_solver(ctx, e, timeout_ms);
  z3::check_result r = s.check();
  if (r != z3::unknown) return r;
  why = s.reason_unknown();
  if (e.cases.empty()) return r;
  bool all_unsat = true;
  for (const z3::expr& c : e.cases) {
    z3::solver sc = fresh_solver(ctx, e, timeout_ms);
    sc.add(c);
    const z3::check_result rc = sc.check();
    if (rc == z3::sat) return z3::sat;
    if (rc == z3::unknown) {
      all_unsat = false;
      why = sc.reason_unknown();
    }
  }
  // Every case unsat and the split exhaustive (checked later) means unsat.
  return all_unsat ? z3::unsat : z3::unknown;
}

void decide(const Obligation& ob, const ProveOptions& opt, ProofResult& r) {
  z3::context ctx;
  const Encoding e = ob.encode(ctx);
  std::string why;
  switch (assumptions_satisfiable(ctx, e, opt.timeout_ms, why)) {
    case z3::unsat:
      r.assumptions_sat = false;
      r.reason = "the assumptions are unsatisfiable: the claim would hold vacuously";
      return;
    case z3::unknown:
      r.status = ProofStatus::unknown;
      r.reason = "deciding the assumptions: " + why;
      return;
    case z3::sat:
      r.assumptions_sat = true;
  }
  // The split must cover every model of the assumptions.
  const std::vector<z3::expr> cases = e.cases.empty() ? std::vector<z3::expr>{ctx.bool_val(true)} : e.cases;
  if (!e.cases.empty()) {
    z3::solver s = fresh_solver(ctx, e, opt.timeout_ms);
    s.add(!any_of(ctx, e.cases));
    const z3::check_result covered = s.check();
    if (covered != z3::unsat) {
      r.status = covered == z3::sat ? ProofStatus::error : ProofStatus::unknown;
      r.reason = covered == z3::sat ? "the case split misses models of the assumptions"
                                    : "checking the case split: " + s.reason_unknown();
      return;
    }
  }
  std::optional<std::size_t> failing;
  std::string unknown_reason;
  std::optional<z3::model> model;
  for (std::size_t i = 0; i < cases.size() && !failing; ++i) {
    z3::solver s = fresh_solver(ctx, e, opt.timeout_ms);
    s.add(cases[i]);
    s.add(!e.goal);
    switch (s.check()) {
      case z3::unsat:
        break;
      case z3::unknown:
        if (unknown_reason.empty())
          unknown_reason = (e.cases.empty() ? "" : "case " + std::to_string(i) + ": ") + s.reason_unknown();
        break;
      case z3::sat:
        failing = i;
        model = s.get_model();
    }
  }
  if (!failing) {
    if (unknown_reason.empty()) {
      r.status = ProofStatus::proved;
    } else {
      r.status = ProofStatus::unknown;
      r.reason = unknown_reason;
    }
    return;
  }
  r.status = ProofStatus::counterexample;
  r.model = read_model(*model, e);
  r.reason = summary(r.model);
  if (!opt.witnesses || !e.witness) return;
  // A replayable counterexample: the failing case first, then the others.
  std::vector<std::size_t> order{*failing};
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (i != *failing) order.push_back(i);
  bool any_unknown = false;
  for (std::size_t i : order) {
    z3::solver s = fresh_solver(ctx, e, opt.timeout_ms);
    s.add(cases[i]);
    s.add(!e.goal);
    for (const z3::expr& c : e.realise) s.add(c);
    const z3::check_result realisable = s.check();
    if (realisable == z3::unknown) any_unknown = true;
    if (realisable != z3::sat) continue;
    // The replayable model is the one reported, so the case and the model agree.
    r.model = read_model(s.get_model(), e);
    r.reason = summary(r.model);
    r.witness = replay(e.witness(r.model), ob.info.variant, ob.info.rule);
    return;
  }
  r.reason += any_unknown ? "; finding a replayable counterexample: a query timed out"
                          : "; no counterexample fits the case format, so no witness case";
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
