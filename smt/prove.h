// The proof API the CLI calls: list the obligations, prove (a selection of) them.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "case/case.h"
#include "smt/obligation.h"

namespace iovet::smt {

enum class ProofStatus { proved, counterexample, unknown, error };
std::string_view proof_status_name(ProofStatus s);

struct ProveOptions {
  std::string variant;        // "" = all; otherwise that variant's obligations and the common ones
  std::string only;           // "" = all; otherwise exactly this obligation id
  unsigned timeout_ms = 60000;  // per Z3 query, wall clock: a backstop behind rlimit
  bool witnesses = true;      // build and replay a case for each counterexample
  // Threads sharing the queries: the machine's two cores, or 1 in a campaign's pool of
  // processes, which fills the cores with obligations instead.
  unsigned threads = 2;
  // Z3's resource limit per query ("rlimit": counted steps, the same on every run, unlike the
  // timeout, which a loaded machine reaches sooner). The catalogue's largest query takes about
  // 6 M; 0 is none.
  unsigned rlimit = 30'000'000;
  // Instead of variant's: the obligations a kernel tree is checked on (smt/tree_check.h's
  // tree_covers(): the common, mainline and impl ones).
  bool kernel_tree = false;
};

// A counterexample's case, with what replaying it showed.
struct Witness {
  Case c;                     // expect.rules = the obligation's rule; other observed rules in allow
  // run_case on the variant the case names observes the rule: the obligation's variant for a
  // dma case, the smmu stack's (mainline) for an impl/ obligation's smmu case.
  bool replays = false;
  std::vector<std::string> observed;           // rules observed on that variant
  std::vector<std::string> mainline_observed;  // rules observed replaying on mainline
  bool mainline_clean() const { return mainline_observed.empty(); }
};

struct ProofResult {
  std::string id;
  std::string variant;
  std::string statement;
  std::string rule;
  ProofStatus status = ProofStatus::error;
  // unknown: Z3's reason_unknown; error: what went wrong; counterexample: a one-line summary.
  std::string reason;
  // Whether the assumptions alone are satisfiable (false: the claim would hold vacuously, and
  // status is error). Empty when Z3 could not decide it.
  std::optional<bool> assumptions_sat;
  ModelValues model;          // counterexample
  std::optional<Witness> witness;
  double time_s = 0;          // spent on its queries, summed over the workers
};

std::vector<ObligationInfo> list_obligations();
ProofResult prove(const Obligation& ob, const ProveOptions& opt);
// The obligations opt selects (its variant's and the common ones, or opt.only), in catalogue order.
std::vector<const Obligation*> selected_obligations(const ProveOptions& opt);
// The selected obligations, in catalogue order; opt.threads workers share their queries (one per case).
std::vector<ProofResult> prove_all(const ProveOptions& opt);

}  // namespace iovet::smt
