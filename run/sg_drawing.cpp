#include "run/sg_drawing.h"

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

std::vector<std::string> draw_segments(const std::vector<SgInput>& in, const std::vector<Scatterlist>& out, int ret,
                                       const Config& cfg) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < in.size(); ++i)
    lines.push_back("entry " + std::to_string(i) + ": phys " + hex(in[i].phys()) + " length " + hex(in[i].length) +
                    " (offset " + hex(in[i].phys() & (cfg.granule - 1)) + " in its granule)");
  if (ret <= 0) return lines;
  const u64 mask = cfg.device.seg_boundary_mask;
  for (int j = 0; j < ret && j < static_cast<int>(out.size()); ++j) {
    const Scatterlist& s = out[j];
    const u64 lo = s.dma_address, hi = s.dma_address + (s.dma_length ? s.dma_length - 1 : 0);
    std::string head = "segment " + std::to_string(j) + ": [" + hex(lo) + ", " + hex(hi) + "] length " + hex(s.dma_length);
    if (mask == ~u64{0}) {
      lines.push_back(head + "  (no segment boundary)");
      continue;
    }
    const u64 wsize = mask + 1;
    const u64 w0 = lo & ~mask, w1 = hi & ~mask;
    if (w0 == w1) {
      lines.push_back(head + "  inside window [" + hex(w0) + ", " + hex(w0 + mask) + "]");
      lines.push_back("  " + bar(w0, wsize, lo, hi));
    } else {
      lines.push_back(head + "  CROSSES the boundary at " + hex(w0 + wsize));
      lines.push_back("  " + bar(w0, wsize, lo, hi) + (w1 - w0 > wsize ? "..." : "") + bar(w1, wsize, lo, hi));
    }
  }
  return lines;
}

}  // namespace iovet
