// Small string helpers the line-oriented renderers (text, KTAP) share.
#pragma once
#include <string>
#include <vector>

namespace iovet {

std::string join(const std::vector<std::string>& parts, const std::string& sep);
// s split at '\n'; an empty string gives no lines.
std::vector<std::string> split_lines(const std::string& s);

}  // namespace iovet
