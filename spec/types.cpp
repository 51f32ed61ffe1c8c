#include "spec/types.h"

#include <bit>
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

int dir_to_prot(Dir d, bool coherent) {
  int p = coherent ? prot::cache : 0;
  switch (d) {
    case Dir::bidirectional: return p | prot::read | prot::write;
    case Dir::to_device: return p | prot::read;
    case Dir::from_device: return p | prot::write;
  }
  return 0;
}

u64 roundup_pow_of_two(u64 x) {
  if (x <= 1) return 1;
  if (x > (u64{1} << 63)) return 0;
  return std::bit_ceil(x);
}


std::string hex(u64 v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace iovet
