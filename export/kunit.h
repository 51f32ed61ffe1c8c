// `iovet export --kunit`: iovet cases as one KUnit suite that replays each case against the
// kernel's own iova and io-pgtable code and checks what the spec requires of every call.
#pragma once
#include <string>
#include <vector>

#include "case/case.h"

namespace iovet {

// A loaded case and the file it came from (named in the generated comment).
struct KunitSource {
  std::string file;
  Case c;
};

// Why a case cannot become a KUnit case ("" when it can): target dma and smmu run
// dma-iommu.c, which needs a device, an IOMMU domain and a driver behind them.
std::string kunit_not_exportable(const Case& c);

// The kunit_case a case becomes (its name as a C identifier; a clash gets a suffix).
std::string kunit_case_name(const std::string& case_name);
// Whether the exported helpers check this rule through the kernel API (pt.leak and
// iova.spurious_failure need views the API does not give).
bool kunit_checks_rule(const std::string& rule);

// The C file of suite `suite`: one kunit_case per source, in order, each named after its case.
// Deterministic: same sources, same bytes. Every source must be exportable.
std::string kunit_suite_c(const std::vector<KunitSource>& sources, const std::string& suite);

}  // namespace iovet
