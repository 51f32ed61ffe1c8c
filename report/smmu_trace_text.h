// One event inside the SMMU during an op, as explain prints it: a command the driver issued
// or the SMMU consumed, an STE/CD as the SMMU would fetch it at that store, an IOVA freed.
#pragma once
#include <string>

#include "spec/unit/smmu.h"

namespace iovet {

std::string smmu_trace_text(const SmmuTrace& t);

}  // namespace iovet
