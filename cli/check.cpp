// `iovet check`: every property of the chosen targets on one variant; minimal cases go to
// --corpus-out.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "case/input_error.h"
#include "cli/commands.h"
#include "props/catalog.h"
#include "props/parallel.h"
#include "report/baseline.h"
#include "run/variants.h"

namespace iovet::cli {
namespace {

// Case names are [a-z0-9._-]+: the property name with '/' made '-'.
std::string case_name(const std::string& variant, const std::string& property) {
  std::string s = variant + "-" + property;
  for (char& ch : s)
    if (ch == '/') ch = '-';
  return s;
}

}  // namespace

int check(const CheckArgs& a, const Output& out) {
  const Variant* v = find_variant(a.variant);
  if (!v) throw InputError("", "--variant", "unknown variant '" + a.variant + "' (see `iovet list variants`)");
  // `all` is every target the variant runs.
  std::vector<Target> targets;
  for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu}) {
    if (a.target != "all" && a.target != target_name(t)) continue;
    if (v->runs(t)) targets.push_back(t);
    else if (a.target != "all")
      throw InputError("", "--target", "variant '" + a.variant + "' does not run target " + a.target);
  }
  if (!a.corpus_out.empty()) std::filesystem::create_directories(a.corpus_out);
  std::optional<Baseline> baseline;
  if (!a.baseline.empty()) baseline = load_baseline(a.baseline);  // before the campaign: bad input is exit 2 at once

  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"check", a.seed, a.variant, 0, {}, std::nullopt, {}};
  const CampaignOptions opt{a.seed, a.runs, a.budget_s, a.variant, {}};
  std::vector<Property> props;
  for (Target t : targets)
    for (Property& p : properties_for(t)) props.push_back(std::move(p));
  // Each property is one job; so is each of the variant's arithmetic obligations, which belong
  // to its DMA layer, all in one pool. The proofs start first: each is indivisible and some
  // take seconds, so the pool ends on many short properties and no core idles at the end.
  std::vector<RowJob> jobs;
  if (a.target == "dma" || a.target == "all") {
    ProveArgs pa;
    pa.variant = a.variant;
    pa.corpus_out = a.corpus_out;
    jobs = proof_jobs(pa);
  }
  const std::size_t proofs = jobs.size();
  for (const Property& p : props)
    jobs.push_back({p.name, "property", [&p, &opt, &a, v] {
                      const PropertyResult pr = check_property(p, opt);
                      ResultRow row{pr.name, "property", pr.status, {pr.rules.begin(), pr.rules.end()}, pr.message,
                                    "", pr.time_s, static_cast<u64>(pr.runs), pr.counters, pr.signature, ""};
                      if (pr.minimal_case && !a.corpus_out.empty()) {
                        Case c = *pr.minimal_case;
                        c.name = case_name(a.variant, pr.name);
                        c.description = "minimal case for " + p.rule + " found by property " + pr.name;
                        c.provenance = finding_provenance("check", a.seed);
                        c.provenance["property"] = pr.name;
                        if (auto k = kernel_provenance(*v, c.config)) c.provenance["kernel"] = *k;
                        row.case_path = write_finding(a.corpus_out, c);
                      }
                      return row;
                    }});
  const unsigned n = a.jobs ? a.jobs : default_jobs();
  if (n > 1) load_kernel_objects(a.variant);
  const bool tty = isatty(STDERR_FILENO);
  rep.rows = run_row_jobs(jobs, n, [&](std::size_t k, const std::string& name) {
    if (tty) std::cerr << "\r\033[K[" << k + 1 << "/" << jobs.size() << "] " << name << std::flush;
  });
  // The report lists the properties, then the proofs.
  std::rotate(rep.rows.begin(), rep.rows.begin() + static_cast<std::ptrdiff_t>(proofs), rep.rows.end());
  if (tty) std::cerr << "\r\033[K" << std::flush;
  if (baseline) apply_baseline(rep, *baseline);
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
