// iovet's own op-by-op reduction of a failing case: ops removed in chunks, halving the chunk
// (ddmin's complement step), as long as the case still fails. For fuzzer artifacts, whose cases
// RapidCheck never generated and so cannot shrink.
#pragma once
#include <functional>

#include "case/case.h"

namespace iovet::fuzz {

// still_fails(c) says whether c still shows the finding (false for a case that no longer runs:
// a removed op another refers to).
Case reduce_ops(Case c, const std::function<bool(const Case&)>& still_fails);

}  // namespace iovet::fuzz
