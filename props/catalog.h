// Every property a campaign runs: one per (workload, rule), so each rule gets its own
// minimal case and one bug cannot mask another.
#pragma once
#include <vector>

#include "props/property.h"

namespace iovet {

std::vector<Property> properties_for(Target t);

}  // namespace iovet
