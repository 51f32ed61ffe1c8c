// AddressSanitizer inside kernel code, as KASAN would report it in the kernel: when iovet itself
// is built with ASan (-DIOVET_SANITIZE=ON), the kernel objects are built with
// -fsanitize=address -fsanitize-recover=address, and a report raised while kernel code runs
// kills that instance with the report's summary (dma.crash) instead of aborting iovet. A
// report raised by iovet's own code still aborts.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "kernel/abi/kabi.h"

namespace iovet {

// The extra compiler flags for kernel objects in this build of iovet (none without ASan).
std::vector<std::string> kernel_sanitizer_flags();

// Routes reports to this loaded object while it runs kernel code.
void watch_sanitizer_reports(const kabi_ops* ops);

// An ASan report in one deterministic paragraph (no addresses): the bug, the access, and the
// kernel frames of the access, free and allocation stacks.
std::string summarize_asan_report(std::string_view report);

}  // namespace iovet
