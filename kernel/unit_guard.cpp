#include "kernel/unit_guard.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace iovet::unit_guard_detail {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
constexpr std::size_t kAltStack = 256 * 1024;
struct sigaction g_old[NSIG];  // what was installed before: faults outside the unit go there

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    default: return "SIGILL";
  }
}

// Not ours: the previous handler (ASan's, a kernel object's guard, the default) decides, so a
// crash of iovet stays a crash.
void pass_on(int sig, siginfo_t* info, void* uctx) {
  const struct sigaction& old = g_old[sig];
  if (old.sa_flags & SA_SIGINFO) {
    old.sa_sigaction(sig, info, uctx);
    return;
  }
  if (old.sa_handler == SIG_IGN) return;
  if (old.sa_handler != SIG_DFL) {
    old.sa_handler(sig);
    return;
  }
  sigaction(sig, &old, nullptr);
  raise(sig);
}

void on_fault(int sig, siginfo_t* info, void* uctx) {
  Guard& g = guard();
  if (!g.armed) {
    pass_on(sig, info, uctx);
    return;
  }
  g.armed = 0;
  // Only a NULL-page address is named: any other varies from run to run, and the report must not.
  const auto addr = reinterpret_cast<unsigned long>(info->si_addr);
  if (sig == SIGSEGV && addr < 65536)
    std::snprintf(g.message, sizeof(g.message), "SIGSEGV (NULL dereference?) at address 0x%lx in the model", addr);
  else
    std::snprintf(g.message, sizeof(g.message), "%s in the model", signal_name(sig));
  siglongjmp(g.env, 1);
}

void install() {
  // On an alternate stack, so a runaway recursion is caught too; one already set (ASan's) is kept.
  stack_t ss{};
  if (sigaltstack(nullptr, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
    static void* stack = std::malloc(kAltStack);  // static: reachable for LeakSanitizer
    ss.ss_sp = stack;
    ss.ss_size = kAltStack;
    ss.ss_flags = 0;
    sigaltstack(&ss, nullptr);
  }
  struct sigaction sa{};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;  // NODEFER: the jump out leaves no signal blocked
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals) sigaction(sig, &sa, &g_old[sig]);
}

}  // namespace

Guard& guard() {
  static Guard* g = [] {
    install();
    return new Guard;
  }();
  return *g;
}

void throw_fault(Guard& g) {
  g.armed = 0;
  throw UnitFault(g.message);
}

void keep(const void* dead) {
  static auto* graveyard = new std::vector<const void*>;
  if (dead) graveyard->push_back(dead);
}

}  // namespace iovet::unit_guard_detail

namespace iovet {
void install_unit_guard() { unit_guard_detail::guard(); }
}  // namespace iovet
