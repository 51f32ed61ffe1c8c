#include "props/finding.h"

#include <set>

namespace iovet {
namespace {

// op_name(), with the IOVA allocator's fast paths told apart: alloc_iova_fast() and free_iova_fast()
// go through the rcache, a different code path from alloc_iova() and free_iova().
std::string op_kind(const OpBody& b) {
  if (auto* a = std::get_if<op::IovaAlloc>(&b); a && a->fast) return "alloc_fast";
  if (auto* f = std::get_if<op::IovaFree>(&b); f && f->fast) return "free_fast";
  return std::string(op_name(b));
}

}  // namespace

std::string finding_signature(const Case& minimal, const Violation& v) {
  std::string s = v.rule + (v.flavor.empty() ? "" : "/" + v.flavor) + " at ";
  if (v.op < 0) s += "init";
  else if (static_cast<std::size_t>(v.op) < minimal.ops.size()) s += op_kind(minimal.ops[v.op].body);
  else s += "end";
  std::set<std::string> kinds;
  for (const Op& op : minimal.ops) kinds.insert(op_kind(op.body));
  s += " of ";
  bool first = true;
  for (const std::string& k : kinds) {
    s += (first ? "" : ",") + k;
    first = false;
  }
  if (kinds.empty()) s += "no op";
  return s;
}

}  // namespace iovet
