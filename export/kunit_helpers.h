// The C text of the assertion helpers an exported KUnit suite carries (kernel style, tabs).
#pragma once

namespace iovet {

// iova.zero, iova.window, iova.alignment, iova.overlap over the iova API.
const char* kunit_iova_helpers();
// Pinning the test's task to the CPU an iova op runs on.
const char* kunit_cpu_helpers();
// pt.range, pt.exists, pt.translation, pt.permission over alloc_io_pgtable_ops().
const char* kunit_pgtable_helpers();

}  // namespace iovet
