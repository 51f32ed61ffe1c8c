// `iovet replay`: every case file replays as its expectation says, one job per file.
#include <chrono>
#include <iostream>

#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "cli/commands.h"
#include "props/parallel.h"
#include "run/variants.h"

namespace iovet::cli {
namespace {

ResultRow replay_file(const std::string& file, const std::string& variant, bool strict) {
  const auto c0 = std::chrono::steady_clock::now();
  ResultRow row{file, "case", Status::pass, {}, "", file, 0, std::nullopt, {}, "", ""};
  try {
    std::vector<std::string> warnings;
    const Case c = load_case(file, strict, &warnings);
    for (const std::string& w : warnings) std::cerr << "iovet: warning: " << w << "\n";
    row.name = c.name;
    const RunResult r = run_case(c, RunOptions{variant, false});
    const Verdict v = judge_replay(c, r);
    const auto seen = r.rules();
    row.rules.assign(seen.begin(), seen.end());
    row.status = v.status == Status::warn && strict ? Status::fail : v.status;
    row.message = v.message;
    row.counters = r.counters;
  } catch (const InputError& e) {
    std::cerr << "iovet: " << e.what() << "\n";
    row.status = Status::error;
    row.message = e.what();
  }
  row.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
  return row;
}

// The kernel objects the cases run on, built and loaded before the workers fork, so each is
// built once.
void load_case_kernels(const std::vector<std::string>& files, const std::string& variant) {
  for (const std::string& file : files) {
    try {
      const Case c = load_case(file, false, nullptr);
      if (const Variant* v = find_variant(effective_variant(c, RunOptions{variant, false})))
        kernel_provenance(*v, c.config);
    } catch (const InputError&) {
      // The file's own job reports it.
    }
  }
}

}  // namespace

int replay(const std::vector<std::string>& paths, const std::string& variant, unsigned jobs, const Output& out) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"replay", std::nullopt, variant.empty() ? "(per case)" : variant, 0, {}, std::nullopt, {}};
  const std::vector<std::string> files = list_case_files(paths);
  std::vector<RowJob> rows;
  for (const std::string& file : files)
    rows.push_back({file, "case", [&file, &variant, &out] { return replay_file(file, variant, out.strict); }});
  const unsigned n = jobs ? jobs : default_jobs();
  if (n > 1 && files.size() > 1) load_case_kernels(files, variant);
  rep.rows = run_row_jobs(rows, n, [](std::size_t, const std::string&) {});
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
