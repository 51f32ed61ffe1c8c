// `iovet explain`: one replayed case rendered for people, op by op: each op's trace, the
// figures its runner recorded (a map_sg's segments against the boundary windows, the IOVA
// layout, a page-table walk), the violations judged at that op and the verdict. As text for a
// terminal, or as one self-contained HTML page (no network) with the violations highlighted.
#pragma once
#include <string>
#include <vector>

#include "case/case.h"
#include "run/run.h"

namespace iovet {

struct Explained {
  const Case& c;
  const RunResult& r;
  std::string variant;  // the variant that ran
  Verdict verdict;
};

std::string render_explain_text(const Explained& e);
std::string render_explain_html(const Explained& e);

// One IOTLB entry's columns, shared by the text and HTML figures: its tag ("asid 1", or
// "vmid 2 s2"), input range, output and permissions.
struct IotlbColumns {
  std::string tag, input, output, perm;
};
IotlbColumns iotlb_columns(const IotlbLine& e);

// A figure as indented text lines, as the text explain prints it.
std::vector<std::string> figure_lines(const Figure& f, const Config& cfg);

}  // namespace iovet
