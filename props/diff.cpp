#include "props/diff.h"

#include <chrono>

#include "props/catalog.h"
#include "props/search.h"

namespace iovet {
namespace {

std::optional<Divergence> compare(const Case& c, const std::string& a, const std::string& b) {
  RunOptions oa{a, false, true}, ob{b, false, true};
  return first_divergence(run_case(c, oa), run_case(c, ob));
}

// Both sides run LPAE tables: the reference table answers differently where the spec allows
// either (docs/pgtable.md). On target smmu, Linux's arm_smmu_domain_finalise() sizes the
// domain from the SMMU's ID registers (ias 48, oas IDR5's 48) where impl/smmu takes the
// case's: the cases carry Linux's sizes, so the CD/STE fields compare.
Case comparable(Case c) {
  c.config.pgtable = PgtableKind::impl;
  if (c.target == Target::smmu) c.config.ias = c.config.oas = 48;
  return c;
}

std::string side(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) {
    const auto start = l.find_first_not_of(' ');
    s += (s.empty() ? "" : "; ") + l.substr(start == std::string::npos ? 0 : start);
  }
  return s.empty() ? "(nothing)" : s;
}

}  // namespace

std::vector<DiffResult> diff_target(Target t, const std::string& a, const std::string& b, const CampaignOptions& opt) {
  std::vector<DiffResult> out;
  for (const Property& p : properties_for(t)) {
    const std::string workload = p.name.substr(0, p.name.find('/'));
    if (!out.empty() && out.back().workload == workload) continue;  // one search per workload
    // The reference table's workload would only show where it answers differently.
    if (workload == "pgtable.ref") continue;
    const auto t0 = std::chrono::steady_clock::now();
    DiffResult r;
    r.workload = workload;
    const SearchOutcome found = search_cases(
        "diff/" + workload, [&] { return rc::gen::map(p.gen(a), comparable); }, opt, [&](const Case& c) -> std::optional<std::string> {
          for (const std::string& v : {a, b})
            if (auto why = refused(c, RunOptions{v})) RC_DISCARD(*why);
          const auto d = compare(c, a, b);
          if (!d) return std::nullopt;
          return "op " + std::to_string(d->op) + ": " + side(d->a) + " | " + side(d->b);
        });
    r.runs = found.runs;
    r.found_after = found.first_failure_run;
    r.found_s = found.first_failure_s;
    r.error = found.error;
    if (found.failing) {
      r.minimal = *found.failing;
      r.minimal->variant = a;
      r.divergence = compare(*r.minimal, a, b);
      RunOptions oa{a};
      const auto rules = run_case(*r.minimal, oa).rules();
      r.minimal->expect_rules.assign(rules.begin(), rules.end());
    }
    r.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.push_back(std::move(r));
  }
  return out;
}

std::string describe_sides(const Divergence& d, const std::string& a, const std::string& b) {
  return "op " + std::to_string(d.op) + ": " + a + ": " + side(d.a) + " | " + b + ": " + side(d.b);
}

}  // namespace iovet
