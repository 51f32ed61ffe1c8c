#include "spec/types.h"

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

std::string hex(u64 v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace iovet
