// Property campaigns on every core: each property runs in a forked worker (kernel code under
// test and RapidCheck keep process-wide state, so processes, not threads), at most `jobs` at
// once; results come back in the properties' order, the same as one at a time but for times.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "props/property.h"

namespace iovet {

// progress(k, name) before property k starts. An InputError inside a property is thrown again
// here (exit 2), as check_property throws it; a worker that dies is that property's error.
std::vector<PropertyResult> check_properties(const std::vector<Property>& props, const CampaignOptions& opt,
                                             unsigned jobs,
                                             const std::function<void(std::size_t, const std::string&)>& progress);

// The machine's cores: the default of -j.
unsigned default_jobs();

}  // namespace iovet
