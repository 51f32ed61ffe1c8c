#include "spec/types.h"

#include <algorithm>
#include <cstdio>

namespace iovet {

std::string_view dir_name(Dir d) {
  switch (d) {
    case Dir::bidirectional: return "bidirectional";
    case Dir::to_device: return "to_device";
    case Dir::from_device: return "from_device";
  }
  return "?";
}

bool parse_dir(std::string_view s, Dir& out) {
  for (Dir d : {Dir::bidirectional, Dir::to_device, Dir::from_device})
    if (s == dir_name(d)) {
      out = d;
      return true;
    }
  return false;
}

std::vector<Range> merge_ranges(std::vector<Range> rs) {
  std::sort(rs.begin(), rs.end(), [](const Range& a, const Range& b) { return a.first < b.first; });
  std::vector<Range> merged;
  for (const Range& r : rs)
    if (!merged.empty() && (merged.back().last == ~u64{0} || r.first <= merged.back().last + 1))
      merged.back().last = std::max(merged.back().last, r.last);
    else
      merged.push_back(r);
  return merged;
}

std::string hex(u64 v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace iovet
