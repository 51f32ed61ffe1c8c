#include <sstream>

#include "report/explain.h"
#include "report/lpae_walk_text.h"
#include "report/sg_drawing.h"
#include "report/smmu_trace_text.h"

namespace iovet {
namespace {

std::vector<std::string> iova_lines(const IovaFigure& f, u64 granule) {
  std::vector<std::string> out;
  for (const IovaFigure::Span& s : f.live)
    if (s.added)
      out.push_back("iova allocated: [" + hex(s.bytes.first) + ", " + hex(s.bytes.last) + "] (" +
                    std::to_string((s.bytes.last - s.bytes.first + 1) / granule) + " granules)");
  return out;
}

std::vector<std::string> iotlb_lines(const IotlbFigure& f) {
  std::vector<std::string> out{"IOTLB now holds " + std::to_string(f.lines.size()) +
                               (f.lines.size() == 1 ? " entry" : " entries") + (f.lines.empty() ? "" : ":")};
  for (const IotlbFigure::Line& l : f.lines) {
    const IotlbColumns c = iotlb_columns(l.entry);
    out.push_back("  " + c.tag + " " + c.input + " -> " + c.output + " " + c.perm +
                  (l.stale ? "  STALE: the page table no longer maps it so" : ""));
  }
  return out;
}

}  // namespace

IotlbColumns iotlb_columns(const IotlbLine& e) {
  return {e.stage2 ? "vmid " + std::to_string(e.vmid) + " s2" : "asid " + std::to_string(e.asid),
          "[" + hex(e.in) + ", " + hex(e.in + e.size - 1) + "]", hex(e.out),
          std::string(e.read ? "r" : "-") + (e.write ? "w" : "-")};
}

std::vector<std::string> figure_lines(const Figure& f, const Config& cfg) {
  std::vector<std::string> lines;
  if (auto* sg = std::get_if<SgFigure>(&f)) lines = draw_segments(*sg, cfg);
  else if (auto* iova = std::get_if<IovaFigure>(&f)) lines = iova_lines(*iova, cfg.granule);
  else if (auto* tlb = std::get_if<IotlbFigure>(&f)) lines = iotlb_lines(*tlb);
  else if (auto* t = std::get_if<SmmuTrace>(&f)) lines = {smmu_trace_text(*t)};
  else lines = lpae_walk_lines(std::get<WalkFigure>(f));
  for (std::string& l : lines) l = "  " + l;
  return lines;
}

std::string render_explain_text(const Explained& e) {
  const Case& c = e.c;
  const RunResult& r = e.r;
  std::ostringstream os;
  os << "case " << c.name << " (target " << target_name(c.target) << ", variant " << e.variant << ")\n";
  if (!c.description.empty()) os << "  " << c.description << "\n";
  std::vector<TraceLine> lines;
  for (const TraceLine& t : r.trace) {
    if (!t.figure) lines.push_back(t);
    else
      for (std::string& l : figure_lines(*t.figure, c.config)) lines.push_back({t.op, std::move(l)});
  }
  // Each op's trace, then the violations judged at that op.
  auto violations_at = [&](int op) {
    for (const Violation& v : r.violations)
      if (v.op == op) os << "    !! " << v.rule << ": " << v.message << "\n";
  };
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const TraceLine& t = lines[k];
    const bool first = k == 0 || lines[k - 1].op != t.op;
    os << (first && t.op >= 0 ? "\n[" + std::to_string(t.op) + "] " : std::string("    ")) << t.text << "\n";
    if (k + 1 == lines.size() || lines[k + 1].op != t.op) violations_at(t.op);
  }
  os << "\nviolations:\n";
  if (r.violations.empty()) os << "  none\n";
  for (const Violation& v : r.violations) os << "  op " << v.op << "  " << v.rule << ": " << v.message << "\n";
  for (const auto& [k, n] : r.counters) os << k << ": " << n << "\n";
  if (r.misuse_from >= 0)
    os << "misuse from op " << r.misuse_from << " on: only dma.crash, dma.bug and dma.misuse are judged\n";
  os << "verdict: " << status_name(e.verdict.status) << (e.verdict.message.empty() ? "" : " (" + e.verdict.message + ")")
     << "\n";
  return os.str();
}

}  // namespace iovet
