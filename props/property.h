// A property campaign: random cases from a generator, run and judged by the spec, failures
// shrunk by RapidCheck to minimal cases that `iovet replay` reproduces.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "case/case.h"
#include "run/run.h"

namespace iovet {

struct CampaignOptions {
  u64 seed = 1;
  int runs = 200;          // generated cases per property
  double budget_s = 0;     // > 0: stop each property after this many seconds instead
  std::string variant;     // the implementation under test
  // Findings already known (signatures, props/finding.h): when the search shrinks to one of
  // them, a second stream of cases is searched, in which a case with a known signature passes.
  std::set<std::string> known;
};

struct PropertyResult {
  std::string name;
  Status status = Status::pass;
  std::set<std::string> rules;  // rules the minimal case violates
  std::string message;          // the first violation's explanation
  std::string signature;        // the finding's (props/finding.h), when it failed or warned
  std::optional<Case> minimal_case;
  int runs = 0;
  double time_s = 0;
  int found_after = 0;  // generated cases up to the first failing one; 0: none failed
  double found_s = 0;   // seconds to that case, before shrinking
  std::map<std::string, u64> counters;  // summed over every run
};

// Which ops of a case a property judges: a crash on valid use and a crash on misuse are
// different findings, each with its own minimal case.
enum class Phase { valid_use, misuse };

// Hunts one rule: holds iff no generated case violates `rule` in `phase`. Other rules'
// violations are ignored here so one bug cannot mask another (each rule has its own property).
struct Property {
  std::string name;  // stable id: RapidCheck's reproduce key and the report name
  Target target;
  std::string rule;
  Phase phase = Phase::valid_use;
  std::string flavor;  // empty: any violation of the rule
  std::function<rc::Gen<Case>(const std::string& variant)> gen;
};

// Whether a run shows the property's rule in its phase.
const Violation* hunted(const Property& p, const RunResult& r);

PropertyResult check_property(const Property& p, const CampaignOptions& opt);

}  // namespace iovet
