// Random workloads over the whole SMMU stack: streams attached and re-attached, a correct
// driver mapping and unmapping, devices touching live buffers and ones just unmapped, the
// flush queue's timer. A case of target smmu.
#pragma once
#include <rapidcheck.h>

#include "case/case.h"

namespace iovet::gen {

rc::Gen<SmmuParams> smmu_params(bool lazy);
rc::Gen<Case> smmu_case(bool lazy, const std::string& variant);

}  // namespace iovet::gen
