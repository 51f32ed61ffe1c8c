// Compiling a tree's drivers/iommu code against iovet's shim into a shared object: every C
// file of shim/ and glue/ with the flags of kernel/cflags, once per CPU page size, cached
// under cache_dir()/kbuild by a hash of compiler, flags and file names, and rebuilt when any
// file the compiler read (tree, shim or glue) has changed since.
#pragma once
#include <string>
#include <vector>

#include "kernel/tree.h"

namespace iovet {

struct KernelObject {
  std::string so_path;
  std::string source_hash;  // of the tree files the compiler read: what a case's provenance records
  bool cached = false;      // no compiler ran
};

// Throws InputError naming the tree (and the compiler's output) when it does not build.
KernelObject build_kernel_object(const KernelTree& tree, unsigned page_shift);

// The compiler flags of kernel/cflags for a tree and CPU page size (sanitizer flags included).
std::vector<std::string> kernel_cflags(const KernelTree& tree, unsigned page_shift);
// Every C file of shim/ and glue/, sorted.
std::vector<std::string> kernel_c_files();
// The directory of kabi.h, cflags, shim/ and glue/.
std::string kernel_shim_dir();

}  // namespace iovet
