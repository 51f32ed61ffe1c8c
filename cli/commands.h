// The subcommands of `iovet`: each parses nothing itself and returns the exit code.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "case/case.h"
#include "report/report.h"

namespace iovet::cli {

struct Output {
  std::string format = "text";  // text, json, ktap (explain: text, html)
  bool strict = false;
};

// What a generated campaign needs, for check and diff alike.
struct CampaignArgs {
  u64 seed = 1;
  int runs = 200;
  double budget_s = 0;
  std::string corpus_out;
};

struct CheckArgs : CampaignArgs {
  std::string target = "all";
  std::string variant = "mainline";
  unsigned jobs = 0;  // properties and proofs at once; 0: the machine's cores
  std::string baseline;  // an earlier JSON report: only new findings fail
};

struct ProveArgs {
  std::string variant;  // "" = every variant
  std::string only;
  // Per Z3 query, wall clock: a backstop. What bounds a query is Z3's rlimit (smt/prove.h),
  // which a loaded machine does not reach sooner, so results do not depend on the load.
  unsigned timeout_ms = 60000;
  std::string corpus_out;
  // On a kernel tree variant: random inputs each encoding is checked on against the tree's
  // function before its proof is believed, and their seed. 0: no tree check, and the
  // variant's own obligations only (check's proof rows).
  unsigned tree_inputs = 1000;
  u64 seed = 1;
};

struct DiffArgs : CampaignArgs {
  std::vector<std::string> variants;  // exactly two
  std::string target = "all";
};

struct VetArgs : CampaignArgs {
  std::vector<std::string> patches;  // files, applied in order
  std::string kernel_tree;           // the base tree; empty: linux-6.1
};

// `iovet import`: fuzzer artifacts of one fuzz target (target x variant) as reduced cases.
struct ImportArgs {
  std::vector<std::string> artifacts;
  std::string target;
  std::string variant = "mainline";
  std::string engine = "libfuzzer";  // provenance only
  std::string corpus_out;
  bool base64 = false;  // each artifact is one line of Base64
};

int check(const CheckArgs& a, const Output& out);
int import_artifacts(const ImportArgs& a, const Output& out);
int diff(const DiffArgs& a, const Output& out);
int prove(const ProveArgs& a, const Output& out);
// Exit 1 when the patch introduces a violation (a hardening one under --strict only).
int vet(const VetArgs& a, const Output& out);
// One row of a report, computed by one job of a campaign's pool (props/parallel.h).
struct RowJob {
  std::string name;
  std::string kind;  // the row's, should its worker die
  std::function<ResultRow()> row;
};
// The rows in the jobs' order, `jobs` at once (each in its own process when more than one);
// progress(k, name) before job k starts. A worker that dies is its row's error.
std::vector<ResultRow> run_row_jobs(const std::vector<RowJob>& rows, unsigned jobs,
                                    const std::function<void(std::size_t, const std::string&)>& progress);
// One job per Z3 obligation of a.variant, for check's pool; counterexample cases go to a.corpus_out.
std::vector<RowJob> proof_jobs(const ProveArgs& a);
int replay(const std::vector<std::string>& paths, const std::string& variant, unsigned jobs, const Output& out);
int explain(const std::string& path, const std::string& variant, const Output& out);
// Writes the iova and pgtable cases among paths as one KUnit suite to out_path; the others are
// named on stderr as not exportable. Exit 2 when no case exports.
int export_kunit(const std::vector<std::string>& paths, const std::string& out_path, bool strict);
int list(const std::string& what);

// Prints the report in the chosen format and returns its exit code.
int emit(const Report& r, const Output& out);

// --corpus-out: writes a finding's minimal case as DIR/<c.name>.json (whole or not at all) and
// returns the path; every finding's provenance starts with what found it, the seed and the
// tool's version.
std::string write_finding(const std::string& dir, const Case& c);
nlohmann::ordered_json finding_provenance(const std::string& found_by, u64 seed);

}  // namespace iovet::cli
