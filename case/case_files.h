// Which case files a command works on: the files named, and every *.json below the
// directories named.
#pragma once
#include <string>
#include <vector>

namespace iovet {

// Files as given; directories searched recursively for *.json, sorted so runs are
// reproducible. A path that does not exist is an InputError.
std::vector<std::string> list_case_files(const std::vector<std::string>& paths);

}  // namespace iovet
