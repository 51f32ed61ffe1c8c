#include "smt/prove.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "run/run.h"
#include "smt/tree_check.h"

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

// Replays the case on the variant it names (the obligation's variant for dma cases; the smmu
// stack's variant for impl/ cases) and on mainline; the case expects the rule and allows
// whatever else the variant shows.
Witness replay(Case c, const std::string& rule) {
  Witness w;
  const std::string variant = effective_variant(c, RunOptions{});
  w.observed = observed(c, variant);
  w.replays = std::find(w.observed.begin(), w.observed.end(), rule) != w.observed.end();
  w.mainline_observed = variant == "mainline" ? w.observed : observed(c, "mainline");
  c.expect_rules = {rule};
  for (const std::string& r : w.observed)
    if (r != rule) c.allow_rules.push_back(r);
  w.c = std::move(c);
  return w;
}

// A fresh solver holding the assumptions. Tactic::standard: split obligations get the
// non-incremental QF_BV solver (simplify, solve-eqs, bit-blast, SAT), a case's fixed mask or
// shift propagated into every term before blasting; unsplit ones Z3's default solver. Both
// run Z3's QF_BV tactic, which also simplifies in context and rewrites through AIGs before
// blasting while the process's Z3 allocations stay under 300 MB. Tactic::blast goes straight
// from propagation to blasting, after eliminating unconstrained subterms and merging shared
// bit-vector terms, so less is blasted; Tactic::ctx_simplify first rewrites each term under
// the others (a fixed case's consequences), which shrinks some queries further.
z3::solver query_solver(z3::context& ctx, const Encoding& e) {
  if (e.tactic == Tactic::standard) return e.cases.empty() ? z3::solver(ctx) : z3::solver(ctx, "QF_BV");
  z3::tactic t = z3::tactic(ctx, "simplify") & z3::tactic(ctx, "propagate-values");
  if (e.tactic == Tactic::ctx_simplify) t = t & z3::tactic(ctx, "ctx-simplify");
  return (t & z3::tactic(ctx, "solve-eqs") & z3::tactic(ctx, "elim-uncnstr") & z3::tactic(ctx, "simplify") &
          z3::tactic(ctx, "max-bv-sharing") & z3::tactic(ctx, "bit-blast") & z3::tactic(ctx, "sat"))
      .mk_solver();
}

z3::solver fresh_solver(z3::context& ctx, const Encoding& e, const ProveOptions& opt) {
  z3::solver s = query_solver(ctx, e);
  z3::params p(ctx);
  p.set("timeout", opt.timeout_ms);
  p.set("rlimit", opt.rlimit);
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
z3::check_result assumptions_satisfiable(z3::context& ctx, const Encoding& e, const ProveOptions& opt,
                                         std::string& why) {
  z3::solver s = fresh_solver(ctx, e, opt);
  z3::check_result r = s.check();
  if (r != z3::unknown) return r;
  why = s.reason_unknown();
  if (e.cases.empty()) return r;
  bool all_unsat = true;
  for (const z3::expr& c : e.cases) {
    z3::solver sc = fresh_solver(ctx, e, opt);
    sc.add(c);
    const z3::check_result rc = sc.check();
    if (rc == z3::sat) return z3::sat;
    if (rc == z3::unknown) {
      all_unsat = false;
      why = sc.reason_unknown();
    }
  }
  // Every case unsat and the split exhaustive (checked too) means unsat.
  return all_unsat ? z3::unsat : z3::unknown;
}

// One obligation's encoding in one Z3 context. A context is single-threaded, so each worker
// encodes each obligation it works on once, in its own context (ctx is built before e).
struct Encoded {
  z3::context ctx;
  Encoding e;
  explicit Encoded(const Obligation& ob) : e(ob.encode(ctx)) {}
  std::size_t queries() const { return e.cases.empty() ? 1 : e.cases.size(); }
  z3::expr query_case(std::size_t i) { return e.cases.empty() ? ctx.bool_val(true) : e.cases[i]; }
};

// What the obligation-wide checks found: the assumptions' satisfiability and the split's coverage.
struct Prelude {
  z3::check_result assumptions = z3::unknown;
  std::string assumptions_why;
  z3::check_result uncovered = z3::unsat;  // assumptions ∧ no case
  std::string uncovered_why;
};

struct CaseOutcome {
  z3::check_result result = z3::unknown;
  std::string why;
  ModelValues model;  // sat
};

Prelude check_prelude(Encoded& enc, const ProveOptions& opt) {
  Prelude p;
  p.assumptions = assumptions_satisfiable(enc.ctx, enc.e, opt, p.assumptions_why);
  if (p.assumptions != z3::sat || enc.e.cases.empty()) return p;
  z3::solver s = fresh_solver(enc.ctx, enc.e, opt);
  s.add(!any_of(enc.ctx, enc.e.cases));
  p.uncovered = s.check();
  if (p.uncovered == z3::unknown) p.uncovered_why = s.reason_unknown();
  return p;
}

// assumptions ∧ case i ∧ ¬goal.
CaseOutcome check_case(Encoded& enc, std::size_t i, const ProveOptions& opt) {
  z3::solver s = fresh_solver(enc.ctx, enc.e, opt);
  s.add(enc.query_case(i));
  s.add(!enc.e.goal);
  CaseOutcome o;
  o.result = s.check();
  if (o.result == z3::unknown) o.why = s.reason_unknown();
  if (o.result == z3::sat) o.model = read_model(s.get_model(), enc.e);
  return o;
}

// A replayable counterexample: the failing case first, then the others, each with `realise`.
void find_witness(const Obligation& ob, Encoded& enc, std::size_t failing, const ProveOptions& opt,
                  ProofResult& r) {
  const Encoding& e = enc.e;
  std::vector<std::size_t> order{failing};
  for (std::size_t i = 0; i < enc.queries(); ++i)
    if (i != failing) order.push_back(i);
  bool any_unknown = false;
  for (std::size_t i : order) {
    z3::solver s = fresh_solver(enc.ctx, e, opt);
    s.add(enc.query_case(i));
    s.add(!e.goal);
    for (const z3::expr& c : e.realise) s.add(c);
    const z3::check_result realisable = s.check();
    if (realisable == z3::unknown) any_unknown = true;
    if (realisable != z3::sat) continue;
    // The replayable model is the one reported, so the case and the model agree.
    r.model = read_model(s.get_model(), e);
    r.reason = summary(r.model);
    r.witness = replay(e.witness(r.model), ob.info.rule);
    return;
  }
  r.reason += any_unknown ? "; finding a replayable counterexample: a query timed out"
                          : "; no counterexample fits the case format, so no witness case";
}

// One obligation in flight: its prelude and per-case outcomes as the workers report them.
struct Job {
  const Obligation* ob = nullptr;
  std::size_t queries = 0;
  std::optional<Prelude> prelude;
  std::vector<std::optional<CaseOutcome>> cases;
  std::string error;   // the first exception a task threw
  std::size_t pending = 0;  // tasks not yet finished
  double time_s = 0;   // summed over the tasks
};

// The status, from the prelude and the cases, exactly as deciding them in order would give:
// the first satisfiable case (in case order) is the counterexample. Returns it, if any.
std::optional<std::size_t> conclude(const Job& j, ProofResult& r) {
  if (!j.error.empty()) {
    r.status = ProofStatus::error;
    r.reason = j.error;
    return std::nullopt;
  }
  const Prelude& p = *j.prelude;
  switch (p.assumptions) {
    case z3::unsat:
      r.assumptions_sat = false;
      r.reason = "the assumptions are unsatisfiable: the claim would hold vacuously";
      return std::nullopt;
    case z3::unknown:
      r.status = ProofStatus::unknown;
      r.reason = "deciding the assumptions: " + p.assumptions_why;
      return std::nullopt;
    case z3::sat:
      r.assumptions_sat = true;
  }
  // The split must cover every model of the assumptions.
  if (p.uncovered != z3::unsat) {
    r.status = p.uncovered == z3::sat ? ProofStatus::error : ProofStatus::unknown;
    r.reason = p.uncovered == z3::sat ? "the case split misses models of the assumptions"
                                      : "checking the case split: " + p.uncovered_why;
    return std::nullopt;
  }
  std::string unknown_reason;
  for (std::size_t i = 0; i < j.queries; ++i) {
    const CaseOutcome& o = *j.cases[i];
    if (o.result == z3::sat) {
      r.status = ProofStatus::counterexample;
      r.model = o.model;
      r.reason = summary(r.model);
      return i;
    }
    if (o.result == z3::unknown && unknown_reason.empty())
      unknown_reason = (j.queries > 1 ? "case " + std::to_string(i) + ": " : "") + o.why;
  }
  r.status = unknown_reason.empty() ? ProofStatus::proved : ProofStatus::unknown;
  r.reason = unknown_reason;
  return std::nullopt;
}

// A unit of work: job `job`'s prelude (query == npos) or its case `query`.
struct Task {
  std::size_t job, query;
};
constexpr std::size_t kPrelude = static_cast<std::size_t>(-1);

// Proves the obligations with opt.threads workers (the machine's cores) taking single queries from
// one queue, so that no worker is left alone with the rest of a big split obligation. The
// single-query obligations come first (each is indivisible, some take seconds), then the
// split ones, most cases first, so the queue ends in small per-case queries. Results keep the
// given order and do not depend on which worker decided what.
std::vector<ProofResult> prove_list(const std::vector<const Obligation*>& obs, const ProveOptions& opt) {
  std::vector<Job> jobs(obs.size());
  std::vector<ProofResult> out(obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) {
    jobs[i].ob = obs[i];
    try {
      z3::context ctx;  // only to count the cases
      jobs[i].queries = std::max<std::size_t>(1, obs[i]->encode(ctx).cases.size());
    } catch (const std::exception& ex) {
      jobs[i].queries = 1;
      jobs[i].error = ex.what();
    }
    jobs[i].cases.resize(jobs[i].queries);
    jobs[i].pending = jobs[i].queries + 1;
    out[i].id = obs[i]->info.id;
    out[i].variant = obs[i]->info.variant;
    out[i].statement = obs[i]->info.statement;
    out[i].rule = obs[i]->info.rule;
  }
  std::vector<std::size_t> order(obs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto key = [&](std::size_t i) { return jobs[i].queries == 1 ? ~std::size_t{0} : jobs[i].queries; };
    return key(a) > key(b);
  });
  std::vector<Task> tasks;
  for (std::size_t j : order) {
    tasks.push_back({j, kPrelude});
    for (std::size_t q = 0; q < jobs[j].queries; ++q) tasks.push_back({j, q});
  }

  std::mutex m;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    // This worker's context for the job it is on. The queue holds each job's tasks together,
    // so a worker never comes back to an earlier job and drops that context: Z3's memory stays
    // small (under 100 MB; 760 MB when every context was kept). That matters beyond RAM: the
    // QF_BV tactic (default and QF_BV solvers) takes another path once the process's Z3
    // allocations pass 300 MB, with other models, so a counterexample would depend on what
    // else the run holds at the time.
    std::size_t mine_job = 0;
    std::unique_ptr<Encoded> mine;
    const auto encoded = [&](std::size_t j) -> Encoded& {
      if (!mine || mine_job != j) {
        mine.reset();
        mine = std::make_unique<Encoded>(*jobs[j].ob);
        mine_job = j;
      }
      return *mine;
    };
    for (std::size_t t; (t = next++) < tasks.size();) {
      const auto [j, q] = tasks[t];
      Job& job = jobs[j];
      const auto t0 = std::chrono::steady_clock::now();
      std::optional<Prelude> prelude;
      std::optional<CaseOutcome> outcome;
      std::string error;
      bool skip;
      {
        // A case after a known counterexample, or any after an error, cannot change the result.
        std::lock_guard<std::mutex> l(m);
        skip = !job.error.empty();
        for (std::size_t i = 0; q != kPrelude && i < q && !skip; ++i)
          skip = job.cases[i] && job.cases[i]->result == z3::sat;
      }
      try {
        if (skip) outcome = CaseOutcome{};
        else if (q == kPrelude) prelude = check_prelude(encoded(j), opt);
        else outcome = check_case(encoded(j), q, opt);
      } catch (const z3::exception& ex) {
        error = std::string("Z3: ") + ex.msg();
      } catch (const std::exception& ex) {
        error = ex.what();
      }
      bool last;
      {
        std::lock_guard<std::mutex> l(m);
        if (!error.empty() && job.error.empty()) job.error = error;
        if (prelude) job.prelude = std::move(prelude);
        if (q != kPrelude) job.cases[q] = outcome ? std::move(*outcome) : CaseOutcome{};
        job.time_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        last = --job.pending == 0;
      }
      if (!last) continue;
      // Every task of the job is done, so this worker alone touches it now.
      const auto t1 = std::chrono::steady_clock::now();
      ProofResult& r = out[j];
      const std::optional<std::size_t> failing = conclude(job, r);
      if (failing) {
        try {
          // Which model Z3 gives depends on what its context saw before, and the workers'
          // contexts saw what the schedule gave them: the model reported, and the witness, come
          // from a fresh context, so runs agree to the byte.
          Encoded enc(*job.ob);
          const CaseOutcome o = check_case(enc, *failing, opt);
          if (o.result == z3::sat) {
            r.model = o.model;
            r.reason = summary(r.model);
          }
          if (opt.witnesses && enc.e.witness) find_witness(*job.ob, enc, *failing, opt, r);
        } catch (const z3::exception& ex) {
          r.status = ProofStatus::error;
          r.reason = std::string("Z3: ") + ex.msg();
        } catch (const std::exception& ex) {
          r.status = ProofStatus::error;
          r.reason = ex.what();
        }
      }
      job.time_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      r.time_s = job.time_s;
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned k = 1; k < opt.threads; ++k) helpers.emplace_back(worker);
  worker();
  for (std::thread& h : helpers) h.join();
  return out;
}

bool selected(const ObligationInfo& i, const ProveOptions& opt) {
  if (!opt.only.empty()) return i.id == opt.only;
  if (opt.kernel_tree) return tree_covers(i.variant);
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

ProofResult prove(const Obligation& ob, const ProveOptions& opt) { return prove_list({&ob}, opt).front(); }

std::vector<const Obligation*> selected_obligations(const ProveOptions& opt) {
  std::vector<const Obligation*> chosen;
  for (const Obligation& ob : catalog())
    if (selected(ob.info, opt)) chosen.push_back(&ob);
  return chosen;
}

std::vector<ProofResult> prove_all(const ProveOptions& opt) { return prove_list(selected_obligations(opt), opt); }

}  // namespace iovet::smt
