#include "fuzz/artifact.h"

#include <fstream>
#include <iterator>
#include <optional>

#include "case/input_error.h"

namespace iovet::fuzz {
namespace {

int sextet(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '+' || ch == '-') return 62;
  if (ch == '/' || ch == '_') return 63;
  return -1;
}

// The bytes a text of one Base64 line (standard or URL alphabet, padded or not) stands for;
// nullopt when it is not one.
std::optional<std::string> from_base64(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.back() == '=') s.pop_back();
  if (s.empty() || s.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned acc = 0, bits = 0;
  for (char ch : s) {
    const int v = sextet(ch);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::string read_artifact(const std::string& path, bool base64) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the artifact");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path, "", "cannot read the artifact");
  if (!base64) return bytes;
  if (auto b = from_base64(bytes)) return *b;
  throw InputError(path, "", "not one line of Base64");
}

}  // namespace iovet::fuzz
