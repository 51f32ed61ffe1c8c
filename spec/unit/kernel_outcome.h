// How a modelled kernel function reports an oops or a BUG(): as a C++ exception that the
// runner turns into the observable outcomes dma.crash and dma.bug. iovet itself never crashes.
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

}  // namespace iovet
