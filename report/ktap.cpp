// KTAP version 1 as Documentation/dev-tools/ktap.rst specifies it: version line, plan, one
// result line per row with its diagnostic lines directly before it.
#include <cstdio>

#include "report/report.h"
#include "report/text_util.h"

namespace iovet {
namespace {

// A description "can be any string of words (can't include #)"; newlines would end the line.
std::string ktap_name(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (c == '#' || c == '\n' || c == '\r') c = '_';
  return s;
}

std::string first_line(const std::string& s) {
  auto lines = split_lines(s);
  return lines.empty() ? std::string() : lines.front();
}

// The part after " # ": KTAP's SKIP and ERROR directives; a warn has no directive of its own,
// so it passes with diagnostic data that parsers ignore.
std::string directive(const ResultRow& row) {
  switch (row.status) {
    case Status::skip: return "SKIP " + first_line(row.message);
    case Status::error: return "ERROR " + first_line(row.message);
    case Status::warn: return "warn: " + join(row.rules, ", ");
    case Status::pass:
    case Status::fail: break;
  }
  return {};
}

}  // namespace

std::string render_ktap(const Report& r) {
  std::string out = "KTAP version 1\n1.." + std::to_string(r.rows.size()) + "\n";
  out += "# iovet " IOVET_VERSION " " + r.command;
  if (!r.variant.empty()) out += " variant=" + r.variant;
  if (r.seed) out += " seed=" + std::to_string(*r.seed);
  out += "\n";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const ResultRow& row = r.rows[i];
    if (!row.rules.empty()) out += "# rules: " + join(row.rules, ", ") + "\n";
    for (const auto& [k, v] : row.counters) out += "# " + k + ": " + std::to_string(v) + "\n";
    for (const std::string& line : split_lines(row.message)) out += "# " + line + "\n";
    if (!row.case_path.empty()) out += "# case: " + row.case_path + "\n";
    const bool ok = row.status == Status::pass || row.status == Status::warn ||
                    row.status == Status::skip;
    out += (ok ? "ok " : "not ok ") + std::to_string(i + 1) + " " + ktap_name(row.name);
    if (std::string d = directive(row); !d.empty()) out += " # " + d;
    out += "\n";
  }
  const Summary s = summarize(r);
  char totals[160];
  std::snprintf(totals, sizeof totals, "# Totals: pass:%d fail:%d warn:%d error:%d skip:%d\n",
                s.pass, s.fail, s.warn, s.error, s.skip);
  return out + totals;
}

}  // namespace iovet
