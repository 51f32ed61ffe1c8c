// A map_sg figure drawn for people: each output segment against the device's boundary
// windows (seg_boundary_mask), as text bars or as part of the HTML explain.
#pragma once
#include <string>
#include <vector>

#include "run/explain_figure.h"

namespace iovet {

// Where one output segment lies against the boundary windows.
struct SegmentWindows {
  u64 lo = 0, hi = 0;  // the segment's first and last IOVA
  u64 first = 0;       // base of the window holding lo
  u64 last = 0;        // base of the window holding hi
  bool bounded = true;  // false: seg_boundary_mask is all ones
  bool crosses() const { return bounded && first != last; }
};
SegmentWindows segment_windows(const Scatterlist& s, u64 seg_boundary_mask);

std::vector<std::string> draw_segments(const SgFigure& f, const Config& cfg);

}  // namespace iovet
