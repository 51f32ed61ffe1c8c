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
  std::string signature = {};  // a failing or warning property's finding (props/finding.h)
  std::string finding = {};    // under --baseline, for a failing or warning row: "new" or "known"
  // A proof row on a kernel tree: its encoding checked against the tree's own function.
  struct TreeCheck {
    std::string against;  // FILE:FUNCTION
    u64 inputs = 0, agree = 0;
    std::string disagreement;  // the first input where they differ, with both values; "" when none
  };
  std::optional<TreeCheck> tree_check = {};
};

// A finding of the baseline report that this run no longer shows.
struct GoneFinding {
  std::string name;
  std::string signature;
};

struct Report {
  std::string command;  // check, replay, prove, ...
  std::optional<u64> seed;
  std::string variant;
  double elapsed_s = 0;
  std::vector<ResultRow> rows;
  std::optional<std::string> baseline = {};  // the --baseline report's file
  std::vector<GoneFinding> gone = {};
};

// What identifies a failing or warning row's finding: its signature, else (a proof, a report
// from before signatures) its name.
std::string finding_key(const ResultRow& row);

struct Summary {
  int pass = 0, fail = 0, warn = 0, error = 0, skip = 0;
  int total() const { return pass + fail + warn + error + skip; }
};
Summary summarize(const Report& r);

// 2 when any row is an error, else 1 when any failed (or warned, under strict), else 0. Under
// a baseline only new findings count.
int exit_code(const Report& r, bool strict);

nlohmann::ordered_json report_to_json(const Report& r);
// One row as the report's JSON has it, and back (a row crossing a campaign worker's pipe).
nlohmann::ordered_json row_to_json(const ResultRow& row);
ResultRow row_from_json(const nlohmann::ordered_json& j);
std::string render_json(const Report& r);  // report_to_json, indented, with a trailing newline
std::string render_ktap(const Report& r);  // KTAP version 1
std::string render_text(const Report& r);

}  // namespace iovet
