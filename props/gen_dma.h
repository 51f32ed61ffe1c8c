// Random DMA-API workloads: a driver's calls (and its mistakes) as a case of target dma.
#pragma once
#include <rapidcheck.h>

#include "case/case.h"

namespace iovet::gen {

// Which calls a workload makes.
enum class DmaWorkload {
  sg,            // map_sg of any lists, device accesses, unmap_sg
  sg_aligned,    // the same with granule-aligned entries, as most block and network drivers map
  stateful,      // a correct driver using every call and the device touching its buffers
  double_unmap,  // a driver that also releases mappings twice
  iommu_unmap,   // someone also unmaps through the IOMMU API behind the DMA layer's back
  bogus_unmap,   // a driver that also unmaps handles it never got
};

rc::Gen<Dir> direction();
rc::Gen<u64> page_addr(u64 page_size);  // physical pages below and above 4 GiB
rc::Gen<u64> length(u64 granule);       // whole granules, odd sizes, big ones
rc::Gen<SgEntry> sg_entry(u64 page_size, u64 granule);
rc::Gen<std::vector<SgEntry>> scatterlist(u64 page_size, u64 granule);
// Lists above 4 GiB for wide_device(): block-aligned pages, entries up to UINT_MAX.
rc::Gen<u64> block_addr(u64 granule);
rc::Gen<u64> block_length(u64 granule);
rc::Gen<u64> long_length(u64 granule);
rc::Gen<SgEntry> long_entry(u64 granule);
rc::Gen<std::vector<SgEntry>> long_scatterlist(u64 granule);
rc::Gen<Case> dma_case(DmaWorkload w, const std::string& variant);
// The list clipped to the device's dma_parms as a driver builds it (dma-debug's
// check_sg_segment); aligned: whole granules from the page's start (sg_aligned). The fuzz
// decoder keeps its lists in contract with it too.
std::vector<SgEntry> respect_dma_parms(std::vector<SgEntry> sg, const Config& cfg, bool aligned);

// Which call made a mapping, and the call a driver releases it with.
enum class MappingCall { map_page, map_sg, alloc };
Op release_op(const std::string& id, MappingCall made_by);

}  // namespace iovet::gen
