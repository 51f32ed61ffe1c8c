#include "kernel/build.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "case/input_error.h"
#include "kernel/hash.h"
#include "kernel/sanitizer.h"
#include "kernel/spawn.h"

namespace iovet {
namespace fs = std::filesystem;
namespace {

std::string read_file(const std::string& path, bool* ok = nullptr) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  if (ok) *ok = static_cast<bool>(in);
  return s.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

std::vector<std::string> kernel_cflags(const KernelTree& tree, unsigned page_shift) {
  const std::string kdir = kernel_shim_dir();
  std::istringstream in(read_file(kdir + "/cflags"));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (line.empty() || line[0] == '#') continue;
    line = replace_all(line, "@TREE@", tree.root);
    line = replace_all(line, "@KDIR@", kdir);
    out.push_back(replace_all(line, "@PAGE_SHIFT@", std::to_string(page_shift)));
  }
  if (out.empty()) throw InputError(kdir + "/cflags", "", "no compiler flags (is IOVET_KERNEL_DIR right?)");
  for (std::string& f : kernel_sanitizer_flags()) out.push_back(std::move(f));
  return out;
}

std::vector<std::string> kernel_c_files() {
  std::vector<std::string> out;
  for (const char* sub : {"shim", "glue"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(kernel_shim_dir() + "/" + sub, ec))
      if (e.path().extension() == ".c") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The files a make-style dependency file lists (after the first "target:").
std::vector<std::string> deps_of(const std::string& d_text) {
  std::string t = replace_all(d_text, "\\\n", " ");
  t = t.substr(t.find(':') == std::string::npos ? t.size() : t.find(':') + 1);
  std::istringstream in(t);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The manifest: one line per file the compiler read, "<hash> <path>".
struct Manifest {
  std::vector<std::pair<std::string, std::string>> files;  // hash, path
  bool up_to_date() const {
    for (const auto& [h, path] : files) {
      bool ok = false;
      Hash x;
      x.add(read_file(path, &ok));
      if (!ok || x.hex() != h) return false;
    }
    return !files.empty();
  }
  std::string source_hash(const std::string& tree_root) const {
    Hash x;
    for (const auto& [h, path] : files)
      if (path.rfind(tree_root + "/", 0) == 0) {
        x.add(path.substr(tree_root.size() + 1));
        x.add(h);
      }
    return x.hex();
  }
};

Manifest read_manifest(const std::string& path) {
  Manifest m;
  std::istringstream in(read_file(path));
  for (std::string h, p; in >> h >> p;) m.files.emplace_back(h, p);
  return m;
}

std::string compiler() {
  const char* cc = std::getenv("CC");
  return cc && *cc ? cc : "cc";
}

std::string head_lines(const std::string& s, std::size_t max_lines) {
  std::size_t n = 0, p = 0;
  while (n < max_lines && (p = s.find('\n', p)) != std::string::npos) ++n, ++p;
  return n < max_lines || p == std::string::npos ? s : s.substr(0, p) + "...\n";
}

}  // namespace

std::string kernel_shim_dir() {
  if (const char* d = std::getenv("IOVET_KERNEL_DIR"); d && *d) return d;
  return IOVET_KERNEL_DIR;
}

KernelObject build_kernel_object(const KernelTree& tree, unsigned page_shift) {
  const std::vector<std::string> flags = kernel_cflags(tree, page_shift);
  const std::vector<std::string> files = kernel_c_files();
  Hash key;
  key.add(compiler());
  for (const std::string& f : flags) key.add(f);
  for (const std::string& f : files) key.add(f);
  const std::string dir = cache_dir() + "/kbuild/" + key.hex();
  const std::string so = dir + "/libkabi.so";
  if (fs::exists(so)) {
    const Manifest m = read_manifest(dir + "/manifest");
    if (m.up_to_date()) return {so, m.source_hash(tree.root), true};
  }

  const std::string tmp = dir + ".tmp-" + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) throw InputError(tmp, "", "cannot create the build directory: " + ec.message());
  // Debug info's compilation directory is iovet's: named "." so that the object is the same
  // from any directory (not part of the key) and addr2line prints tree-relative paths.
  const std::string comp_dir_map = "-fdebug-prefix-map=" + fs::current_path().string() + "=.";
  std::vector<Command> compile;
  std::vector<std::string> objects;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string base = tmp + "/" + std::to_string(i) + "-" + fs::path(files[i]).stem().string();
    Command c{{compiler(), comp_dir_map}};  // first: cflags' own maps, given later, win
    c.argv.insert(c.argv.end(), flags.begin(), flags.end());
    c.argv.insert(c.argv.end(), {"-MD", "-MF", base + ".d", "-c", "-o", base + ".o", files[i]});
    compile.push_back(std::move(c));
    objects.push_back(base + ".o");
  }
  const unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  const std::vector<CommandResult> res = run_commands(compile, jobs);
  for (std::size_t i = 0; i < res.size(); ++i)
    if (res[i].status != 0) {
      fs::remove_all(tmp, ec);
      throw InputError(tree.root, "",
                       "the tree does not compile against iovet's shim (" + fs::path(files[i]).filename().string() +
                           ", Linux " + tree.version + "):\n" + head_lines(res[i].output, 40));
    }
  Command link{{compiler(), "-shared", "-o", tmp + "/libkabi.so"}};
  for (const std::string& f : kernel_sanitizer_flags()) link.argv.push_back(f);
  link.argv.insert(link.argv.end(), objects.begin(), objects.end());
  if (const CommandResult r = run_commands({link}, 1).front(); r.status != 0) {
    fs::remove_all(tmp, ec);
    throw InputError(tree.root, "", "linking the kernel objects failed:\n" + head_lines(r.output, 40));
  }

  Manifest m;
  std::vector<std::string> all;
  for (const std::string& o : objects)
    for (std::string& d : deps_of(read_file(o.substr(0, o.size() - 2) + ".d"))) all.push_back(std::move(d));
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::string text;
  for (const std::string& path : all) {
    Hash h;
    h.add(read_file(path));
    m.files.emplace_back(h.hex(), path);
    text += h.hex() + " " + path + "\n";
  }
  std::ofstream(tmp + "/manifest") << text;
  for (const std::string& o : objects) {
    fs::remove(o, ec);
    fs::remove(o.substr(0, o.size() - 2) + ".d", ec);
  }
  // Another iovet may have built the same key meanwhile: either result is the same build.
  fs::remove_all(dir, ec);
  fs::rename(tmp, dir, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    if (!fs::exists(so)) throw InputError(dir, "", "cannot move the build into place");
  }
  return {so, m.source_hash(tree.root), false};
}

}  // namespace iovet
