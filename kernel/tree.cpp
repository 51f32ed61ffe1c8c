#include "kernel/tree.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "case/input_error.h"
#include "kernel/spawn.h"

namespace iovet {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDebianTarball = "/usr/src/linux-source-6.1.tar.xz";
constexpr const char* kDebianTop = "linux-source-6.1";

// What iovet extracts from the package: the compiled files, the headers they include, the
// Makefile for the version, and kunit's tooling for exported suites.
constexpr const char* kExtract[] = {"Makefile", "drivers/iommu", "include", "lib/rbtree.c", "lib/scatterlist.c",
                                    "lib/list_sort.c", "tools/testing/kunit"};
// Part of the cache directory's name: bumped whenever kExtract changes, so an older extraction
// (another checkout's) is left alone and a complete one is made beside it.
constexpr int kExtractVersion = 2;

std::string makefile_var(const std::string& text, const std::string& name) {
  std::smatch m;
  const std::regex re("^" + name + "[ \\t]*=[ \\t]*([0-9]*)", std::regex::multiline);
  return std::regex_search(text, m, re) ? m[1].str() : "";
}

}  // namespace

std::string cache_dir() {
  std::string base;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::string(h) + "/.cache";
  else base = "/tmp";
  const std::string dir = base + "/iovet";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir, "", "cannot create the cache directory: " + ec.message());
  return dir;
}

KernelTree open_kernel_tree(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec || !fs::is_directory(root)) throw InputError(dir, "", "no such directory (--kernel-tree wants a kernel source tree)");
  std::ifstream mk(root / "Makefile");
  std::stringstream text;
  text << mk.rdbuf();
  const std::string v = makefile_var(text.str(), "VERSION"), p = makefile_var(text.str(), "PATCHLEVEL"),
                    s = makefile_var(text.str(), "SUBLEVEL");
  if (!mk || v.empty() || p.empty())
    throw InputError(dir, "", "not a kernel tree: no top-level Makefile with VERSION and PATCHLEVEL");
  for (const char* f : kKernelTreeFiles)
    if (!fs::is_regular_file(root / f)) throw InputError(dir, "", std::string("not a kernel tree iovet can compile: no ") + f);
  return {root.string(), v + "." + p + (s.empty() ? "" : "." + s)};
}

KernelTree debian_kernel_tree() {
  std::error_code ec;
  const auto size = fs::file_size(kDebianTarball, ec);
  if (ec)
    throw InputError(kDebianTarball, "",
                     "the linux-6.1 variant needs Debian's linux-source-6.1 package (apt-get install linux-source-6.1), "
                     "or give a tree with --kernel-tree DIR");
  const auto mtime = fs::last_write_time(kDebianTarball, ec).time_since_epoch().count();
  const std::string dir = cache_dir() + "/trees/linux-source-6.1-" + std::to_string(size) + "-" + std::to_string(mtime) +
                          "-x" + std::to_string(kExtractVersion);
  if (fs::is_directory(dir)) return open_kernel_tree(dir + "/" + kDebianTop);
  // Extract beside the final place, then rename: a reader never sees half a tree.
  const std::string tmp = dir + ".tmp-" + std::to_string(getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) throw InputError(tmp, "", "cannot create: " + ec.message());
  Command tar{{"tar", "-xJf", kDebianTarball, "-C", tmp}};
  for (const char* p : kExtract) tar.argv.push_back(std::string(kDebianTop) + "/" + p);
  const CommandResult r = run_commands({tar}, 1).front();
  if (r.status != 0) {
    fs::remove_all(tmp, ec);
    throw InputError(kDebianTarball, "", "extracting the kernel sources failed:\n" + r.output);
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    if (!fs::is_directory(dir)) throw InputError(dir, "", "cannot move the extracted tree into place");
  }
  return open_kernel_tree(dir + "/" + kDebianTop);
}

}  // namespace iovet
