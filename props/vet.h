// `iovet vet`: what a patch to drivers/iommu changes, judged by the spec. The patch is applied
// to a scratch copy of a base tree (kernel/patch.h), both trees run the property campaign of
// every target the patch touches with the same seed, and `diff` runs between them: violations
// the patch introduces, those it fixes, and behaviour that changes while no rule breaks.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "kernel/patch.h"
#include "props/property.h"

namespace iovet {

inline constexpr const char* kVetBase = "base";
inline constexpr const char* kVetPatched = "patched";

struct VetOptions {
  CampaignOptions campaign;  // its variant is unused
  std::string kernel_tree;   // the base tree; empty: Debian's linux-source-6.1
};

enum class VetVerdict { introduced, fixed, changed, unchanged, not_vetted, error };
std::string_view verdict_name(VetVerdict v);

struct VetFinding {
  VetVerdict verdict;
  std::string name;  // a property, "diff/<workload>", a target (unchanged) or a file (not vetted)
  Status status;     // fail or warn (by the rule's class) only for an introduced violation
  std::string rule;  // introduced, fixed and pre-existing violations
  std::string message;
  // introduced: violates the rule on the patched tree only; changed: shows the divergence.
  // Both with variant kernel-tree and the patched tree's rules, for `replay --kernel-tree`.
  std::optional<Case> minimal;
  int runs = 0;
  double time_s = 0;
  std::string signature;  // a property's introduced or pre-existing finding (props/finding.h)
  // introduced or changed: the patched side's generated cases and seconds to its first failing
  // case, before shrinking
  int found_after = 0;
  double found_s = 0;
};

struct VetResult {
  std::vector<Patch> patches;
  KernelTree base, patched;
  std::vector<Target> targets;  // those the patch touches
  std::vector<VetFinding> findings;
};

// The targets a change to this tree-relative path can affect; empty, with *why, when iovet
// does not compile it.
std::vector<Target> targets_of(const std::string& path, std::string* why);

// One property on two variants (vet's base and patched trees, or any two): introduced, fixed or
// unchanged, comparing findings by signature.
VetFinding compare_property(const Property& p, const CampaignOptions& campaign, const std::string& base,
                            const std::string& patched);

// Throws InputError for a patch file that cannot be read, is not a patch or does not apply,
// and for a tree that does not build.
VetResult vet(const std::vector<std::string>& patch_files, const VetOptions& opt);

}  // namespace iovet
