#pragma once
#include "ref/registry.h"
#include "run/run.h"

namespace iovet {

// Replays ops of target dma on a DMA variant over the configured page table.
RunResult run_dma_case(const Case& c, const RunOptions& opt, const DmaVariant& v);

}  // namespace iovet
