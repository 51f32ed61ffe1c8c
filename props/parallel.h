// Campaigns on every core: each job (a property, a proof obligation, a case to replay) runs in a
// forked worker (kernel code under test, RapidCheck and Z3 keep process-wide state, so
// processes, not threads), at most `jobs` at once; results come back in the jobs' order, the
// same as one at a time but for times.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "props/property.h"

namespace iovet {

// One unit of a campaign: its name (for progress) and its work, whose result crosses the
// worker's pipe as JSON.
struct ForkedJob {
  std::string name;
  std::function<nlohmann::ordered_json()> work;
};

// A job's result, or why its worker gave none ("died of signal 9", "exited with 3").
struct ForkedResult {
  std::optional<nlohmann::ordered_json> value;
  std::string died;
};

using Progress = std::function<void(std::size_t, const std::string&)>;

// progress(k, name) before job k starts. With jobs <= 1 every job runs here, in order. An
// InputError inside a job is thrown again here (exit 2), the first by job order, as running
// them in order would throw it.
std::vector<ForkedResult> run_forked(const std::vector<ForkedJob>& jobs, unsigned n, const Progress& progress);

// Builds and loads the variant's kernel objects (every page size) here, so that workers forked
// afterwards inherit them instead of each building its own. Nothing for a hand-model variant.
void load_kernel_objects(const std::string& variant);

// The properties through run_forked; a worker that dies is that property's error.
std::vector<PropertyResult> check_properties(const std::vector<Property>& props, const CampaignOptions& opt,
                                             unsigned jobs, const Progress& progress);

// The machine's cores: the default of -j.
unsigned default_jobs();

}  // namespace iovet
