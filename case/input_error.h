// Bad input (malformed JSON, impossible config, unknown op, dangling id): reported with the
// file and JSON pointer, exit code 2.
#pragma once
#include <stdexcept>
#include <string>

namespace iovet {

struct InputError : std::runtime_error {
  InputError(std::string file, std::string pointer, std::string what)
      : std::runtime_error(format(file, pointer, what)),
        file(std::move(file)),
        pointer(std::move(pointer)),
        problem(std::move(what)) {}
  std::string file;
  std::string pointer;
  std::string problem;

 private:
  static std::string format(const std::string& f, const std::string& p, const std::string& w) {
    std::string s = f.empty() ? std::string("<input>") : f;
    if (!p.empty()) s += ": " + p;
    return s + ": " + w;
  }
};

}  // namespace iovet
