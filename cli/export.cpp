// `iovet export --kunit`: case files and directories into one KUnit suite (export/kunit.h).
#include <iostream>

#include "case/atomic_write.h"
#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "cli/commands.h"
#include "export/kunit.h"

namespace iovet::cli {

int export_kunit(const std::vector<std::string>& paths, const std::string& out_path, bool strict) {
  std::vector<KunitSource> sources;
  std::size_t skipped = 0;
  std::string why_not;
  const std::vector<std::string> files = list_case_files(paths);
  if (files.empty()) {
    std::string named;
    for (const std::string& p : paths) named += (named.empty() ? "" : ", ") + p;
    throw InputError(named, "", "no case file (*.json) to export");
  }
  for (const std::string& file : files) {
    std::vector<std::string> warnings;
    Case c = load_case(file, strict, &warnings);
    for (const std::string& w : warnings) std::cerr << "iovet: warning: " << w << "\n";
    if (std::string why = kunit_not_exportable(c); !why.empty()) {
      std::cerr << "iovet: " << file << ": not exportable (target " << target_name(c.target) << ")\n";
      why_not = std::move(why);
      ++skipped;
      continue;
    }
    sources.push_back({file, std::move(c)});
  }
  if (!why_not.empty()) std::cerr << "iovet: not exportable: " << why_not << "\n";
  if (sources.empty()) {
    std::cerr << "iovet: nothing to export: none of the " << files.size() << " case(s) is an iova or pgtable case\n";
    return 2;
  }
  try {
    write_file_atomic(out_path, kunit_suite_c(sources, "iovet"));
  } catch (const std::runtime_error& e) {
    throw InputError(out_path, "", e.what());
  }
  std::cerr << "iovet: wrote " << out_path << ": KUnit suite iovet, " << sources.size() << " case(s)";
  if (skipped) std::cerr << "; " << skipped << " not exportable";
  std::cerr << "\n";
  return 0;
}

}  // namespace iovet::cli
