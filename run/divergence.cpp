#include "run/divergence.h"

#include <algorithm>
#include <map>

namespace iovet {
namespace {

// Everything a run showed at each op, in order: its observations, then its rules.
std::map<int, std::vector<std::string>> by_op(const RunResult& r) {
  std::map<int, std::vector<std::string>> out;
  for (const TraceLine& t : r.observed) out[t.op].push_back(t.text);
  for (const Violation& v : r.violations) {
    std::vector<std::string>& lines = out[v.op];
    const std::string rule = "  violates " + v.rule;
    if (std::find(lines.begin(), lines.end(), rule) == lines.end()) lines.push_back(rule);
  }
  return out;
}

}  // namespace

std::optional<Divergence> first_divergence(const RunResult& a, const RunResult& b) {
  const auto oa = by_op(a), ob = by_op(b);
  auto ia = oa.begin(), ib = ob.begin();
  static const std::vector<std::string> none;
  while (ia != oa.end() || ib != ob.end()) {
    const int op = ia == oa.end() ? ib->first : ib == ob.end() ? ia->first : std::min(ia->first, ib->first);
    const auto& la = ia != oa.end() && ia->first == op ? ia->second : none;
    const auto& lb = ib != ob.end() && ib->first == op ? ib->second : none;
    if (la != lb) return Divergence{op, la, lb};
    if (ia != oa.end() && ia->first == op) ++ia;
    if (ib != ob.end() && ib->first == op) ++ib;
  }
  return std::nullopt;
}

}  // namespace iovet
