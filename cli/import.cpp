// `iovet import`: fuzzer artifacts become regression cases. Each is decoded as the fuzz
// target decodes it (fuzz/case_bytes.h), judged with the target's rule for what aborts
// (fuzz::fuzz_finding), reduced op by op while that finding stays the first, and written like
// every finding (write_finding), stamped with the engine, target and variant.
#include <chrono>
#include <filesystem>

#include "case/input_error.h"
#include "cli/commands.h"
#include "fuzz/artifact.h"
#include "fuzz/case_bytes.h"
#include "fuzz/fuzz_one.h"
#include "fuzz/reduce.h"
#include "kernel/hash.h"
#include "props/finding.h"
#include "run/variants.h"

namespace iovet::cli {
namespace {

// The artifact's bytes, in the case name: the same artifact gives the same file.
std::string artifact_key(const std::string& bytes) {
  Hash h;
  h.add(bytes);
  return h.hex().substr(0, 8);
}

// The finding the target aborts on, or null; a case that no longer runs shows none.
std::optional<Violation> finding(const Case& c, const RunOptions& opt, bool strict) {
  try {
    if (refused(c, opt)) return std::nullopt;
    const RunResult r = run_case(c, opt);
    if (const Violation* v = fuzz::fuzz_finding(r, strict)) return *v;
  } catch (const InputError&) {
  }
  return std::nullopt;
}

ResultRow import_one(const std::string& path, Target t, const ImportArgs& a, bool strict) {
  ResultRow row{path, "case", Status::pass, {}, "", "", 0, std::nullopt, {}, "", ""};
  const std::string bytes = fuzz::read_artifact(path, a.base64);
  const Case decoded = fuzz::decode_case(t, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), {a.variant});
  const RunOptions opt{a.variant, false, false};
  const auto found = finding(decoded, opt, strict);
  if (!found) {
    row.message = "shows no violation on " + a.variant + ": nothing imported";
    return row;
  }
  Case c = fuzz::reduce_ops(decoded, [&](const Case& k) {
    const auto v = finding(k, opt, strict);
    return v && v->rule == found->rule && v->flavor == found->flavor;
  });
  const RunResult r = run_case(c, opt);
  const Violation& v = *fuzz::fuzz_finding(r, strict);
  const std::string title = "iovet: " + v.rule + " on " + a.variant + "/" + std::string(target_name(t));
  c.name = a.variant + "-fuzz-" + std::string(target_name(t)) + "-" + v.rule + "-" + artifact_key(bytes);
  c.description = "found by fuzzing (" + title + "), reduced from " + std::to_string(decoded.ops.size()) + " ops to " +
                  std::to_string(c.ops.size());
  const auto rules = r.rules();
  c.expect_rules.assign(rules.begin(), rules.end());
  c.variant = a.variant;
  c.provenance = finding_provenance("import", 0);
  c.provenance.erase("seed");  // a fuzzer's input, not a seeded campaign's
  c.provenance["engine"] = a.engine;
  c.provenance["target"] = target_name(t);
  c.provenance["variant"] = a.variant;
  c.provenance["artifact"] = std::filesystem::path(path).filename().string();
  if (const Variant* var = find_variant(a.variant))
    if (auto k = kernel_provenance(*var, c.config)) c.provenance["kernel"] = *k;
  row.name = c.name;
  row.rules.assign(rules.begin(), rules.end());
  row.status = finding_status(v.rule);
  row.message = "op " + std::to_string(v.op) + ": " + v.message;
  row.signature = finding_signature(c, v);
  row.case_path = write_finding(a.corpus_out, c);
  return row;
}

}  // namespace

int import_artifacts(const ImportArgs& a, const Output& out) {
  Target t{};
  if (!parse_target(a.target, t)) throw InputError("", "--target", "unknown target '" + a.target + "'");
  const Variant* v = find_variant(a.variant);
  if (!v) throw InputError("", "--variant", "unknown variant '" + a.variant + "' (see `iovet list variants`)");
  if (!v->runs(t)) throw InputError("", "--target", "variant '" + a.variant + "' does not run target " + a.target);
  std::filesystem::create_directories(a.corpus_out);
  const auto t0 = std::chrono::steady_clock::now();
  Report rep{"import", std::nullopt, a.variant, 0, {}, std::nullopt, {}};
  for (const std::string& path : a.artifacts) {
    const auto c0 = std::chrono::steady_clock::now();
    ResultRow row;
    try {
      row = import_one(path, t, a, out.strict);
    } catch (const InputError& e) {
      row = {path, "case", Status::error, {}, e.what(), "", 0, std::nullopt, {}, "", ""};
    }
    row.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    rep.rows.push_back(std::move(row));
  }
  rep.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return emit(rep, out);
}

}  // namespace iovet::cli
