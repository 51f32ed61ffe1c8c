// A scratch kernel tree for tests: a copy of the linux-6.1 tree's drivers/iommu and top
// Makefile, with include/ and lib/ linked to the original, and patches from
// tests/kernel/patches applied with patch(1), as a developer's tree with their change.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

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
  namespace fs = std::filesystem;
  const fs::path base = linux_6_1().root;
  const fs::path dir = fs::temp_directory_path() / "iovet-kernel-tests" / name;
  fs::remove_all(dir);
  fs::create_directories(dir / "drivers");
  fs::copy(base / "drivers/iommu", dir / "drivers/iommu", fs::copy_options::recursive);
  fs::copy_file(base / "Makefile", dir / "Makefile");
  fs::create_directory_symlink(base / "include", dir / "include");
  fs::create_directory_symlink(base / "lib", dir / "lib");
  for (const std::string& p : patches) {
    const std::string cmd = "patch -s -p1 -d '" + dir.string() + "' < '" + patch_path(p) + "'";
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  return dir.string();
}

}  // namespace kerneltest
