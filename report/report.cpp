#include "report/report.h"

namespace iovet {

Summary summarize(const Report& r) {
  Summary s;
  for (const ResultRow& row : r.rows) {
    switch (row.status) {
      case Status::pass: ++s.pass; break;
      case Status::fail: ++s.fail; break;
      case Status::warn: ++s.warn; break;
      case Status::error: ++s.error; break;
      case Status::skip: ++s.skip; break;
    }
  }
  return s;
}

int exit_code(const Report& r, bool strict) {
  const Summary s = summarize(r);
  if (s.error) return 2;
  if (r.baseline) {
    for (const ResultRow& row : r.rows)
      if (row.finding == "new" && (row.status == Status::fail || (strict && row.status == Status::warn))) return 1;
    return 0;
  }
  if (s.fail || (strict && s.warn)) return 1;
  return 0;
}

std::string finding_key(const ResultRow& row) { return row.signature.empty() ? row.name : row.signature; }

}  // namespace iovet
