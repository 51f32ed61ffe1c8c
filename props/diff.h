// `iovet diff`: the same generated workloads on two variants; for each workload the first
// observable divergence (return values, IOVAs, segments, leaves, flushes, WARN()s, rules),
// shrunk by RapidCheck to a minimal case that shows both sides.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "props/property.h"
#include "run/divergence.h"

namespace iovet {

struct DiffResult {
  std::string workload;  // "dma.sg", "iova.stateful", ...
  int runs = 0;
  std::optional<Case> minimal;  // replays on both variants; variant set to the first
  std::optional<Divergence> divergence;
  std::string error;
  double time_s = 0;
  int found_after = 0;  // generated workloads up to the first divergence; 0: none diverged
  double found_s = 0;   // seconds to it, before shrinking
};

// opt.variant is unused: cases come from variant a's generators and run on a and b. Cases
// either variant refuses (Variant::refuses) are discarded.
std::vector<DiffResult> diff_target(Target t, const std::string& a, const std::string& b, const CampaignOptions& opt);

// One line: "op 2: mainline: ... | linux-6.1: ...".
std::string describe_sides(const Divergence& d, const std::string& a, const std::string& b);

}  // namespace iovet
