// Writing a file so that readers see either the old content or the whole new one, never a
// half-written file (a crash or a full disk mid-write leaves the old file in place).
#pragma once
#include <string>

namespace iovet {

// Writes text to a temporary file in path's directory, fsyncs it, renames it over path and
// fsyncs the directory. Throws std::runtime_error (with the path and errno text) on failure,
// after removing the temporary file.
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace iovet
