#include "props/vet.h"

#include <algorithm>
#include <set>

#include "props/catalog.h"
#include "props/diff.h"
#include "props/finding.h"
#include "run/variants.h"
#include "spec/rules.h"

namespace iovet {
namespace {

// How many old findings the patched side's search goes past before it settles.
constexpr int kPastKnownRounds = 3;

bool failed(const PropertyResult& r) { return r.status == Status::fail || r.status == Status::warn; }

bool violates(const Property& p, const Case& c, const std::string& variant) {
  return hunted(p, run_case(c, RunOptions{variant})) != nullptr;
}

// Whether the variant shows this very finding on the case: the rule, and the same signature
// (a different op failing is another cause, even under a rule that already fails).
bool shows(const Property& p, const Case& c, const std::string& variant, const std::string& signature) {
  const RunResult r = run_case(c, RunOptions{variant});
  const Violation* v = hunted(p, r);
  return v && finding_signature(c, *v) == signature;
}

// A minimal case `iovet replay --kernel-tree <patched tree>` reproduces.
Case for_patched(Case c) {
  c.variant = kKernelTreeVariant;
  const auto rules = run_case(c, RunOptions{kVetPatched}).rules();
  c.expect_rules.assign(rules.begin(), rules.end());
  return c;
}

}  // namespace

// A violation counts as the patch's only when the base tree does not show the same finding on
// its minimal case: clean 6.1 already fails some properties (its 4 GiB scatterlist leak), and
// both searches may shrink to different cases of the same old bug. Findings, not statuses: a
// rule that fails on both trees with another signature on the patched one is introduced.
VetFinding compare_property(const Property& p, const CampaignOptions& campaign, const std::string& base,
                            const std::string& patched) {
  CampaignOptions ob = campaign, op = campaign;
  ob.variant = base;
  op.variant = patched;
  const PropertyResult b = check_property(p, ob);
  // The patched side searches past the base's finding, and past each finding it shrinks to that
  // the base tree shows too (a rule can have several old causes), a few times: a new cause
  // under a rule that already fails is what a status alone would hide.
  if (failed(b)) op.known = {b.signature};
  PropertyResult r = check_property(p, op);
  for (int round = 0; round < kPastKnownRounds && failed(r) && r.minimal_case && !op.known.count(r.signature) &&
                      shows(p, *r.minimal_case, base, r.signature);
       ++round) {
    op.known.insert(r.signature);
    r = check_property(p, op);
  }
  VetFinding f{VetVerdict::unchanged, p.name, Status::pass, "", "", std::nullopt, b.runs + r.runs, b.time_s + r.time_s, ""};
  if (b.status == Status::error || r.status == Status::error) {
    f.verdict = VetVerdict::error;
    f.status = Status::error;
    f.message = b.status == Status::error ? "base: " + b.message : "patched: " + r.message;
  } else if (failed(r) && r.minimal_case && !shows(p, *r.minimal_case, base, r.signature)) {
    f.verdict = VetVerdict::introduced;
    f.status = r.status;
    f.rule = p.rule;
    f.signature = r.signature;
    f.message = r.message;
    if (failed(b)) f.message += " (a new finding: the base tree fails this rule as {" + b.signature + "})";
    f.minimal = patched == kVetPatched ? for_patched(*r.minimal_case) : *r.minimal_case;
    f.found_after = r.found_after;
    f.found_s = r.found_s;
  } else if (!failed(r) && b.minimal_case && !violates(p, *b.minimal_case, patched)) {
    f.verdict = VetVerdict::fixed;
    f.rule = p.rule;
    f.message = "the base tree fails it (" + b.message + "); the patched tree passes that case and its search";
  } else if (failed(b) || failed(r)) {
    f.rule = p.rule;
    f.signature = failed(r) ? r.signature : b.signature;
    f.message = "fails on both trees, as before the patch: " + (failed(r) ? r.message : b.message);
  }
  return f;
}


std::string_view verdict_name(VetVerdict v) {
  switch (v) {
    case VetVerdict::introduced: return "introduced";
    case VetVerdict::fixed: return "fixed";
    case VetVerdict::changed: return "changed";
    case VetVerdict::unchanged: return "unchanged";
    case VetVerdict::not_vetted: return "not-vetted";
    case VetVerdict::error: return "error";
  }
  return "?";
}

// The smmu stack compiles the tree's arm-smmu-v3.c with its dma-iommu.c, iova.c and
// io-pgtable-arm.c on top (kernel/kernel_smmu.h): a change to any of them can change what the
// SMMU sees (commands, walks, the flush queue), so each also runs the smmu target.
std::vector<Target> targets_of(const std::string& path, std::string* why) {
  const auto is = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (path == n) return true;
    return false;
  };
  if (is({"drivers/iommu/iova.c", "include/linux/iova.h", "lib/rbtree.c", "include/linux/rbtree.h"}))
    return {Target::dma, Target::iova, Target::smmu};
  if (is({"drivers/iommu/io-pgtable-arm.c", "drivers/iommu/io-pgtable.c", "include/linux/io-pgtable.h",
          "include/linux/iommu.h"}))
    return {Target::dma, Target::pgtable, Target::smmu};
  if (is({"drivers/iommu/dma-iommu.c", "include/linux/dma-iommu.h", "lib/scatterlist.c", "include/linux/scatterlist.h"}))
    return {Target::dma, Target::smmu};
  if (is({"drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c", "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h"}))
    return {Target::smmu};
  *why = "iovet does not compile it";
  return {};
}

VetResult vet(const std::vector<std::string>& patch_files, const VetOptions& opt) {
  VetResult res;
  for (const std::string& f : patch_files)
    for (Patch& p : read_patches(f)) res.patches.push_back(std::move(p));
  res.base = opt.kernel_tree.empty() ? debian_kernel_tree() : open_kernel_tree(opt.kernel_tree);
  res.patched = patched_tree(res.base, res.patches);

  std::set<Target> touched;
  std::vector<std::string> unjudged;
  for (const Patch& p : res.patches)
    for (const std::string& path : p.paths) {
      std::string why;
      const std::vector<Target> ts = targets_of(path, &why);
      touched.insert(ts.begin(), ts.end());
      if (ts.empty() && std::find(unjudged.begin(), unjudged.end(), path) == unjudged.end()) {
        unjudged.push_back(path);
        res.findings.push_back({VetVerdict::not_vetted, path, Status::skip, "", "not vetted: " + why, std::nullopt, 0, 0, ""});
      }
    }
  if (touched.empty()) {
    // Never "clean": say the patch was not looked at.
    std::string files;
    for (const std::string& u : unjudged) files += (files.empty() ? "" : ", ") + u;
    for (VetFinding& f : res.findings) f.message += "; the patch touches " + files + " only";
    return res;
  }
  for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu})
    if (touched.count(t)) res.targets.push_back(t);

  register_kernel_tree(res.base.root, kVetBase);
  register_kernel_tree(res.patched.root, kVetPatched);
  for (Target t : res.targets) {
    VetFinding same{VetVerdict::unchanged, std::string(target_name(t)), Status::pass, "", "", std::nullopt, 0, 0, ""};
    int agree = 0, props = 0, same_workloads = 0, workloads = 0, shown_by_rules = 0;
    std::set<std::string> introduced;
    for (const Property& p : properties_for(t)) {
      ++props;
      VetFinding f = compare_property(p, opt.campaign, kVetBase, kVetPatched);
      if (f.verdict == VetVerdict::introduced) introduced.insert(f.rule);
      if (f.verdict == VetVerdict::unchanged && f.rule.empty()) {
        ++agree;
        same.runs += f.runs;
        same.time_s += f.time_s;
      } else {
        res.findings.push_back(std::move(f));
      }
    }
    for (DiffResult& d : diff_target(t, kVetBase, kVetPatched, opt.campaign)) {
      ++workloads;
      if (!d.error.empty())
        res.findings.push_back({VetVerdict::error, "diff/" + d.workload, Status::error, "", d.error, std::nullopt, d.runs, d.time_s, ""});
      else if (d.divergence) {
        Case c = for_patched(*d.minimal);
        const auto on_base = run_case(c, RunOptions{kVetBase}).rules();
        std::vector<std::string> broken;  // rules the patched side breaks and the base side does not
        for (const std::string& r : c.expect_rules)
          if (!on_base.count(r)) broken.push_back(r);
        const bool shown = std::all_of(broken.begin(), broken.end(), [&](const std::string& r) { return introduced.count(r); });
        const std::string sides = describe_sides(*d.divergence, kVetBase, kVetPatched);
        if (!broken.empty() && shown) {
          ++shown_by_rules;  // already reported as those violations
        } else if (!broken.empty()) {
          // A new violation the property's own search shrank to an old one (6.1's dma.leak).
          const auto contract = std::find_if(broken.begin(), broken.end(), [](const std::string& r) {
            return find_rule(r)->cls == RuleClass::contract;
          });
          const std::string rule = contract != broken.end() ? *contract : broken.front();
          introduced.insert(rule);
          res.findings.push_back({VetVerdict::introduced, "diff/" + d.workload,
                                  contract != broken.end() ? Status::fail : Status::warn, rule,
                                  "breaks " + rule + " where the base tree does not: " + sides, std::move(c),
                                  d.runs, d.time_s, "", d.found_after, d.found_s});
        } else {
          res.findings.push_back({VetVerdict::changed, "diff/" + d.workload, Status::pass, "",
                                  "behaviour changed: " + sides, std::move(c), d.runs, d.time_s, "", d.found_after, d.found_s});
        }
      } else {
        ++same_workloads;
        same.runs += d.runs;
        same.time_s += d.time_s;
      }
    }
    same.message = std::to_string(agree) + " of " + std::to_string(props) + " properties hold on both trees; " +
                   std::to_string(same_workloads) + " of " + std::to_string(workloads) + " workloads behave the same" +
                   (shown_by_rules ? " (" + std::to_string(shown_by_rules) + " diverge by the violations above)" : "");
    res.findings.push_back(std::move(same));
  }
  // What a reviewer reads first: errors, then the patch's violations, fixes and changes.
  const auto rank = [](const VetFinding& f) { return f.verdict == VetVerdict::error ? -1 : static_cast<int>(f.verdict); };
  std::stable_sort(res.findings.begin(), res.findings.end(),
                   [&](const VetFinding& a, const VetFinding& b) { return rank(a) < rank(b); });
  return res;
}

}  // namespace iovet
