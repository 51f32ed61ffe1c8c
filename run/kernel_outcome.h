// A kernel oops, BUG() or hang inside the unit under test is a verdict, not a crash of iovet:
// the violation it stands for (dma.crash, dma.bug, dma.hang) at the op that ran it.
#pragma once
#include <optional>

#include "spec/rules.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet {

// Runs step(); nullopt when it returned, else the violation (the unit is then dead).
template <class Step>
std::optional<Violation> kernel_outcome(int op, Step&& step) {
  try {
    step();
    return std::nullopt;
  } catch (const KernelCrash& e) {
    return Violation{"dma.crash", std::string("kernel oops: ") + e.what(), op, ""};
  } catch (const KernelBug& e) {
    return Violation{"dma.bug", std::string("kernel BUG: ") + e.what(), op, ""};
  } catch (const KernelHang& e) {
    return Violation{"dma.hang", std::string("kernel hang: ") + e.what(), op, ""};
  }
}

}  // namespace iovet
