#include "report/sg_drawing.h"

namespace iovet {
namespace {

constexpr int kCols = 32;

// One window as a bar: '#' where [lo, hi] covers it.
std::string bar(u64 wbase, u64 wsize, u64 lo, u64 hi) {
  std::string s(kCols, '.');
  const u64 cell = wsize / kCols ? wsize / kCols : 1;
  for (int k = 0; k < kCols; ++k) {
    const u64 a = wbase + cell * k, b = a + cell - 1;
    if (a <= hi && lo <= b) s[k] = '#';
  }
  return "|" + s + "|";
}

}  // namespace

SegmentWindows segment_windows(const Scatterlist& s, u64 mask) {
  SegmentWindows w;
  w.lo = s.dma_address;
  w.hi = s.dma_address + (s.dma_length ? s.dma_length - 1 : 0);
  w.bounded = mask != ~u64{0};
  w.first = w.lo & ~mask;
  w.last = w.hi & ~mask;
  return w;
}

std::vector<std::string> draw_segments(const SgFigure& f, const Config& cfg) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < f.in.size(); ++i)
    lines.push_back("entry " + std::to_string(i) + ": phys " + hex(f.in[i].phys()) + " length " + hex(f.in[i].length) +
                    " (offset " + hex(f.in[i].phys() & (cfg.granule - 1)) + " in its granule)");
  if (f.ret <= 0) return lines;
  const u64 mask = cfg.device.seg_boundary_mask;
  for (int j = 0; j < f.ret && j < static_cast<int>(f.out.size()); ++j) {
    const Scatterlist& s = f.out[j];
    const SegmentWindows w = segment_windows(s, mask);
    std::string head = "segment " + std::to_string(j) + ": [" + hex(w.lo) + ", " + hex(w.hi) + "] length " + hex(s.dma_length);
    if (!w.bounded) {
      lines.push_back(head + "  (no segment boundary)");
      continue;
    }
    const u64 wsize = mask + 1;
    if (!w.crosses()) {
      lines.push_back(head + "  inside window [" + hex(w.first) + ", " + hex(w.first + mask) + "]");
      lines.push_back("  " + bar(w.first, wsize, w.lo, w.hi));
    } else {
      lines.push_back(head + "  CROSSES the boundary at " + hex(w.first + wsize));
      lines.push_back("  " + bar(w.first, wsize, w.lo, w.hi) + (w.last - w.first > wsize ? "..." : "") +
                      bar(w.last, wsize, w.lo, w.hi));
    }
  }
  return lines;
}

}  // namespace iovet
