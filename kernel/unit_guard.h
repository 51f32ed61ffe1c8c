// The unit guard: a fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL) inside a call into the unit under
// test becomes KernelCrash, so a hand model that dereferences NULL is a dma.crash verdict with
// its case, as a fault in compiled kernel code is (kernel/shim/guard.c), not a dead campaign.
//
// Why a sigsetjmp guard and not a fork per case: a fork costs more than a whole judged case
// (the campaign judges >200k DMA ops/s), while sigsetjmp without the signal mask makes no system
// call. The price: the jump skips the destructors of the unit's frames, so the unit's state is
// torn and whatever those frames owned leaks. The runner therefore treats the unit as dead, as
// the kernel path does: no further call, and the object is buried (kept reachable, never
// destroyed: its destructor would walk the torn state). Only the unit's frames are skipped:
// the guard wraps each call into the unit, not the runner's step or the judge, so a fault in
// iovet's own code still reaches the handler installed before (ASan's, or the default one).
//
// One mechanism for both kinds of unit: every call into any unit goes through unit_call(). A
// kernel object keeps its own guard inside it (kernel/shim/guard.c: it must also catch BUG(),
// hangs and sanitizer reports, in code built -nostdinc), installed above this one and handing
// down every fault outside kernel code, so a fault in a model reaches this guard whichever
// units are loaded. Both end as the same exceptions, which run/kernel_outcome.h maps to verdicts.
#pragma once
#include <csetjmp>
#include <csignal>
#include <memory>
#include <type_traits>

#include "spec/unit/kernel_outcome.h"

namespace iovet {

// A fault caught by the unit guard: the unit is torn and must be buried (bury()).
struct UnitFault : KernelCrash {
  using KernelCrash::KernelCrash;
};

namespace unit_guard_detail {
struct Guard {
  sigjmp_buf env;
  volatile std::sig_atomic_t armed = 0;
  char message[96] = {};
};
Guard& guard();  // installs the handlers on first use
[[noreturn]] void throw_fault(Guard& g);
void keep(const void* dead);
}  // namespace unit_guard_detail

// Installs the unit guard's handlers now: before any kernel object's, which must sit above it.
void install_unit_guard();

// Calls f() (one call into the unit under test) behind the guard; nested calls share the outer one.
template <class F>
decltype(auto) unit_call(F&& f) {
  using R = decltype(f());
  unit_guard_detail::Guard& g = unit_guard_detail::guard();
  if (g.armed) return f();
  if (sigsetjmp(g.env, 0) != 0) unit_guard_detail::throw_fault(g);
  g.armed = 1;
  try {
    if constexpr (std::is_void_v<R>) {
      f();
      g.armed = 0;
    } else {
      R r = f();
      g.armed = 0;
      return r;
    }
  } catch (...) {
    g.armed = 0;
    throw;
  }
}

// A unit torn by a fault: never destroyed, kept reachable (LeakSanitizer must not count it).
template <class T>
void bury(std::unique_ptr<T>& unit) {
  unit_guard_detail::keep(unit.release());
}

}  // namespace iovet
