#include <cstdio>

#include "report/report.h"
#include "report/text_util.h"

namespace iovet {
namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return u;
}

}  // namespace

std::string render_text(const Report& r) {
  std::string out;
  for (const ResultRow& row : r.rows) {
    char status[8];
    std::snprintf(status, sizeof status, "%-5s", upper(status_name(row.status)).c_str());
    out += std::string(status) + " " + row.name;
    if (!row.rules.empty()) out += "  [" + join(row.rules, ", ") + "]";
    // One line per row: a message's later lines are folded in.
    if (!row.message.empty()) out += "  " + join(split_lines(row.message), " / ");
    if (!row.case_path.empty()) out += "  (case " + row.case_path + ")";
    for (const auto& [k, v] : row.counters) out += "  " + k + "=" + std::to_string(v);
    if (!row.signature.empty()) out += "  {" + row.signature + "}";
    if (row.finding == "new") out += "  NEW FINDING";
    out += "\n";
  }
  for (const GoneFinding& g : r.gone) out += "GONE  " + g.name + "  {" + g.signature + "}  in the baseline, not found now\n";
  const Summary s = summarize(r);
  char line[200];
  std::snprintf(line, sizeof line, "%d results: %d pass, %d fail, %d warn, %d error, %d skip (%.2f s)\n",
                s.total(), s.pass, s.fail, s.warn, s.error, s.skip, r.elapsed_s);
  out += "iovet " + r.command + ": " + line;
  return out;
}

}  // namespace iovet
