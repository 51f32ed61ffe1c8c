#include "run/run.h"

#include <algorithm>

#include "case/input_error.h"
#include "ref/registry.h"
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

RunResult run_case(const Case& c, const RunOptions& opt) {
  const std::string v = effective_variant(c, opt);
  switch (c.target) {
    case Target::dma: {
      const DmaVariant* dv = find_dma_variant(v);
      if (!dv) throw InputError(c.name, "/variant", "unknown dma variant '" + v + "' (see `iovet list variants`)");
      return run_dma_case(c, opt, *dv);
    }
    case Target::iova: {
      const IovaVariant* iv = find_iova_variant(v);
      if (!iv) throw InputError(c.name, "/variant", "unknown iova variant '" + v + "' (see `iovet list variants`)");
      return run_iova_case(c, opt, *iv);
    }
    case Target::pgtable:
      return run_pgtable_case(c, opt);
    case Target::smmu: {
      const SmmuVariant* sv = find_smmu_variant(v);
      if (!sv) throw InputError(c.name, "/variant", "unknown smmu variant '" + v + "' (see `iovet list variants`)");
      return run_smmu_case(c, opt, *sv);
    }
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
