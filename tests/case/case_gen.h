// Random valid Cases for round-trip tests: every target, every op, every optional field, and
// integers at the edges (0, 2^53 - 1, 2^53, 2^64 - 1) where JSON readers lose precision.
#pragma once
#include <random>

#include "case/case.h"

namespace iovet::test {

Case random_case(std::mt19937_64& rng, int index);

}  // namespace iovet::test
