// A scratch kernel tree for tests: the linux-6.1 tree with patches from tests/kernel/patches
// applied (kernel/patch.h), as a developer's tree with their change.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "kernel/patch.h"
#include "kernel/tree.h"

namespace kerneltest {

inline const iovet::KernelTree& linux_6_1() {
  static const iovet::KernelTree t = iovet::debian_kernel_tree();
  return t;
}

inline std::string patch_path(const std::string& name) {
  return std::string(IOVET_SOURCE_DIR) + "/tests/kernel/patches/" + name + ".patch";
}

// The same name gives the same path, so a rebuilt tree with the same sources is a cache hit.
inline std::string scratch_tree(const std::string& name, const std::vector<std::string>& patches) {
  std::vector<iovet::Patch> all;
  for (const std::string& p : patches)
    for (iovet::Patch& one : iovet::read_patches(patch_path(p))) all.push_back(std::move(one));
  const std::string dir = (std::filesystem::temp_directory_path() / "iovet-kernel-tests" / name).string();
  iovet::make_scratch_tree(linux_6_1(), dir, all);
  return dir;
}

}  // namespace kerneltest
