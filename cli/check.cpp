// `iovet check`: every property of the chosen targets on one variant; minimal cases go to
// --corpus-out.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "case/input_error.h"
#include "cli/commands.h"
#include "props/catalog.h"
#include "props/parallel.h"
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

  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"check", a.seed, a.variant, 0, {}};
  CampaignOptions opt{a.seed, a.runs, a.budget_s, a.variant};
  std::vector<Property> props;
  for (Target t : targets)
    for (Property& p : properties_for(t)) props.push_back(std::move(p));
  const bool tty = isatty(STDERR_FILENO);
  std::vector<PropertyResult> results =
      check_properties(props, opt, a.jobs ? a.jobs : default_jobs(), [&](std::size_t k, const std::string& name) {
        if (tty) std::cerr << "\r\033[K[" << k + 1 << "/" << props.size() << "] " << name << std::flush;
      });
  for (std::size_t k = 0; k < props.size(); ++k) {
    PropertyResult& pr = results[k];
    ResultRow row{pr.name, "property", pr.status, {pr.rules.begin(), pr.rules.end()}, pr.message, "", pr.time_s,
                  static_cast<u64>(pr.runs), pr.counters, std::nullopt};
    if (pr.minimal_case && !a.corpus_out.empty()) {
      Case& c = *pr.minimal_case;
      c.name = case_name(a.variant, pr.name);
      c.description = "minimal case for " + props[k].rule + " found by property " + pr.name;
      c.provenance = finding_provenance("check", a.seed);
      c.provenance["property"] = pr.name;
      if (auto k = kernel_provenance(*v, c.config)) c.provenance["kernel"] = *k;
      row.case_path = write_finding(a.corpus_out, c);
    }
    rep.rows.push_back(std::move(row));
  }
  // The variant's arithmetic obligations belong to its DMA layer.
  if (a.target == "dma" || a.target == "all") {
    if (tty) std::cerr << "\r\033[K[proofs] " << a.variant << std::flush;
    add_proof_rows(rep, ProveArgs{a.variant, "", 4000, a.corpus_out, 0, a.seed});
  }
  if (tty) std::cerr << "\r\033[K" << std::flush;
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
