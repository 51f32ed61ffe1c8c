// A kernel source tree whose drivers/iommu code iovet compiles: a user's checkout
// (--kernel-tree DIR) or Debian's linux-source-6.1, extracted once into the cache.
#pragma once
#include <string>

namespace iovet {

struct KernelTree {
  std::string root;     // absolute path
  std::string version;  // VERSION.PATCHLEVEL.SUBLEVEL from the top Makefile
};

// The files a tree must have for every kernel target (relative to its root).
inline constexpr const char* kKernelTreeFiles[] = {
    "drivers/iommu/iova.c",      "drivers/iommu/io-pgtable-arm.c", "drivers/iommu/io-pgtable.c",
    "drivers/iommu/dma-iommu.c", "lib/rbtree.c",                   "lib/scatterlist.c",
    "lib/list_sort.c",           "include/linux/iommu.h",          "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c",
};

// Throws InputError naming dir when it is not a kernel tree iovet can compile from.
KernelTree open_kernel_tree(const std::string& dir);

// Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz), extracted on first use into
// cache_dir()/trees. Throws InputError when the package is not installed.
KernelTree debian_kernel_tree();

// $XDG_CACHE_HOME/iovet, else $HOME/.cache/iovet; created on demand.
std::string cache_dir();

}  // namespace iovet
