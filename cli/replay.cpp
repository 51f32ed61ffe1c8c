// `iovet replay`: every case file replays as its expectation says.
#include <chrono>
#include <iostream>

#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "cli/commands.h"

namespace iovet::cli {

int replay(const std::vector<std::string>& paths, const std::string& variant, const Output& out) {
  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"replay", std::nullopt, variant.empty() ? "(per case)" : variant, 0, {}};
  for (const std::string& file : list_case_files(paths)) {
    const auto c0 = std::chrono::steady_clock::now();
    ResultRow row{file, "case", Status::pass, {}, "", file, 0, std::nullopt, {}, std::nullopt};
    try {
      std::vector<std::string> warnings;
      const Case c = load_case(file, out.strict, &warnings);
      for (const std::string& w : warnings) std::cerr << "iovet: warning: " << w << "\n";
      row.name = c.name;
      const RunResult r = run_case(c, RunOptions{variant, false});
      const Verdict v = judge_replay(c, r);
      const auto seen = r.rules();
      row.rules.assign(seen.begin(), seen.end());
      row.status = v.status == Status::warn && out.strict ? Status::fail : v.status;
      row.message = v.message;
      row.counters = r.counters;
    } catch (const InputError& e) {
      std::cerr << "iovet: " << e.what() << "\n";
      row.status = Status::error;
      row.message = e.what();
    }
    row.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    rep.rows.push_back(std::move(row));
  }
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
