// How kernel code under test reports an oops, a BUG() or a hang: as a C++ exception that the
// runner turns into the observable outcomes dma.crash, dma.bug and dma.hang. iovet itself
// never crashes.
#pragma once
#include <stdexcept>
#include <string>

namespace iovet {

// A NULL dereference or out-of-range access in the modelled kernel code.
struct KernelCrash : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// BUG() / BUG_ON() fired in the modelled kernel code.
struct KernelBug : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The kernel code did not return: a runaway loop (reported after a CPU-time limit).
struct KernelHang : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace iovet
