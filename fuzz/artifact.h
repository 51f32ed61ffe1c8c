// A fuzzer's artifact as bytes: the raw file (libFuzzer's crash-*, AFL++'s id:*) or one line of
// Base64 (libFuzzer's "Base64:" line pasted into a file). Which, the caller says: raw inputs
// are often printable text that would read as Base64.
#pragma once
#include <string>

namespace iovet::fuzz {

// Throws InputError naming the file when it cannot be read or, base64, is not one Base64 line.
std::string read_artifact(const std::string& path, bool base64);

}  // namespace iovet::fuzz
