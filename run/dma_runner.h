#pragma once
#include "run/run.h"
#include "run/variants.h"

namespace iovet {

// Replays ops of target dma on a DMA variant over the configured page table.
RunResult run_dma_case(const Case& c, const RunOptions& opt, const Variant& v);
// Replays ops of target smmu on the whole SMMU stack.
RunResult run_smmu_case(const Case& c, const RunOptions& opt, const Variant& v);

}  // namespace iovet
