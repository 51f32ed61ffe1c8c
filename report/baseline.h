// `iovet check --baseline REPORT.json`: the findings of an earlier JSON report, and each row of
// this run marked as a new or a known finding against them.
#pragma once
#include <map>
#include <string>

#include "report/report.h"

namespace iovet {

struct Baseline {
  std::string file;
  std::map<std::string, std::string> findings;  // finding_key -> the row's name
};

// Throws InputError naming the file and the JSON pointer when it is missing or malformed.
Baseline load_baseline(const std::string& path);

// Marks every failing or warning row "new" or "known" and lists the baseline's findings gone.
void apply_baseline(Report& r, const Baseline& b);

}  // namespace iovet
