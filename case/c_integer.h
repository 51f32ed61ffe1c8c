// Unsigned integers written the way C writes them ("0x40001000", "4096", octal "010"): the
// case format accepts them as strings so 64-bit values survive JSON readers that use doubles.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "spec/types.h"

namespace iovet {

// The value of s, or nullopt with *why saying what is wrong (bad digit, over 64 bits, ...).
std::optional<u64> parse_c_integer(std::string_view s, std::string* why = nullptr);

}  // namespace iovet
