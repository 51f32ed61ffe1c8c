#include "kernel/library.h"

#include <dlfcn.h>
#include <pthread.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "case/input_error.h"
#include "kernel/build.h"
#include "kernel/page_pool.h"
#include "kernel/sanitizer.h"
#include "kernel/symbolize.h"
#include "kernel/unit_guard.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet {
namespace {

// One host per page size: the ABI's alloc_pages() takes an order of the object's PAGE_SIZE.
template <unsigned Shift>
const kabi_host* host() {
  static const kabi_host h{[](unsigned order) { return PagePool::get().alloc(Shift, order); },
                           [](void* p, unsigned order) { PagePool::get().free(p, Shift, order); }};
  return &h;
}

const kabi_host* host_for(unsigned shift) {
  switch (shift) {
    case 12: return host<12>();
    case 14: return host<14>();
    case 16: return host<16>();
  }
  return nullptr;
}

using Loaded = std::map<std::pair<std::string, unsigned>, std::unique_ptr<KernelLibrary>>;
Loaded& loaded() {
  static Loaded l;
  return l;
}

// A forked worker (props/parallel) inherits every loaded object but not its hang timer.
void rearm_after_fork() {
  for (const auto& [key, lib] : loaded())
    if (lib) lib->ops->init(host_for(lib->page_shift), kernel_hang_ms());
}

}  // namespace

unsigned kernel_hang_ms() {
  const char* s = std::getenv("IOVET_KERNEL_HANG_MS");
  const long v = s ? std::strtol(s, nullptr, 10) : 0;
  return v > 0 ? static_cast<unsigned>(v) : 2000;
}

void KernelLibrary::check(const kabi_inst* inst, int status) const {
  if (status == KABI_OK) return;
  const std::string what = ops->fault_message(inst) + source_location(so_path, ops->fault_pc(inst));
  switch (status) {
    case KABI_BUG: throw KernelBug(what);
    case KABI_HANG: throw KernelHang(what);
    default: throw KernelCrash(what);
  }
}

const KernelLibrary& load_kernel_library(const KernelTree& tree, unsigned page_shift) {
  static const int atfork = pthread_atfork(nullptr, nullptr, rearm_after_fork);
  (void)atfork;
  auto& slot = loaded()[{tree.root, page_shift}];
  if (slot) return *slot;
  const kabi_host* h = host_for(page_shift);
  if (!h) throw InputError(tree.root, "", "no kernel build for a CPU page size of 2^" + std::to_string(page_shift));
  const KernelObject obj = build_kernel_object(tree, page_shift);
  void* dl = dlopen(obj.so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!dl) throw InputError(obj.so_path, "", std::string("cannot load the kernel object: ") + dlerror());
  using GetOps = const kabi_ops* (*)();
  auto get = reinterpret_cast<GetOps>(dlsym(dl, "kabi_get_ops"));
  const kabi_ops* ops = get ? get() : nullptr;
  if (!ops || ops->abi_version != KABI_VERSION || ops->page_shift != page_shift)
    throw InputError(obj.so_path, "", "the kernel object does not have iovet's ABI (kabi_get_ops)");
  install_unit_guard();  // first: the object's guard goes above it and hands model faults down
  ops->init(h, kernel_hang_ms());
  watch_sanitizer_reports(ops);
  auto lib = std::make_unique<KernelLibrary>();
  lib->ops = ops;
  lib->tree = tree;
  lib->source_hash = obj.source_hash;
  lib->so_path = obj.so_path;
  lib->page_shift = page_shift;
  slot = std::move(lib);
  return *slot;
}

}  // namespace iovet
