// The search every campaign shares: draw cases from a generator (RapidCheck, seeded by the
// campaign seed mixed with a stable name) until one fails, then let RapidCheck shrink it; the
// last failing case seen is the minimum. `check` hunts a rule with it, `diff` a divergence.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include <rapidcheck.h>

#include "case/case.h"
#include "props/property.h"

namespace iovet {

struct SearchOutcome {
  int runs = 0;
  std::optional<Case> failing;  // the minimal failing case
  // Before shrinking: the cases run up to and including the first failing one, and the time
  // to it (the mutation suite's time to first failure).
  int first_failure_run = 0;
  double first_failure_s = 0;
  std::string error;            // non-empty: the search itself broke (a bad generated case)
};

// fails(c) runs a case and says why it fails, or nullopt; it may RC_DISCARD a case.
SearchOutcome search_cases(const std::string& name, const std::function<rc::Gen<Case>()>& gen,
                           const CampaignOptions& opt,
                           const std::function<std::optional<std::string>(const Case&)>& fails);

}  // namespace iovet
