// A built kernel object loaded into iovet: its ABI table, and the outcome of each call
// turned into what the runners understand (KernelCrash, KernelBug, KernelHang).
#pragma once
#include <string>

#include "kernel/abi/kabi.h"
#include "kernel/tree.h"

namespace iovet {

struct KernelLibrary {
  const kabi_ops* ops = nullptr;
  KernelTree tree;
  std::string source_hash;
  std::string so_path;
  unsigned page_shift = 12;
  // Throws the outcome a non-OK status of a call on inst stands for.
  void check(const kabi_inst* inst, int status) const;
};

// Builds (or finds in the cache) and loads the tree's object for a CPU page size; one load per
// (tree, page size) for the life of the process. Throws InputError when it cannot.
const KernelLibrary& load_kernel_library(const KernelTree& tree, unsigned page_shift);

// Milliseconds of CPU one call into kernel code may take before it is a hang: 2000, or
// IOVET_KERNEL_HANG_MS (tests shorten it).
unsigned kernel_hang_ms();

}  // namespace iovet
