// `iovet explain` of a map_sg: each output segment drawn against its boundary windows.
#pragma once
#include <string>
#include <vector>

#include "spec/config.h"
#include "spec/sg_judge.h"

namespace iovet {

std::vector<std::string> draw_segments(const std::vector<SgInput>& in, const std::vector<Scatterlist>& out, int ret,
                                       const Config& cfg);

}  // namespace iovet
