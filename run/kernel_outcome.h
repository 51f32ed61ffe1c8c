// A kernel oops, BUG() or hang inside the unit under test is a verdict, not a crash of iovet:
// the violation it stands for (dma.crash, dma.bug, dma.hang) at the op that ran it. The same
// holds for a fault in a hand model, caught by the unit guard: dma.crash is every target's crash rule.
#pragma once
#include <optional>

#include "spec/rules.h"
#include "kernel/unit_guard.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet {

// Runs step(); nullopt when it returned, else the violation (the unit is then dead). `torn`
// says the unit guard caught a fault in a model (run/unit_guard.h): bury the unit, never destroy it.
template <class Step>
std::optional<Violation> kernel_outcome(int op, bool& torn, Step&& step) {
  try {
    step();
    return std::nullopt;
  } catch (const UnitFault& e) {
    torn = true;
    return Violation{"dma.crash", std::string("oops: ") + e.what(), op, ""};
  } catch (const KernelCrash& e) {
    return Violation{"dma.crash", std::string("kernel oops: ") + e.what(), op, ""};
  } catch (const KernelBug& e) {
    return Violation{"dma.bug", std::string("kernel BUG: ") + e.what(), op, ""};
  } catch (const KernelHang& e) {
    return Violation{"dma.hang", std::string("kernel hang: ") + e.what(), op, ""};
  }
}

}  // namespace iovet
