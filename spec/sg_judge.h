// The scatter-gather contract of dma_map_sg() as one judging function.
#pragma once
#include <functional>
#include <vector>

#include "spec/config.h"
#include "spec/rules.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/page_table.h"

namespace iovet {

// One input entry as the caller gave it.
struct SgInput {
  u64 page = 0;
  u64 offset = 0;
  u64 length = 0;
  u64 phys() const { return page + offset; }
};

// What a device at an IOVA reaches.
using TranslateFn = std::function<Translation(u64 iova)>;

// Where the bytes of a successfully mapped list are, as the device sees them: the DMA
// address of each input byte, found by walking the output segments.
struct SgLayout {
  bool sound = false;  // segment lengths add up to the input and no entry is split
  // For each input entry, its DMA address (valid when sound).
  std::vector<u64> entry_dma;
};

struct SgVerdict {
  std::vector<Violation> violations;
  SgLayout layout;
};

// Judges map_sg: `input` as given, `ret` as returned, `output` the list afterwards (its first
// `ret` entries carry the segments on success), `translate` the device's view of memory.
SgVerdict judge_map_sg(const std::vector<SgInput>& input, const DeviceParams& dev, u64 granule, int ret,
                       const std::vector<Scatterlist>& output, const TranslateFn& translate);

// sg.boundary's exemption: a lone entry that cannot avoid a boundary wherever it is placed,
// because the IOVA keeps its offset inside the granule.
bool sg_entry_must_cross(u64 phys, u64 length, u64 granule, u64 mask);

}  // namespace iovet
