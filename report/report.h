// The results of a command (shared/corpus-format.md section 4) and their renderings: JSON for
// tools, KTAP for kernel CI, text for people.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/run.h"
#include "spec/types.h"

namespace iovet {

struct ResultRow {
  std::string name;
  std::string kind;  // "property", "proof" or "case"
  Status status = Status::pass;
  std::vector<std::string> rules;  // rules violated
  std::string message;             // why, one line (more lines only for people)
  std::string case_path;           // the case replayed or written; empty when none
  double time_s = 0;
  std::optional<u64> runs;  // generated cases, for properties
  std::map<std::string, u64> counters;  // RunResult::counters, summed over a property's runs
  // A proof row on a kernel tree: its encoding checked against the tree's own function.
  struct TreeCheck {
    std::string against;  // FILE:FUNCTION
    u64 inputs = 0, agree = 0;
    std::string disagreement;  // the first input where they differ, with both values; "" when none
  };
  std::optional<TreeCheck> tree_check;
};

struct Report {
  std::string command;  // check, replay, prove, ...
  std::optional<u64> seed;
  std::string variant;
  double elapsed_s = 0;
  std::vector<ResultRow> rows;
};

struct Summary {
  int pass = 0, fail = 0, warn = 0, error = 0, skip = 0;
  int total() const { return pass + fail + warn + error + skip; }
};
Summary summarize(const Report& r);

// 2 when any row is an error, else 1 when any failed (or warned, under strict), else 0.
int exit_code(const Report& r, bool strict);

nlohmann::ordered_json report_to_json(const Report& r);
std::string render_json(const Report& r);  // report_to_json, indented, with a trailing newline
std::string render_ktap(const Report& r);  // KTAP version 1
std::string render_text(const Report& r);

}  // namespace iovet
