// iovet_fuzz_seeds TARGET VARIANT OUT_DIR [--with-findings] CASE_PATHS...: the cases of TARGET
// among the case files, encoded as fuzzer inputs (fuzz/case_bytes.h), one file per case named
// after it. Those whose input already aborts the VARIANT's target are left out unless
// --with-findings: a seed that aborts stops the engine before it starts, and a seed that is
// the finding tells nothing of the time to find it.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "case/atomic_write.h"
#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "fuzz/case_bytes.h"
#include "fuzz/fuzz_one.h"
#include "run/run.h"

using namespace iovet;

namespace {
// What the target does with the input: decode, run, judge (fuzz/fuzz_one.h).
bool aborts(Target t, const std::string& variant, const std::string& bytes) {
  const Case c = fuzz::decode_case(t, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), {variant});
  const RunOptions opt{variant, false, false};
  return !refused(c, opt) && fuzz::fuzz_finding(run_case(c, opt), fuzz::strict_from_env());
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: iovet_fuzz_seeds TARGET VARIANT OUT_DIR [--with-findings] CASE_PATHS...\n";
    return 2;
  }
  Target t{};
  if (!parse_target(argv[1], t)) {
    std::cerr << "iovet_fuzz_seeds: unknown target '" << argv[1] << "'\n";
    return 2;
  }
  const std::string variant = argv[2], out = argv[3];
  bool with_findings = false;
  std::vector<std::string> paths;
  for (int k = 4; k < argc; ++k) {
    if (std::string(argv[k]) == "--with-findings") with_findings = true;
    else paths.push_back(argv[k]);
  }
  try {
    std::filesystem::create_directories(out);
    fuzz::fuzz_init(variant);
    int n = 0;
    for (const std::string& file : list_case_files(paths)) {
      const Case c = load_case(file, false, nullptr);
      if (c.target != t) continue;
      const std::string bytes = fuzz::encode_case(c);
      if (!with_findings && aborts(t, variant, bytes)) continue;
      write_file_atomic((std::filesystem::path(out) / c.name).string(), bytes);
      ++n;
    }
    std::cerr << "iovet_fuzz_seeds: " << n << " " << argv[1] << " seeds in " << out << "\n";
  } catch (const InputError& e) {
    std::cerr << "iovet_fuzz_seeds: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "iovet_fuzz_seeds: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
