// The ids that ops create and refer to: a reference to an id that no earlier op of the right
// kind created, or creating an id that is still live, is an input error, so replay never sees
// one. Unmapping an id a second time is legal input: it is the misuse the tool judges.
#pragma once
#include <string>

#include "case/case.h"

namespace iovet {

// Throws InputError(file, "/ops/N/id", ...) for the first bad reference.
void check_op_ids(const Case& c, const std::string& file);

}  // namespace iovet
