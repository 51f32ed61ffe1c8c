// Memory errors and undefined behaviour inside kernel code are verdicts carrying a report, as
// KASAN and UBSAN would report them in the kernel: planted patches to a scratch copy of the
// linux-6.1 tree, each replayed as a small case. UBSan's bounds/shift/bool/enum checks trap in
// every build; AddressSanitizer needs iovet built with it (-DIOVET_SANITIZE=ON, as CI's second
// build is), which builds the kernel objects with it too.
#include <catch2/catch.hpp>

#include "kernel/sanitizer.h"
#include "run/run.h"
#include "run/variants.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;

namespace {

// What the one dma.crash verdict of a run says.
std::string crash_message(const RunResult& r) {
  for (const Violation& v : r.violations)
    if (v.rule == "dma.crash") return v.message;
  return "";
}

Case iova_case(std::vector<Op> ops) {
  Case c;
  c.name = "t";
  c.target = Target::iova;
  c.ops = std::move(ops);
  return c;
}

}  // namespace

TEST_CASE("UBSan: a magazine push one past pfns[] is a dma.crash naming the function and line", "[kernel][sanitizer]") {
  // 128 IOVAs freed to one CPU's rcache: with iova_magazine_full() off by one, the 128th
  // push writes pfns[IOVA_MAG_SIZE].
  std::vector<Op> ops;
  for (int i = 0; i < 128; ++i) ops.push_back({op::IovaAlloc{"a" + std::to_string(i), 1, 0xfffff, true, true}, {}});
  for (int i = 0; i < 128; ++i) ops.push_back({op::IovaFree{"a" + std::to_string(i), true}, {}});
  const Case c = iova_case(ops);
  CHECK(crash_message(run_case(c, {"linux-6.1"})).empty());
  register_kernel_tree(kerneltest::scratch_tree("ubsan-magazine", {"iova-magazine-off-by-one"}));
  const std::string msg = crash_message(run_case(c, {kKernelTreeVariant}));
  INFO(msg);
  CHECK(msg.find("UBSAN") != std::string::npos);
  CHECK(msg.find("iova_magazine_push (drivers/iommu/iova.c:") != std::string::npos);
}

TEST_CASE("a fault in kernel code names the kernel function and line", "[kernel][sanitizer]") {
  register_kernel_tree(kerneltest::scratch_tree("located-crash", {"iova-crash"}));
  const std::string msg = crash_message(run_case(iova_case({{op::IovaAlloc{"a", 3, 0xfffff, true, false}, {}}}), {kKernelTreeVariant}));
  INFO(msg);
  CHECK(msg.find("NULL dereference") != std::string::npos);
  CHECK(msg.find(" in alloc_iova (drivers/iommu/iova.c:") != std::string::npos);
}

TEST_CASE("ASan: a use-after-free of an iova node is a dma.crash carrying the report", "[kernel][sanitizer]") {
  const Case c = iova_case({{op::IovaAlloc{"a", 4, 0xfffff, true, false}, {}}, {op::IovaFree{"a", false}, {}}});
  CHECK(crash_message(run_case(c, {"linux-6.1"})).empty());
#if defined(__SANITIZE_ADDRESS__)
  register_kernel_tree(kerneltest::scratch_tree("asan-use-after-free", {"iova-use-after-free"}));
  const RunResult r = run_case(c, {kKernelTreeVariant});
  const std::string msg = crash_message(r);
  INFO(msg);
  CHECK(msg.find("AddressSanitizer (as KASAN): heap-use-after-free") != std::string::npos);
  CHECK(msg.find("remove_iova (drivers/iommu/iova.c:") != std::string::npos);
  CHECK(msg.find("; freed in free_iova_mem (drivers/iommu/iova.c:") != std::string::npos);
  CHECK(r.violations.size() == 1);  // the instance died with the report: nothing runs after it
#else
  WARN("iovet is not built with AddressSanitizer: the use-after-free is not observable here");
#endif
}

TEST_CASE("an ASan report is summarised without addresses, from the kernel's own frames", "[kernel][sanitizer]") {
  const char* report = R"(=================================================================
==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x6030000a1b28 at pc 0x7f3a1c2d4e5f bp 0x7ffd1 sp 0x7ffd0
READ of size 8 at 0x6030000a1b28 thread T0
    #0 0x7f3a1c2d4e5e in __cached_rbnode_delete_update drivers/iommu/iova.c:112
    #1 0x7f3a1c2d4e5e in remove_iova drivers/iommu/iova.c:350
    #2 0x7f3a1c2d5000 in free_iova drivers/iommu/iova.c:423
    #3 0x7f3a1c2d6000 in kabi_iova_free iovet/kernel/glue/iova.c:90
    #4 0x55d1 in iovet::KernelIova::free(unsigned long) /work/main/kernel/kernel_iova.cpp:60

0x6030000a1b28 is located 8 bytes inside of 48-byte region [0x6030000a1b20,0x6030000a1b50)
freed by thread T0 here:
    #0 0x7f3a1d in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52
    #1 0x7f3a1c in kabi_untracked_free iovet/kernel/shim/runtime.c:34
    #2 0x7f3a1c in free_iova_mem drivers/iommu/iova.c:240
    #3 0x7f3a1c in free_iova drivers/iommu/iova.c:422

previously allocated by thread T0 here:
    #0 0x7f3a1d in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x7f3a1c in kabi_malloc iovet/kernel/shim/runtime.c:85
    #2 0x7f3a1c in alloc_iova_mem drivers/iommu/iova.c:230

SUMMARY: AddressSanitizer: heap-use-after-free drivers/iommu/iova.c:112 in __cached_rbnode_delete_update
)";
  CHECK(summarize_asan_report(report) ==
        "AddressSanitizer (as KASAN): heap-use-after-free, READ of size 8 in __cached_rbnode_delete_update "
        "(drivers/iommu/iova.c:112) <- remove_iova (drivers/iommu/iova.c:350) <- free_iova (drivers/iommu/iova.c:423); "
        "freed in free_iova_mem (drivers/iommu/iova.c:240) <- free_iova (drivers/iommu/iova.c:422); "
        "allocated in alloc_iova_mem (drivers/iommu/iova.c:230)");
}
