// A walk figure as text: each level's table, the index used in it and the descriptor read
// there, decoded field by field as VMSAv8-64 names them.
#pragma once
#include <string>
#include <vector>

#include "run/explain_figure.h"

namespace iovet {

std::vector<std::string> lpae_walk_lines(const WalkFigure& w);

// Why no step is walked ("" when the walk ran), and what one step's descriptor means.
std::string walk_refused(const WalkFigure& w);
std::string walk_step_meaning(const WalkFigure& w, const WalkFigure::Step& st);

// A leaf descriptor's attributes ("OA=0x80000000 AttrIndx=1 (cache) ... XN=0").
std::string leaf_fields(Format fmt, u64 pte, u64 granule);

}  // namespace iovet
