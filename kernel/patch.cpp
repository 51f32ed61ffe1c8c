#include "kernel/patch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "case/input_error.h"
#include "kernel/hash.h"
#include "kernel/spawn.h"

namespace iovet {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    out.push_back(l);
  }
  return out;
}

bool starts(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

// "--- a/drivers/iommu/iova.c\t2023-..." -> "drivers/iommu/iova.c" (-p1); "" for /dev/null.
std::string diff_path(const std::string& line) {
  std::string p = line.substr(4);
  p = p.substr(0, p.find('\t'));
  while (!p.empty() && p.back() == ' ') p.pop_back();
  if (p == "/dev/null") return "";
  const auto slash = p.find('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// The subject header, unfolded, without its "[PATCH v2 1/3]" tag.
std::string subject(const std::vector<std::string>& mail) {
  for (std::size_t i = 0; i < mail.size() && !mail[i].empty(); ++i) {
    if (!starts(mail[i], "Subject:")) continue;
    std::string s = mail[i].substr(8);
    for (std::size_t j = i + 1; j < mail.size() && !mail[j].empty() && (mail[j][0] == ' ' || mail[j][0] == '\t'); ++j)
      s += mail[j];
    s = std::regex_replace(s, std::regex("^\\s*(\\[[^\\]]*\\]\\s*)?"), "");
    return std::regex_replace(s, std::regex("\\s+"), " ");
  }
  return "";
}

// One mail (or a whole plain diff): its patch, or none when it holds no unified diff.
std::optional<Patch> parse_mail(const std::string& file, const std::vector<std::string>& mail) {
  std::size_t start = mail.size();
  for (std::size_t i = 0; i < mail.size() && start == mail.size(); ++i)
    if (starts(mail[i], "diff --git ") || (starts(mail[i], "--- ") && i + 1 < mail.size() && starts(mail[i + 1], "+++ ")))
      start = i;
  Patch p{file, subject(mail), "", {}};
  for (std::size_t i = start; i < mail.size(); ++i) {
    p.diff += mail[i] + "\n";
    if (!starts(mail[i], "--- ") || i + 1 == mail.size() || !starts(mail[i + 1], "+++ ")) continue;
    for (const std::string& path : {diff_path(mail[i]), diff_path(mail[i + 1])}) {
      if (path.empty() || std::find(p.paths.begin(), p.paths.end(), path) != p.paths.end()) continue;
      if (path[0] == '/' || ("/" + path + "/").find("/../") != std::string::npos)
        throw InputError(file, p.name, "touches a path outside the tree: " + path);
      p.paths.push_back(path);
    }
  }
  if (p.paths.empty()) return std::nullopt;
  return p;
}

// A path the patch touches becomes a real file in dir: each linked directory on the way is
// replaced by a directory of links to its entries, and a linked file by a copy.
void unlink_path(const fs::path& dir, const std::string& rel) {
  fs::path cur = dir;
  for (const fs::path& part : fs::path(rel).parent_path()) {
    cur /= part;
    if (!fs::is_symlink(cur)) {
      if (!fs::exists(cur)) return;  // a new directory: patch(1) creates it
      continue;
    }
    const fs::path target = fs::canonical(cur);
    fs::remove(cur);
    fs::create_directory(cur);
    for (const auto& e : fs::directory_iterator(target)) fs::create_symlink(e.path(), cur / e.path().filename());
  }
  const fs::path f = dir / rel;
  if (fs::is_symlink(f)) {
    const fs::path target = fs::canonical(f);
    fs::remove(f);
    fs::copy_file(target, f);
  }
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::vector<Patch> read_patches(const std::string& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw InputError(file, "", "no such file");
  if (!fs::is_regular_file(file, ec)) throw InputError(file, "", "not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file, "", "cannot read it");
  const std::vector<std::string> lines = split_lines(read_text(file));
  // An mbox: each "From <sha> <date>" line starts a mail, as git format-patch writes them.
  static const std::regex from_line("^From [0-9a-f]{40} .*");
  std::vector<std::vector<std::string>> mails(1);
  for (const std::string& l : lines) {
    if (std::regex_match(l, from_line) && !mails.back().empty()) mails.emplace_back();
    mails.back().push_back(l);
  }
  std::vector<Patch> out;
  for (const auto& mail : mails)
    if (auto p = parse_mail(file, mail)) {
      if (p->name.empty()) {
        p->name = fs::path(file).filename().string();
        if (mails.size() > 1) p->name.append("#").append(std::to_string(out.size() + 1));
      }
      out.push_back(std::move(*p));
    }
  if (out.empty())
    throw InputError(file, "", "not a patch: no unified diff in it (no 'diff --git' or '--- a/...' + '+++ b/...' lines)");
  return out;
}

void make_scratch_tree(const KernelTree& base, const std::string& dir, const std::vector<Patch>& patches) {
  const fs::path root = base.root, d = dir;
  fs::remove_all(d);
  fs::create_directories(d / "drivers");
  fs::copy(root / "drivers/iommu", d / "drivers/iommu", fs::copy_options::recursive);
  fs::copy_file(root / "Makefile", d / "Makefile");
  for (const auto& e : fs::directory_iterator(root)) {
    const std::string n = e.path().filename().string();
    if (n != "drivers" && n != "Makefile" && n[0] != '.') fs::create_symlink(e.path(), d / n);
  }
  for (const auto& e : fs::directory_iterator(root / "drivers"))
    if (e.path().filename() != "iommu") fs::create_symlink(e.path(), d / "drivers" / e.path().filename());
  for (std::size_t k = 0; k < patches.size(); ++k) {
    const Patch& p = patches[k];
    for (const std::string& path : p.paths) unlink_path(d, path);
    const std::string diff_file = dir + ".patch" + std::to_string(k);
    std::ofstream(diff_file, std::ios::binary) << p.diff;
    const CommandResult r = run_commands(
        {{{"patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-d", dir, "-i", diff_file}}}, 1)[0];
    fs::remove(diff_file);
    if (r.status == 0) continue;
    std::string why = "does not apply to " + base.root + " (Linux " + base.version + "):\n" + r.output;
    for (const std::string& path : p.paths)
      if (fs::exists(d / (path + ".rej"))) why += "rejected hunks of " + path + ":\n" + read_text(d / (path + ".rej"));
    throw InputError(p.file, p.name, why);
  }
}

KernelTree patched_tree(const KernelTree& base, const std::vector<Patch>& patches) {
  // Keyed by what the copy holds: base's copied files and the patches.
  Hash h;
  h.add(base.root);
  h.add(read_text(fs::path(base.root) / "Makefile"));
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(base.root) / "drivers/iommu"))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    h.add(f.string());
    h.add(read_text(f));
  }
  for (const Patch& p : patches) h.add(p.diff);
  const fs::path dir = fs::path(cache_dir()) / "vet" / h.hex();
  const fs::path done = dir / ".iovet-patched";
  if (!fs::exists(done)) {
    const std::string tmp = dir.string() + ".tmp" + std::to_string(getpid());
    try {
      make_scratch_tree(base, tmp, patches);
    } catch (...) {
      fs::remove_all(tmp);
      throw;
    }
    // Complete before it is renamed into place: dir never exists half made.
    std::ofstream(fs::path(tmp) / ".iovet-patched") << "";
    std::error_code ec;
    fs::rename(tmp, dir, ec);
    if (ec) fs::remove_all(tmp);  // another process got there first
  }
  return open_kernel_tree(dir.string());
}

}  // namespace iovet
