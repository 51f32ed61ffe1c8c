// One entry of `ops` (corpus-format 1.2-1.4) with its per-op `expect`: reading, dispatched on
// the case's target because op names repeat across targets, and writing.
#pragma once
#include <nlohmann/json.hpp>

#include "case/case.h"
#include "case/json_reader.h"

namespace iovet {

// obj is /ops/N; config gives page_size (a scatterlist page must be page-aligned).
Op op_from_json(JsonObject obj, Target target, const Config& config);
nlohmann::ordered_json op_to_json(const Op& op);

}  // namespace iovet
