// What `iovet explain` shows of an LPAE walk (arm_lpae_pgtable_walk): each level's table, the
// index used in it and the descriptor read there, decoded field by field.
#pragma once
#include <string>
#include <vector>

#include "impl/io_pgtable_arm.h"

namespace iovet {

std::vector<std::string> lpae_walk_lines(const ArmLpaePgtable& pt, u64 iova);

}  // namespace iovet
