// `iovet explain`: a readable trace of one case: each op, its IOVA allocation, the segments
// drawn against their boundary windows, the violations and the verdict.
#include <iostream>

#include "case/case_json.h"
#include "cli/commands.h"

namespace iovet::cli {

int explain(const std::string& path, const std::string& variant, bool strict) {
  std::vector<std::string> warnings;
  const Case c = load_case(path, strict, &warnings);
  for (const std::string& w : warnings) std::cerr << "iovet: warning: " << w << "\n";
  RunOptions opt{variant, true};
  const RunResult r = run_case(c, opt);
  std::cout << "case " << c.name << " (target " << target_name(c.target) << ", variant " << effective_variant(c, opt)
            << ")\n";
  if (!c.description.empty()) std::cout << "  " << c.description << "\n";
  // Each op's trace, then the violations judged at that op.
  auto violations_at = [&](int op) {
    for (const Violation& v : r.violations)
      if (v.op == op) std::cout << "    !! " << v.rule << ": " << v.message << "\n";
  };
  for (std::size_t k = 0; k < r.trace.size(); ++k) {
    const TraceLine& t = r.trace[k];
    const bool first = k == 0 || r.trace[k - 1].op != t.op;
    std::cout << (first && t.op >= 0 ? "\n[" + std::to_string(t.op) + "] " : std::string("    ")) << t.text << "\n";
    if (k + 1 == r.trace.size() || r.trace[k + 1].op != t.op) violations_at(t.op);
  }
  std::cout << "\nviolations:\n";
  if (r.violations.empty()) std::cout << "  none\n";
  for (const Violation& v : r.violations)
    std::cout << "  op " << v.op << "  " << v.rule << ": " << v.message << "\n";
  for (const auto& [k, n] : r.counters) std::cout << k << ": " << n << "\n";
  if (r.misuse_from >= 0) std::cout << "misuse from op " << r.misuse_from << " on: only dma.crash, dma.bug and dma.misuse are judged\n";
  const Verdict v = judge_replay(c, r);
  std::cout << "verdict: " << status_name(v.status) << (v.message.empty() ? "" : " (" + v.message + ")") << "\n";
  return v.status == Status::fail ? 1 : 0;
}

}  // namespace iovet::cli
