// `iovet vet`: a patch's effect on the judged behaviour of a kernel tree, one row per finding;
// minimal cases of introduced violations and behavioural changes go to --corpus-out.
#include <chrono>
#include <filesystem>

#include "cli/commands.h"
#include "props/vet.h"
#include "run/variants.h"

namespace iovet::cli {
namespace {

// Case names are [a-z0-9._-]+.
std::string slug(const std::string& s, std::size_t max) {
  std::string out;
  for (char ch : s) {
    const char c = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
    if (keep) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
    if (out.size() >= max) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

int vet(const VetArgs& a, const Output& out) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!a.corpus_out.empty()) std::filesystem::create_directories(a.corpus_out);
  VetResult v = iovet::vet(a.patches, VetOptions{{a.seed, a.runs, a.budget_s, "", {}}, a.kernel_tree});
  const std::string tree = "Linux " + v.base.version + " (" + v.base.root + ")";
  Report rep{"vet", a.seed, tree + " vs patched", 0, {}, std::nullopt, {}};
  std::string names;
  for (const Patch& p : v.patches) {
    names += (names.empty() ? "" : "; ") + p.name;
    std::string files;
    for (const std::string& f : p.paths) files += (files.empty() ? "" : ", ") + f;
    rep.rows.push_back({"patch " + p.name, "patch", Status::pass, {}, "applies to " + tree + "; touches " + files, "", 0, std::nullopt, {}, "", ""});
  }
  for (VetFinding& f : v.findings) {
    ResultRow row{std::string(verdict_name(f.verdict)) + " " + f.name, "vet", f.status, {}, f.message, "", f.time_s,
                  f.runs ? std::optional<u64>(f.runs) : std::nullopt, {}, f.signature, ""};
    if (!f.rule.empty()) row.rules.push_back(f.rule);
    if (f.minimal && !a.corpus_out.empty()) {
      Case& c = *f.minimal;
      c.name = "vet-" + slug(v.patches.back().name, 40) + "-" + slug(row.name, 60);
      c.description = "iovet vet (" + names + "): " + row.name + ": " + f.message;
      c.provenance = finding_provenance("vet", a.seed);
      c.provenance["patch"] = names;
      c.provenance["patched_tree"] = v.patched.root;
      if (auto k = kernel_provenance(*find_variant(kVetPatched), c.config)) c.provenance["kernel"] = *k;
      if (auto k = kernel_provenance(*find_variant(kVetBase), c.config)) c.provenance["base_kernel"] = *k;
      row.case_path = write_finding(a.corpus_out, c);
    }
    rep.rows.push_back(std::move(row));
  }
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
