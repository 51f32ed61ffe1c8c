#include "props/property.h"

#include <chrono>

#include "props/finding.h"
#include "props/search.h"

namespace iovet {

const Violation* hunted(const Property& p, const RunResult& r) {
  for (const Violation& v : r.violations) {
    const bool after_misuse = r.misuse_from >= 0 && v.op >= r.misuse_from;
    if (v.rule == p.rule && after_misuse == (p.phase == Phase::misuse) && (p.flavor.empty() || v.flavor == p.flavor))
      return &v;
  }
  return nullptr;
}

PropertyResult check_property(const Property& p, const CampaignOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  PropertyResult res;
  res.name = p.name;
  RunOptions ro;
  ro.variant = opt.variant;
  // past_known: a case that shrinks no further than a known finding does not count as failing.
  // The last failing case a search sees is its minimum, so its signature is the finding's.
  std::string last_signature;
  const auto search = [&](const std::string& name, bool past_known) {
    return search_cases(name, [&] { return p.gen(opt.variant); }, opt, [&](const Case& c) -> std::optional<std::string> {
      if (auto why = refused(c, ro)) RC_DISCARD(*why);
      const RunResult r = run_case(c, ro);
      for (const auto& [k, n] : r.counters) res.counters[k] += n;
      const Violation* v = hunted(p, r);
      if (!v) return std::nullopt;
      std::string signature = opt.known.empty() ? "" : finding_signature(c, *v);
      if (past_known && opt.known.count(signature)) return std::nullopt;
      last_signature = std::move(signature);
      return v->message;
    });
  };
  SearchOutcome found = search(p.name, false);
  if (found.failing && !opt.known.empty()) {
    if (opt.known.count(last_signature)) {
      // A known finding: a second stream of cases may still show a new cause of the same rule.
      const double before = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      SearchOutcome again = search(p.name + "/past-known", true);
      if (again.failing || !again.error.empty()) {
        again.first_failure_run += found.runs;
        again.first_failure_s += before;
        again.runs += found.runs;
        found = std::move(again);
      } else {
        found.runs += again.runs;
      }
    }
  }
  res.runs = found.runs;
  if (!found.error.empty()) {
    res.status = Status::error;
    res.message = found.error;
  } else if (found.failing) {
    res.found_after = found.first_failure_run;
    res.found_s = found.first_failure_s;
    Case mc = *found.failing;
    const RunResult r = run_case(mc, ro);
    res.rules = r.rules();
    if (const Violation* v = hunted(p, r)) {
      res.message = "op " + std::to_string(v->op) + ": " + v->message;
      res.signature = finding_signature(mc, *v);
    }
    res.status = finding_status(p.rule);
    mc.expect_rules.assign(res.rules.begin(), res.rules.end());
    mc.variant = opt.variant;
    res.minimal_case = std::move(mc);
  }
  res.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace iovet
