#include "run/run.h"

#include <algorithm>

#include "case/input_error.h"
#include "run/variants.h"
#include "run/dma_runner.h"
#include "run/iova_runner.h"
#include "run/pgtable_runner.h"

namespace iovet {

std::set<std::string> RunResult::rules() const {
  std::set<std::string> s;
  for (const Violation& v : violations) s.insert(v.rule);
  return s;
}

std::string effective_variant(const Case& c, const RunOptions& opt) {
  if (!opt.variant.empty()) return opt.variant;
  return c.variant.value_or("mainline");
}

std::optional<std::string> refused(const Case& c, const RunOptions& opt) {
  const Variant* v = find_variant(effective_variant(c, opt));
  return v && v->refuses ? v->refuses(c.config, c.target) : std::nullopt;
}

RunResult run_case(const Case& c, const RunOptions& opt) {
  const std::string name = effective_variant(c, opt);
  const Variant* v = find_variant(name);
  if (!v) throw InputError(c.name, "/variant", "unknown variant '" + name + "' (see `iovet list variants`)");
  const std::string target(target_name(c.target));
  if (v->refuses)
    if (auto why = v->refuses(c.config, c.target)) throw InputError(c.name, "/config", "variant '" + name + "': " + *why);
  if (!v->runs(c.target)) throw InputError(c.name, "/variant", "variant '" + name + "' does not run target " + target);
  switch (c.target) {
    case Target::dma: return run_dma_case(c, opt, *v);
    case Target::iova: return run_iova_case(c, opt, *v);
    case Target::pgtable: return run_pgtable_case(c, opt, *v);
    case Target::smmu: return run_smmu_case(c, opt, *v);
  }
  throw InputError(c.name, "/target", "unknown target");
}

Verdict judge_replay(const Case& c, const RunResult& r) {
  const std::set<std::string> seen = r.rules();
  std::vector<std::string> missing, unexpected;
  for (const std::string& id : c.expect_rules)
    if (!seen.count(id)) missing.push_back(id);
  bool contract = false;
  for (const std::string& id : seen) {
    if (std::count(c.expect_rules.begin(), c.expect_rules.end(), id) ||
        std::count(c.allow_rules.begin(), c.allow_rules.end(), id))
      continue;
    unexpected.push_back(id);
    const Rule* rule = find_rule(id);
    contract |= !rule || rule->cls == RuleClass::contract;
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  Verdict out;
  if (!missing.empty()) out.message = "expected " + join(missing) + " but it was not observed";
  if (!unexpected.empty()) {
    std::string first;
    for (const Violation& v : r.violations)
      if (std::count(unexpected.begin(), unexpected.end(), v.rule)) {
        first = " (op " + std::to_string(v.op) + ": " + v.message + ")";
        break;
      }
    out.message += (out.message.empty() ? "" : "; ") + std::string("unexpected ") + join(unexpected) + first;
  }
  if (!r.expect_failures.empty())
    out.message += (out.message.empty() ? "" : "; ") + r.expect_failures.front();
  if (!missing.empty() || contract || !r.expect_failures.empty())
    out.status = Status::fail;
  else if (!unexpected.empty())
    out.status = Status::warn;  // only hardening rules beyond the expectation
  return out;
}

}  // namespace iovet
