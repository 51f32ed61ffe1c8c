// Naming roundup_pow_of_two() terms in an encoding: each becomes a symbol defined by its bounds
// (is_roundup_pow_of_two), so Z3 no longer bit-blasts the smear chain into every term using it.
#pragma once
#include <string>
#include <vector>

#include <z3++.h>

#include "smt/obligation.h"

namespace iovet::smt {

struct NamedRoundup {
  std::string name;  // the symbol
  std::string of;    // x in words, for the assumption's description
  z3::expr x;
};

// For each entry in order: replaces roundup_pow_of_two(x) in every term of e (assumptions,
// goal, realise, cases) by the 64-bit symbol `name` and assumes is_roundup_pow_of_two(name, x).
// Name inner terms first: a later x may contain an earlier roundup_pow_of_two, renamed there too.
// Sound: common.log2.roundup_pow_of_two_bounds proves that is_roundup_pow_of_two(p, x) holds
// exactly for p = roundup_pow_of_two(x), so each model of the new query is a model of the old
// one plus the symbol's one possible value, and conversely: statuses cannot change.
void name_roundups(Encoding& e, const std::vector<NamedRoundup>& named);

}  // namespace iovet::smt
