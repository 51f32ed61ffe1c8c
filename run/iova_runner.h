// Replays a case of target iova (corpus-format.md 1.3) on one IOVA allocator variant and judges
// every step with spec/iova_judge.
#pragma once
#include "case/case.h"
#include "run/run.h"
#include "run/variants.h"

namespace iovet {

// Throws InputError for ops of another target, an alloc reusing a live id, a free of an id no
// earlier alloc created or one already freed, a zero size, or a reserve with lo above hi.
RunResult run_iova_case(const Case& c, const RunOptions& opt, const Variant& v);

}  // namespace iovet
