// Random DMA-API workloads: a driver's calls (and its mistakes) as a case of target dma.
#pragma once
#include <rapidcheck.h>

#include "case/case.h"

namespace iovet::gen {

// Which calls a workload makes.
enum class DmaWorkload {
  sg,        // map_sg, device accesses, unmap_sg: the scatter-gather contract
  stateful,  // a driver using every call, releasing twice and unmapping behind the layer's back
  bogus,     // as stateful, plus unmap_page of handles it never got
};

rc::Gen<SgEntry> sg_entry(u64 page_size, u64 granule);
rc::Gen<std::vector<SgEntry>> scatterlist(u64 page_size, u64 granule);
rc::Gen<Case> dma_case(DmaWorkload w, const std::string& variant);

}  // namespace iovet::gen
