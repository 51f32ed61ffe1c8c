// Replays a case on an implementation and judges every observation against the spec.
// One runner per target (dma_runner.cpp, iova_runner.cpp, pgtable_runner.cpp); this is the
// single entry point the CLI and the properties use.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "case/case.h"
#include "run/explain_figure.h"
#include "spec/rules.h"

namespace iovet {

// One line of the readable trace that `iovet explain` prints, or a figure drawn there.
struct TraceLine {
  TraceLine() = default;
  TraceLine(int op, std::string text) : op(op), text(std::move(text)) {}
  TraceLine(int op, Figure f) : op(op), figure(std::move(f)) {}
  int op = -1;  // -1 for notes that belong to no op
  std::string text;
  std::optional<Figure> figure;  // drawn in place of the text
};

struct RunResult {
  std::vector<Violation> violations;
  std::vector<std::string> expect_failures;  // per-op expectations that did not hold
  std::vector<std::string> warnings;         // WARN()s of the modelled kernel, with op index
  int misuse_from = -1;                      // first misuse op (dma), or -1
  std::vector<TraceLine> trace;              // filled when RunOptions::trace is set
  // What the unit under test returned, op by op, in words every implementation shares (return
  // values, IOVAs, segments, leaves, flushes, whether it warned): filled when
  // RunOptions::observe is set, for `iovet diff`.
  std::vector<TraceLine> observed;
  // Observations counted but never violations (smmu.over_invalidations: TLBIs that removed
  // nothing an unmap had left).
  std::map<std::string, u64> counters;
  std::set<std::string> rules() const;       // the distinct rule ids violated
};

struct RunOptions {
  std::string variant;  // empty: the case's own variant, else the default (mainline)
  bool trace = false;
  bool observe = false;
};

// Throws InputError (case/input_error.h) when the case cannot run (unknown variant, an op of
// another target, a dangling id).
RunResult run_case(const Case& c, const RunOptions& opt);

// The variant a run uses: opt.variant, else the case's, else "mainline".
std::string effective_variant(const Case& c, const RunOptions& opt);

// Why the variant cannot take the case's configuration at all (run_case would throw an
// InputError for it); nullopt when it can or the variant is unknown. Campaigns discard these.
std::optional<std::string> refused(const Case& c, const RunOptions& opt);

enum class Status { pass, fail, warn, error, skip };
std::string_view status_name(Status s);
// A finding of this rule, as every command reports it: warn for a hardening rule, fail for a
// contract one (and for a rule the catalogue does not know).
Status finding_status(const std::string& rule);

struct Verdict {
  Status status = Status::pass;
  std::string message;  // why it failed, one line
};

// Replay semantics (corpus-format.md section 1 and 2): pass iff every rule in expect.rules was
// observed, every observed rule is in rules or allow, and every per-op expectation held.
Verdict judge_replay(const Case& c, const RunResult& r);

}  // namespace iovet
