// iovet: vets the logic of the Linux IOMMU DMA stack. A thin driver over the libraries.
#include <iostream>

#include <CLI/CLI.hpp>

#include "case/input_error.h"
#include "cli/commands.h"
#include "run/variants.h"

using namespace iovet;

namespace {
// --seed, --runs | --budget, --corpus-out: per property (check) or per workload (diff).
void add_campaign_options(CLI::App* cmd, cli::CampaignArgs& a, const std::string& unit) {
  cmd->add_option("--seed", a.seed, "campaign seed: same seed, same cases");
  auto* runs = cmd->add_option("--runs", a.runs, "generated cases per " + unit)->check(CLI::Range(1, 10000000));
  cmd->add_option("--budget", a.budget_s, "seconds per " + unit + " instead of a run count")
      ->check(CLI::PositiveNumber)
      ->excludes(runs);
  cmd->add_option("--corpus-out", a.corpus_out, "directory for the minimal cases found");
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"iovet: vets the logic of the Linux IOMMU DMA stack (dma-iommu, iova, io-pgtable, SMMUv3)"};
  app.set_version_flag("--version", IOVET_VERSION);
  app.require_subcommand(1);
  cli::Output out;
  auto formats = CLI::IsMember({"text", "json", "ktap"});

  cli::CheckArgs ca;
  auto* check = app.add_subcommand("check", "run the property campaign on a variant");
  check->add_option("--target", ca.target, "dma, iova, pgtable, smmu or all")
      ->check(CLI::IsMember({"dma", "iova", "pgtable", "smmu", "all"}));
  check->add_option("--variant", ca.variant, "implementation under test (iovet list variants)");
  std::string kernel_tree;
  const char* tree_help = "a kernel source tree to run as variant kernel-tree (the default variant then)";
  check->add_option("--kernel-tree", kernel_tree, tree_help);
  add_campaign_options(check, ca, "property");
  check->add_option("-j,--jobs", ca.jobs, "properties and proofs run at once, each in its own process (default: the cores)")
      ->check(CLI::Range(1, 256));
  check->add_option("--format", out.format, "text, json or ktap")->check(formats);
  check->add_flag("--strict", out.strict, "hardening violations fail too");
  check->add_option("--baseline", ca.baseline,
                    "an earlier `check --format json` report: mark findings new or known, fail only on new ones");

  std::vector<std::string> paths;
  std::string variant;
  auto* replay = app.add_subcommand("replay", "replay case files or directories of them");
  replay->add_option("paths", paths, "case files and directories")->required();
  replay->add_option("--variant", variant, "override each case's variant");
  replay->add_option("--kernel-tree", kernel_tree, tree_help);
  unsigned replay_jobs = 0;
  replay->add_option("-j,--jobs", replay_jobs, "cases replayed at once, each in its own process (default: the cores)")
      ->check(CLI::Range(1, 256));
  replay->add_option("--format", out.format, "text, json or ktap")->check(formats);
  replay->add_flag("--strict", out.strict, "unknown fields are errors; hardening violations fail");

  std::string case_path;
  auto* explain = app.add_subcommand("explain", "replay one case and show what happened, op by op");
  explain->add_option("case", case_path, "the case file")->required();
  explain->add_option("--variant", variant, "override the case's variant");
  explain->add_option("--kernel-tree", kernel_tree, tree_help);
  explain->add_option("--format", out.format, "text, or html: one self-contained page")
      ->check(CLI::IsMember({"text", "html"}));
  explain->add_flag("--strict", out.strict, "unknown fields are errors");

  cli::ProveArgs pa;
  auto* prove = app.add_subcommand("prove", "prove the arithmetic obligations of a variant with Z3");
  prove->add_option("--variant", pa.variant, "only this variant's obligations (default: all)");
  prove->add_option("--only", pa.only, "only this obligation (iovet list proofs)");
  prove->add_option("--timeout", pa.timeout_ms, "per Z3 query, wall clock, in milliseconds (a backstop: Z3's deterministic rlimit bounds each query)")->check(CLI::Range(1u, 3600000u));
  prove->add_option("--corpus-out", pa.corpus_out, "directory for the counterexample cases");
  prove->add_option("--kernel-tree", kernel_tree, "a kernel source tree: its functions are checked against the encodings (variant kernel-tree)");
  prove->add_option("--tree-inputs", pa.tree_inputs, "random inputs per encoding checked against a kernel tree's function")
      ->check(CLI::Range(1u, 10000000u));
  prove->add_option("--seed", pa.seed, "seed of those inputs");
  prove->add_option("--format", out.format, "text, json or ktap")->check(formats);
  prove->add_flag("--strict", out.strict, "hardening counterexamples fail too");

  cli::DiffArgs da;
  auto* diff = app.add_subcommand("diff", "run the same generated workloads on two variants; show the first divergence");
  diff->add_option("--variant", da.variants, "the two variants (--variant A --variant B)")->required()->expected(2);
  diff->add_option("--kernel-tree", kernel_tree, tree_help);
  diff->add_option("--target", da.target, "dma, iova, pgtable, smmu or all (the targets both run)")
      ->check(CLI::IsMember({"dma", "iova", "pgtable", "smmu", "all"}));
  add_campaign_options(diff, da, "workload");
  diff->add_option("--format", out.format, "text, json or ktap")->check(formats);

  cli::VetArgs va;
  auto* vet = app.add_subcommand("vet", "what a patch to drivers/iommu changes: violations introduced, fixed, behaviour changed");
  vet->add_option("patches", va.patches, "patch files: git format-patch output, an mbox series or a unified diff")->required();
  vet->add_option("--kernel-tree", va.kernel_tree, "the tree the patch applies to (default: Debian's linux-source-6.1)");
  add_campaign_options(vet, va, "property and workload");
  vet->add_option("--format", out.format, "text, json or ktap")->check(formats);
  vet->add_flag("--strict", out.strict, "introduced hardening violations fail too");

  std::string export_out;
  bool kunit = false;
  auto* exp = app.add_subcommand("export", "write cases as a KUnit suite that runs them against the kernel's own code");
  exp->add_option("paths", paths, "case files and directories")->required();
  exp->add_flag("--kunit", kunit, "a KUnit suite (C), one kunit_case per iova or pgtable case")->required();
  exp->add_option("-o,--output", export_out, "the C file to write")->required();
  exp->add_flag("--strict", out.strict, "unknown fields are errors");

  cli::ImportArgs ia;
  auto* imp = app.add_subcommand("import", "turn fuzzer artifacts into regression cases, reduced op by op");
  imp->add_option("artifacts", ia.artifacts, "crash files of a fuzz target (raw bytes; one Base64 line with --base64)")->required();
  imp->add_option("--target", ia.target, "the fuzz target's target: dma, iova, pgtable or smmu")
      ->required()
      ->check(CLI::IsMember({"dma", "iova", "pgtable", "smmu"}));
  imp->add_option("--variant", ia.variant, "the fuzz target's variant");
  imp->add_option("--engine", ia.engine, "the engine that found them (provenance): libfuzzer, afl++, ...");
  imp->add_option("--corpus-out", ia.corpus_out, "directory for the cases")->required();
  imp->add_flag("--base64", ia.base64, "each artifact is one line of Base64 (libFuzzer's Base64: line)");
  imp->add_option("--format", out.format, "text, json or ktap")->check(formats);
  imp->add_flag("--strict", out.strict, "hardening violations count too (the targets under IOVET_FUZZ_STRICT=1)");

  std::string what;
  auto* list = app.add_subcommand("list", "list variants, properties or rules");
  list->add_option("what", what, "variants, properties, rules or proofs")
      ->required()
      ->check(CLI::IsMember({"variants", "properties", "rules", "proofs"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "iovet: " << e.what() << "\n";
    return 2;
  }
  try {
    if (!kernel_tree.empty()) {
      register_kernel_tree(kernel_tree);
      if (check->count("--variant") == 0) ca.variant = kKernelTreeVariant;
      if (prove->count("--variant") == 0) pa.variant = kKernelTreeVariant;
      if (variant.empty()) variant = kKernelTreeVariant;
    }
    if (check->parsed()) return cli::check(ca, out);
    if (diff->parsed()) return cli::diff(da, out);
    if (vet->parsed()) return cli::vet(va, out);
    if (replay->parsed()) return cli::replay(paths, variant, replay_jobs, out);
    if (prove->parsed()) return cli::prove(pa, out);
    if (explain->parsed()) return cli::explain(case_path, variant, out);
    if (list->parsed()) return cli::list(what);
    if (exp->parsed()) return cli::export_kunit(paths, export_out, out.strict);
    if (imp->parsed()) return cli::import_artifacts(ia, out);
  } catch (const InputError& e) {
    std::cerr << "iovet: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "iovet: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
