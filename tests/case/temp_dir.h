// An empty scratch directory per test and process, so parallel ctest runs do not collide.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

namespace iovet::test {

inline std::filesystem::path fresh_temp_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path d = fs::temp_directory_path() / ("iovet-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace iovet::test
