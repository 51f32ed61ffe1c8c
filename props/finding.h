// A finding's signature: what a failing property found, in words that do not depend on the
// seed, so that the same bug found by another seed (or on another tree) tends to give the same
// signature and a new cause under an already-failing rule gives a new one. Used by
// `iovet check --baseline` and `iovet vet` to compare findings rather than statuses.
#pragma once
#include <string>

#include "case/case.h"
#include "spec/rules.h"

namespace iovet {

// "<rule>[/<flavor>] at <kind of the op the violation is reported at> of <the minimal case's
// distinct op kinds, sorted>", e.g. "iova.spurious_failure at alloc_fast of alloc_fast,free_fast".
// No address, size or count: those vary with the seed. A violation before the first op (the
// domain's set-up) is "at init".
std::string finding_signature(const Case& minimal, const Violation& v);

}  // namespace iovet
