#include "kernel/sanitizer.h"

#include <cstdlib>
#include <sstream>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>

// Kernel objects are built to recover, so a report in kernel code returns to it; iovet's own
// code is not (-fno-sanitize-recover), and its reports still abort (on_report below).
extern "C" const char* __asan_default_options() { return "halt_on_error=0"; }
#endif

namespace iovet {
namespace {

std::vector<const kabi_ops*>& watched() {
  static std::vector<const kabi_ops*> v;
  return v;
}

[[maybe_unused]] void on_report(const char* report) {
  const std::string s = summarize_asan_report(report);
  for (const kabi_ops* o : watched())
    if (o->sanitizer_report(s.c_str())) return;
  std::abort();  // not kernel code: iovet's own memory error
}

// A stack frame of the report: "#0 0x7f.. in remove_iova drivers/iommu/iova.c:345".
struct Frame {
  std::string fn, where;
};

bool parse_frame(const std::string& line, Frame& f) {
  std::istringstream in(line);
  std::string num, addr, in_word;
  if (!(in >> num >> addr >> in_word) || num.empty() || num[0] != '#' || in_word != "in") return false;
  in >> f.fn;
  std::getline(in >> std::ws, f.where);
  return true;
}

// Frames of the kernel's own code: the shim's allocator and the sanitizer's interceptors are
// skipped, and the glue (the ABI boundary) ends the stack.
std::string kernel_frames(const std::vector<Frame>& frames) {
  std::string s;
  int kept = 0;
  for (const Frame& f : frames) {
    if (f.where.rfind("iovet/kernel/glue/", 0) == 0) break;
    if (f.where.rfind("iovet/kernel/", 0) == 0 || f.where.find("libsanitizer") != std::string::npos ||
        f.fn.rfind("__interceptor_", 0) == 0)
      continue;
    if (f.where.empty() || f.where[0] == '(' || f.where[0] == '/') break;  // outside the tree
    s += (kept ? " <- " : "") + f.fn + " (" + f.where + ")";
    if (++kept == 4) break;
  }
  return s;
}

}  // namespace

std::vector<std::string> kernel_sanitizer_flags() {
#if defined(__SANITIZE_ADDRESS__)
  // frame pointers: ASan records the allocation and free stacks with the fast unwinder
  return {"-fsanitize=address", "-fsanitize-recover=address", "-fno-omit-frame-pointer"};
#else
  return {};
#endif
}

void watch_sanitizer_reports(const kabi_ops* ops) {
#if defined(__SANITIZE_ADDRESS__)
  if (watched().empty()) __asan_set_error_report_callback(on_report);
#endif
  watched().push_back(ops);
}

std::string summarize_asan_report(std::string_view report) {
  std::istringstream in{std::string(report)};
  std::string kind, access, stacks[3];
  std::vector<Frame> frames;
  int block = -1;  // 0 the access, 1 freed by, 2 allocated by
  auto flush = [&] {
    if (block >= 0 && stacks[block].empty()) stacks[block] = kernel_frames(frames);
    frames.clear();
  };
  for (std::string line; std::getline(in, line);) {
    const std::size_t lead = line.find_first_not_of(' ');
    const std::string t = lead == std::string::npos ? "" : line.substr(lead);
    Frame f;
    if (const std::size_t p = t.find("ERROR: AddressSanitizer: "); p != std::string::npos) {
      std::istringstream w(t.substr(p + 25));
      w >> kind;
    } else if (access.empty() && (t.rfind("READ of size", 0) == 0 || t.rfind("WRITE of size", 0) == 0)) {
      flush();
      access = t.substr(0, t.find(" at "));
      block = 0;
    } else if (t.rfind("freed by thread", 0) == 0) {
      flush();
      block = 1;
    } else if (t.rfind("previously allocated by thread", 0) == 0) {
      flush();
      block = 2;
    } else if (parse_frame(t, f)) {
      frames.push_back(std::move(f));
    }
  }
  flush();
  std::string s = "AddressSanitizer (as KASAN): " + (kind.empty() ? std::string("memory error") : kind);
  if (!access.empty()) s += ", " + access;
  if (!stacks[0].empty()) s += " in " + stacks[0];
  if (!stacks[1].empty()) s += "; freed in " + stacks[1];
  if (!stacks[2].empty()) s += "; allocated in " + stacks[2];
  return s;
}

}  // namespace iovet
