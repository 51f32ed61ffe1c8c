// An exported KUnit suite as a userspace program: the tree's drivers/iommu code with iovet's
// shim (kernel/cflags, as build_kernel_object() compiles it), kernel/kunit's KUnit shim and
// runner, and the suite. Running it prints KTAP.
#pragma once
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "kernel/build.h"
#include "kernel/sanitizer.h"
#include "kernel/spawn.h"

namespace kerneltest {

// Builds dir/suite from suite_c for CPU pages of 1 << page_shift bytes and returns its path;
// the compiler's output when it fails.
inline std::string build_kunit_program(const iovet::KernelTree& tree, const std::string& suite_c,
                                       const std::string& dir, unsigned page_shift) {
  namespace fs = std::filesystem;
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir + "/suite.c") << suite_c;
  const std::vector<std::string> flags = iovet::kernel_cflags(tree, page_shift);
  std::vector<std::string> files = iovet::kernel_c_files();
  const std::size_t tree_files = files.size();
  files.push_back(iovet::kernel_shim_dir() + "/kunit/runner.c");
  files.push_back(dir + "/suite.c");
  std::vector<iovet::Command> cc;
  iovet::Command link{{"cc", "-o", dir + "/suite"}};
  for (std::size_t i = 0; i < files.size(); ++i) {
    iovet::Command c{{"cc"}};
    // the KUnit shim's headers only for its runner and the suite, never for the tree's files
    if (i >= tree_files) c.argv.push_back("-I" + iovet::kernel_shim_dir() + "/kunit/include");
    c.argv.insert(c.argv.end(), flags.begin(), flags.end());
    const std::string obj = dir + "/" + std::to_string(i) + ".o";
    c.argv.insert(c.argv.end(), {"-c", "-o", obj, files[i]});
    cc.push_back(std::move(c));
    link.argv.push_back(obj);
  }
  for (const std::string& f : iovet::kernel_sanitizer_flags()) link.argv.push_back(f);
  for (const iovet::CommandResult& r : iovet::run_commands(cc, 2)) {
    INFO(r.output);
    REQUIRE(r.status == 0);
  }
  const iovet::CommandResult r = iovet::run_commands({link}, 1).front();
  INFO(r.output);
  REQUIRE(r.status == 0);
  return dir + "/suite";
}

// What the program printed (KTAP) and its exit code.
struct KunitRun {
  int status = 0;
  std::string ktap;
  std::map<std::string, std::string> result;  // kunit_case name -> "ok", "not ok" or "skip"
};

inline KunitRun run_kunit_program(const std::string& exe) {
  KunitRun run;
  const iovet::CommandResult r = iovet::run_commands({iovet::Command{{exe}}}, 1).front();
  run.status = r.status;
  run.ktap = r.output;
  const std::regex line(R"(^    (ok|not ok) [0-9]+ - (\S+)( # SKIP)?)");
  std::istringstream in(r.output);
  for (std::string l; std::getline(in, l);)
    if (std::smatch m; std::regex_search(l, m, line)) run.result[m[2].str()] = m[3].matched ? "skip" : m[1].str();
  return run;
}

}  // namespace kerneltest
