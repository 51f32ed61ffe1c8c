#include "props/property.h"

#include <chrono>
#include <cstdlib>

#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/detail/TestListener.h>

#include "case/input_error.h"

namespace iovet {
namespace {

class Quiet : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// A stable 64-bit mix of the campaign seed and the property name, so each property draws
// its own stream and adding a property does not change the others.
u64 property_seed(u64 seed, const std::string& name) {
  u64 h = seed ^ 0x9e3779b97f4a7c15ull;
  for (unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ull;
  return h;
}

// RC_PARAMS="reproduce=..." replays a RapidCheck failure; read the configuration only then,
// since reading it prints to stderr.
const std::unordered_map<std::string, rc::detail::Reproduce>& reproduce_map() {
  static const std::unordered_map<std::string, rc::detail::Reproduce> none;
  return std::getenv("RC_PARAMS") ? rc::detail::configuration().reproduce : none;
}

}  // namespace

const Violation* hunted(const Property& p, const RunResult& r) {
  for (const Violation& v : r.violations) {
    const bool after_misuse = r.misuse_from >= 0 && v.op >= r.misuse_from;
    if (v.rule == p.rule && after_misuse == (p.phase == Phase::misuse) && (p.flavor.empty() || v.flavor == p.flavor))
      return &v;
  }
  return nullptr;
}

PropertyResult check_property(const Property& p, const CampaignOptions& opt) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  PropertyResult res;
  res.name = p.name;
  std::optional<Case> last_failing;
  RunOptions ro;
  ro.variant = opt.variant;

  // Shrinking keeps only cases that still fail, so the last failing case seen is the minimum.
  const auto prop = [&](const Case& c) {
    ++res.runs;
    const RunResult r = run_case(c, ro);
    for (const auto& [k, n] : r.counters) res.counters[k] += n;
    if (const Violation* v = hunted(p, r)) {
      last_failing = c;
      RC_FAIL(v->message);
    }
  };

  const int batch = opt.budget_s > 0 ? 50 : opt.runs;
  u64 seed = property_seed(opt.seed, p.name);
  Quiet quiet;
  for (int round = 0;; ++round) {
    rc::detail::TestParams params;
    params.seed = seed + static_cast<u64>(round);
    params.maxSuccess = batch;
    params.maxSize = 100;
    rc::detail::TestMetadata meta;
    meta.id = p.name;
    meta.description = p.name;
    // The metadata id is the property's stable name, so RC_PARAMS="reproduce=..." applies.
    const auto result = rc::detail::checkTestable(
        [&] {
          const Case c = *p.gen(opt.variant);
          prop(c);
        },
        meta, params, quiet, reproduce_map());
    if (result.template is<rc::detail::FailureResult>() && !last_failing) {
      // Something other than the hunted rule failed: a bad generated case or an iovet bug.
      res.status = Status::error;
      res.message = result.template get<rc::detail::FailureResult>().description;
      break;
    }
    if (result.template is<rc::detail::Error>()) {
      res.status = Status::error;
      res.message = result.template get<rc::detail::Error>().description;
      break;
    }
    if (last_failing) break;
    const double spent = std::chrono::duration<double>(clock::now() - t0).count();
    if (opt.budget_s <= 0 || spent >= opt.budget_s) break;
  }

  if (last_failing) {
    const RunResult r = run_case(*last_failing, ro);
    res.rules = r.rules();
    if (const Violation* v = hunted(p, r)) res.message = "op " + std::to_string(v->op) + ": " + v->message;
    const Rule* rule = find_rule(p.rule);
    res.status = rule && rule->cls == RuleClass::hardening ? Status::warn : Status::fail;
    Case& mc = *last_failing;
    mc.expect_rules.assign(res.rules.begin(), res.rules.end());
    mc.variant = opt.variant;
    res.minimal_case = std::move(mc);
  }
  res.time_s = std::chrono::duration<double>(clock::now() - t0).count();
  return res;
}

}  // namespace iovet
