#include "case/c_integer.h"

namespace iovet {

std::optional<u64> parse_c_integer(std::string_view s, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<u64> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  if (s.empty()) return fail("empty number");
  if (s[0] == '-') return fail("negative number");
  unsigned base = 10;
  std::string_view digits = s;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    digits = s.substr(2);
    if (digits.empty()) return fail("no hex digits after 0x");
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    digits = s.substr(1);
  }
  u64 v = 0;
  for (char c : digits) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else d = 16;
    if (d >= base) {
      const char* kind = base == 16 ? "hex" : base == 8 ? "octal" : "decimal";
      return fail(std::string("bad ") + kind + " digit '" + c + "' in \"" + std::string(s) + "\"");
    }
    if (v > (~u64{0} - d) / base) return fail("\"" + std::string(s) + "\" does not fit in 64 bits");
    v = v * base + d;
  }
  return v;
}

}  // namespace iovet
