#include "tests/mutation_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace iovet::test {
namespace {

// One write(2) per line on an O_APPEND descriptor: ctest runs tests as parallel processes,
// and their lines must not interleave.
void append(const nlohmann::ordered_json& line) {
  const char* path = std::getenv("IOVET_MUTATION_LOG");
  if (!path || !*path) return;
  const std::string text = line.dump() + "\n";
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const ssize_t n = ::write(fd, text.data(), text.size());
  (void)n;
  ::close(fd);
}

}  // namespace

void record_mutant(std::string_view unit, std::string_view name, bool caught, int found_after, double found_s) {
  append({{"kind", "mutant"}, {"unit", unit}, {"name", name}, {"caught", caught}, {"found_after", found_after},
          {"found_s", found_s}});
}

void record_neutral(std::string_view unit, std::string_view name, bool clean) {
  append({{"kind", "neutral"}, {"unit", unit}, {"name", name}, {"clean", clean}});
}

}  // namespace iovet::test
