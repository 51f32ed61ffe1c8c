#pragma once
#include "ref/registry.h"
#include "run/run.h"
#include "run/smmu_stack.h"

namespace iovet {

// Replays ops of target dma on a DMA variant over the configured page table.
RunResult run_dma_case(const Case& c, const RunOptions& opt, const DmaVariant& v);
// Replays ops of target smmu on the whole SMMU stack.
RunResult run_smmu_case(const Case& c, const RunOptions& opt, const SmmuVariant& v);

}  // namespace iovet
