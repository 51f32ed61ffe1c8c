// The walk `iovet explain` shows of an LPAE table (arm_lpae_pgtable_walk), as a figure.
#pragma once
#include "impl/io_pgtable_arm.h"
#include "run/explain_figure.h"

namespace iovet {

WalkFigure lpae_walk_figure(const ArmLpaePgtable& pt, u64 iova);

}  // namespace iovet
