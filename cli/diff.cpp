// `iovet diff`: the same generated workloads on two variants; each workload's first
// divergence, shrunk to a minimal case written to --corpus-out.
#include <chrono>
#include <filesystem>

#include "case/input_error.h"
#include "cli/commands.h"
#include "props/diff.h"
#include "run/variants.h"

namespace iovet::cli {

int diff(const DiffArgs& a, const Output& out) {
  if (a.variants.size() != 2) throw InputError("", "--variant", "diff compares exactly two variants (--variant A --variant B)");
  const std::string& va = a.variants[0];
  const std::string& vb = a.variants[1];
  std::vector<Target> targets;
  for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu}) {
    if (a.target != "all" && a.target != target_name(t)) continue;
    bool both = true;
    for (const std::string& name : a.variants) {
      const Variant* v = find_variant(name);
      if (!v) throw InputError("", "--variant", "unknown variant '" + name + "' (see `iovet list variants`)");
      both &= v->runs(t);
    }
    if (both) targets.push_back(t);
    else if (a.target != "all") throw InputError("", "--target", "both variants must run target " + a.target);
  }
  if (targets.empty()) throw InputError("", "--variant", "the two variants share no target");
  if (!a.corpus_out.empty()) std::filesystem::create_directories(a.corpus_out);

  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"diff", a.seed, va + " vs " + vb, 0, {}, std::nullopt, {}};
  const CampaignOptions opt{a.seed, a.runs, a.budget_s, "", {}};
  for (Target t : targets)
    for (DiffResult& d : diff_target(t, va, vb, opt)) {
      ResultRow row{"diff/" + d.workload, "diff", Status::pass, {}, "", "", d.time_s, static_cast<u64>(d.runs), {}, "", ""};
      if (!d.error.empty()) {
        row.status = Status::error;
        row.message = d.error;
      } else if (d.divergence) {
        row.status = Status::fail;
        row.message = describe_sides(*d.divergence, va, vb);
        if (!a.corpus_out.empty()) {
          Case& c = *d.minimal;
          c.name = "diff-" + va + "-" + vb + "-" + d.workload;
          c.description = "iovet diff " + va + " vs " + vb + ": " + row.message;
          c.provenance = finding_provenance("diff", a.seed);
          c.provenance["variants"] = {va, vb};
          row.case_path = write_finding(a.corpus_out, c);
        }
      }
      rep.rows.push_back(std::move(row));
    }
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
