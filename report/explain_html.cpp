// The HTML explain: one self-contained page (inline CSS, inline SVG, a few lines of inline
// script, no network). Violations are highlighted where they happen: the op's section, the
// segment that crosses its boundary window, and a summary at the top linking to each op.
#include <algorithm>
#include <map>
#include <sstream>

#include "report/explain.h"
#include "report/lpae_walk_text.h"
#include "report/sg_drawing.h"
#include "report/smmu_trace_text.h"

namespace iovet {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char ch : s) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += ch;
    }
  }
  return o;
}

constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:980px}
h1{font-size:1.3em}h2{font-size:1.05em;margin:0 0 .3em;font-family:monospace}
pre{margin:.2em 0;font-size:12.5px;white-space:pre-wrap}
table{border-collapse:collapse;font:12.5px monospace;margin:.3em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
.op{border:1px solid #ccc;border-radius:6px;padding:.6em .8em;margin:.8em 0}
.op.has-violation{border:2px solid #c00;background:#fff5f5}
.violation{color:#a00;font-weight:600;font-family:monospace;font-size:12.5px;margin:.2em 0}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;background:#2a7}
.verdict.fail,.verdict.error{background:#c00}.verdict.warn{background:#c80}
.config td:first-child{color:#555}
svg text{font:11px monospace;fill:#333}
.window{fill:#f4f4f4;stroke:#999}.boundary{stroke:#c00;stroke-dasharray:4 3;stroke-width:1.5}
.segment{fill:#4a7bd0}.segment.crossing{fill:#d22;stroke:#600;stroke-width:2}
.iotlb tr.stale td{background:#fdd;color:#a00;font-weight:600}
.span{fill:#9bb7e6;stroke:#4a7bd0}.span.added{fill:#3c9a5f;stroke:#1f5a35}
)";

// Highlights the first violation once the page is shown (and says so in the DOM, for tests).
constexpr const char* kScript = R"(
document.addEventListener('DOMContentLoaded',function(){
 var v=document.querySelector('.op.has-violation');
 if(v){document.body.dataset.firstViolation=v.id;v.scrollIntoView();}
});
)";

std::string config_table(const Case& c) {
  const Config& k = c.config;
  std::ostringstream os;
  os << "<table class=\"config\">";
  auto row = [&](const std::string& a, const std::string& b) { os << "<tr><td>" << esc(a) << "</td><td>" << esc(b) << "</td></tr>"; };
  row("page size / granule", hex(k.page_size) + " / " + hex(k.granule));
  if (c.target == Target::dma || c.target == Target::smmu) {
    row("dma_mask", hex(k.device.dma_mask));
    row("seg_boundary_mask", hex(k.device.seg_boundary_mask));
    row("max_seg_size", hex(k.device.max_seg_size));
    const Range a = k.aperture();
    row("aperture", "[" + hex(a.first) + ", " + hex(a.last) + "]");
  }
  os << "</table>\n";
  return os.str();
}

// Each output segment against the boundary windows it touches (at most two drawn: the first
// and the last, a gap between them when it spans more).
std::string sg_svg(const SgFigure& f, const Config& cfg) {
  std::ostringstream os;
  os << "<table><tr><th>entry</th><th>phys</th><th>length</th></tr>";
  for (std::size_t i = 0; i < f.in.size(); ++i)
    os << "<tr><td>" << i << "</td><td>" << hex(f.in[i].phys()) << "</td><td>" << hex(f.in[i].length) << "</td></tr>";
  os << "</table>\n";
  const int n = std::min<int>(f.ret, static_cast<int>(f.out.size()));
  if (n <= 0) return os.str();
  const u64 mask = cfg.device.seg_boundary_mask;
  constexpr int W = 900, row_h = 46, win_w = 400;
  os << "<svg class=\"sg\" width=\"" << W << "\" height=\"" << n * row_h + 10 << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (int j = 0; j < n; ++j) {
    const SegmentWindows w = segment_windows(f.out[j], mask);
    const int y = 5 + j * row_h;
    std::string cls = w.crosses() ? "segment crossing" : "segment";
    os << "<g class=\"sg-row\" data-segment=\"" << j << "\">";
    os << "<text x=\"0\" y=\"" << y + 12 << "\">segment " << j << ": [" << hex(w.lo) << ", " << hex(w.hi) << "]"
       << (w.crosses() ? " crosses the boundary at " + hex(w.first + mask + 1) : w.bounded ? "" : " (no segment boundary)")
       << "</text>";
    if (!w.bounded) {
      os << "<rect class=\"" << cls << "\" x=\"0\" y=\"" << y + 18 << "\" width=\"" << win_w << "\" height=\"16\"/></g>";
      continue;
    }
    const u64 wsize = mask + 1;
    const u64 bases[2] = {w.first, w.last};
    const int windows = w.crosses() ? 2 : 1;
    for (int k = 0; k < windows; ++k) {
      const int x0 = k * (win_w + 40);
      const u64 base = bases[k];
      os << "<rect class=\"window\" x=\"" << x0 << "\" y=\"" << y + 18 << "\" width=\"" << win_w << "\" height=\"16\"/>";
      // The part of the segment inside this window, to scale.
      const u64 lo = std::max(w.lo, base), hi = std::min(w.hi, base + mask);
      const double a = static_cast<double>(lo - base) / static_cast<double>(wsize);
      const double b = static_cast<double>(hi - base + 1) / static_cast<double>(wsize);
      const int x = x0 + static_cast<int>(a * win_w);
      const int width = std::max(2, static_cast<int>((b - a) * win_w));
      os << "<rect class=\"" << cls << "\" x=\"" << x << "\" y=\"" << y + 20 << "\" width=\"" << width << "\" height=\"12\"/>";
      if (k == 1) {
        os << "<line class=\"boundary\" x1=\"" << x0 << "\" y1=\"" << y + 14 << "\" x2=\"" << x0 << "\" y2=\"" << y + 38 << "\"/>";
        if (w.last - w.first > wsize) os << "<text x=\"" << x0 - 34 << "\" y=\"" << y + 31 << "\">...</text>";
      }
    }
    if (w.crosses())
      os << "<line class=\"boundary\" x1=\"" << win_w << "\" y1=\"" << y + 14 << "\" x2=\"" << win_w << "\" y2=\"" << y + 38 << "\"/>";
    os << "</g>";
  }
  os << "</svg>\n";
  return os.str();
}

// The live IOVA ranges along one axis from the lowest to the highest, the op's new ones green.
std::string iova_svg(const IovaFigure& f, u64 granule) {
  if (f.live.empty()) return "<p>no IOVA allocated</p>\n";
  u64 lo = f.live.front().bytes.first, hi = f.live.front().bytes.last;
  for (const IovaFigure::Span& s : f.live) {
    lo = std::min(lo, s.bytes.first);
    hi = std::max(hi, s.bytes.last);
  }
  constexpr int W = 860;
  const double span = static_cast<double>(hi - lo) + 1;
  std::ostringstream os;
  os << "<svg class=\"iova\" width=\"" << W + 20 << "\" height=\"" << 40 + 14 * f.live.size()
     << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  os << "<text x=\"0\" y=\"11\">" << hex(lo) << "</text><text x=\"" << W - 130 << "\" y=\"11\">" << hex(hi) << "</text>";
  int row = 0;
  for (const IovaFigure::Span& s : f.live) {
    const int x = static_cast<int>(static_cast<double>(s.bytes.first - lo) / span * W);
    const int w = std::max(2, static_cast<int>((static_cast<double>(s.bytes.last - s.bytes.first) + 1) / span * W));
    const int y = 16 + 14 * row++;
    os << "<rect class=\"span" << (s.added ? " added" : "") << "\" x=\"" << x << "\" y=\"" << y << "\" width=\"" << w
       << "\" height=\"10\"><title>[" << hex(s.bytes.first) << ", " << hex(s.bytes.last) << "] "
       << (s.bytes.last - s.bytes.first + 1) / granule << " granules</title></rect>";
  }
  os << "</svg>\n";
  return os.str();
}

std::string walk_table(const WalkFigure& w) {
  if (std::string why = walk_refused(w); !why.empty()) return "<pre>" + esc(why) + "</pre>\n";
  std::ostringstream os;
  os << "<table class=\"walk\"><tr><th colspan=\"5\">walk of " << hex(w.iova) << "</th></tr>"
     << "<tr><th>level</th><th>table</th><th>index</th><th>descriptor</th><th>meaning</th></tr>";
  for (const WalkFigure::Step& s : w.steps) {
    os << "<tr" << (s.kind == WalkFigure::Kind::invalid ? " class=\"fault\"" : "") << "><td>L" << s.level << "</td><td>"
       << hex(s.table) << "</td><td>" << s.index << "</td><td>" << hex(s.pte) << "</td><td>" << esc(walk_step_meaning(w, s)) << "</td></tr>";
  }
  os << "</table>\n";
  return os.str();
}

std::string iotlb_table(const IotlbFigure& f) {
  std::ostringstream os;
  os << "<table class=\"iotlb\"><tr><th colspan=\"5\">IOTLB now (" << f.lines.size() << ")</th></tr>"
     << "<tr><th>tag</th><th>input</th><th>output</th><th>perm</th><th>page table now</th></tr>";
  for (const IotlbFigure::Line& l : f.lines) {
    const IotlbColumns c = iotlb_columns(l.entry);
    os << "<tr" << (l.stale ? " class=\"stale\"" : "") << "><td>" << esc(c.tag) << "</td><td>" << c.input << "</td><td>"
       << c.output << "</td><td>" << c.perm << "</td><td>" << (l.stale ? "STALE: no longer maps it so" : "agrees") << "</td></tr>";
  }
  os << "</table>\n";
  return os.str();
}

std::string figure_html(const Figure& f, const Config& cfg) {
  if (auto* sg = std::get_if<SgFigure>(&f)) return sg_svg(*sg, cfg);
  if (auto* iova = std::get_if<IovaFigure>(&f)) return iova_svg(*iova, cfg.granule);
  if (auto* tlb = std::get_if<IotlbFigure>(&f)) return iotlb_table(*tlb);
  if (auto* t = std::get_if<SmmuTrace>(&f)) return "<pre>  " + esc(smmu_trace_text(*t)) + "</pre>\n";
  return walk_table(std::get<WalkFigure>(f));
}

}  // namespace

std::string render_explain_html(const Explained& e) {
  const Case& c = e.c;
  const RunResult& r = e.r;
  std::map<int, std::vector<const Violation*>> at;
  for (const Violation& v : r.violations) at[v.op].push_back(&v);
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>iovet explain: " << esc(c.name)
     << "</title>\n<style>" << kStyle << "</style>\n<script>" << kScript << "</script></head>\n<body>\n";
  const std::string verdict(status_name(e.verdict.status));
  os << "<h1>" << esc(c.name) << " <span class=\"verdict " << verdict << "\">" << verdict << "</span></h1>\n";
  os << "<p>target " << target_name(c.target) << ", variant " << esc(e.variant)
     << (e.verdict.message.empty() ? "" : "; " + esc(e.verdict.message)) << "</p>\n";
  if (!c.description.empty()) os << "<p>" << esc(c.description) << "</p>\n";
  os << config_table(c);
  os << "<h2>violations</h2>\n";
  if (r.violations.empty()) os << "<p>none</p>\n";
  else {
    os << "<ul class=\"summary\">";
    for (const Violation& v : r.violations)
      os << "<li><a href=\"#op-" << v.op << "\">op " << v.op << "</a> <b>" << esc(v.rule) << "</b>: " << esc(v.message) << "</li>";
    os << "</ul>\n";
  }
  if (r.misuse_from >= 0)
    os << "<p>misuse from op " << r.misuse_from << " on: only dma.crash, dma.bug and dma.misuse are judged</p>\n";
  // One section per op (and one for notes that belong to none), in trace order.
  std::size_t k = 0;
  while (k < r.trace.size()) {
    const int op = r.trace[k].op;
    const bool bad = at.count(op) > 0;
    os << "<section class=\"op" << (bad ? " has-violation" : "") << "\" id=\"op-" << op << "\">\n";
    bool titled = false;
    for (; k < r.trace.size() && r.trace[k].op == op; ++k) {
      const TraceLine& t = r.trace[k];
      if (t.figure) os << figure_html(*t.figure, c.config);
      else if (!titled && op >= 0) {
        os << "<h2>[" << op << "] " << esc(t.text) << "</h2>\n";
        titled = true;
      } else {
        os << "<pre>" << esc(t.text) << "</pre>\n";
      }
    }
    if (bad)
      for (const Violation* v : at[op])
        os << "<div class=\"violation\" data-rule=\"" << esc(v->rule) << "\">" << esc(v->rule) << ": " << esc(v->message)
           << "</div>\n";
    os << "</section>\n";
  }
  if (!r.counters.empty()) {
    os << "<table class=\"counters\">";
    for (const auto& [name, n] : r.counters) os << "<tr><td>" << esc(name) << "</td><td>" << n << "</td></tr>";
    os << "</table>\n";
  }
  os << "</body></html>\n";
  return os.str();
}

}  // namespace iovet
