#include "kernel/symbolize.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "kernel/spawn.h"

namespace iovet {

std::string source_location(const std::string& so_path, std::uint64_t offset) {
  static std::map<std::pair<std::string, std::uint64_t>, std::string> cache;
  if (!offset) return "";
  auto [it, fresh] = cache.try_emplace({so_path, offset});
  if (!fresh) return it->second;
  char addr[32];
  std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(offset));
  const CommandResult r = run_commands({Command{{"addr2line", "-f", "-i", "-e", so_path, addr}}}, 1).front();
  if (r.status != 0) return "";
  // -f -i: pairs of lines, function then file:line, the innermost inlined function first.
  std::istringstream in(r.output);
  std::vector<std::string> parts;
  for (std::string fn, where; std::getline(in, fn) && std::getline(in, where);) {
    if (fn == "??") continue;
    where = where.substr(0, where.find(" (discriminator"));
    if (where.rfind("./", 0) == 0) where.erase(0, 2);  // the build's compilation directory, "."
    parts.push_back(fn + " (" + where + ")");
  }
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", inlined in " : " in ") + parts[i];
  return it->second = s;
}

}  // namespace iovet
