// FNV-1a, 64 bits: a cache key, not a defence against anyone.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace iovet {

struct Hash {
  unsigned long long h = 1469598103934665603ull;
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator: "ab","c" differs from "a","bc"
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", h);
    return buf;
  }
};

}  // namespace iovet
