// Where two implementations stop agreeing on one case: the first op whose observations (what
// the unit returned, RunResult::observed) or violated rules differ.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "run/run.h"

namespace iovet {

struct Divergence {
  int op = -1;
  std::vector<std::string> a, b;  // that op's observations and rules on each side
};

std::optional<Divergence> first_divergence(const RunResult& a, const RunResult& b);

}  // namespace iovet
