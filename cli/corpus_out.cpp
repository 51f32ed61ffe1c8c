// --corpus-out: the one way check, diff, prove and vet put a finding's minimal case in a
// corpus directory.
#include <filesystem>

#include "case/atomic_write.h"
#include "case/case_json.h"
#include "cli/commands.h"

namespace iovet::cli {

std::string write_finding(const std::string& dir, const Case& c) {
  const std::string path = (std::filesystem::path(dir) / (c.name + ".json")).string();
  write_file_atomic(path, case_to_text(c));
  return path;
}

nlohmann::ordered_json finding_provenance(const std::string& found_by, u64 seed) {
  return {{"found_by", found_by}, {"seed", seed}, {"tool_version", IOVET_VERSION}};
}

}  // namespace iovet::cli
