// iovet: vets the logic of the Linux IOMMU DMA stack. A thin driver over the libraries.
#include <iostream>

#include <CLI/CLI.hpp>

#include "case/input_error.h"
#include "cli/commands.h"

using namespace iovet;

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
  check->add_option("--seed", ca.seed, "campaign seed: same seed, same cases");
  auto* runs = check->add_option("--runs", ca.runs, "generated cases per property")->check(CLI::Range(1, 10000000));
  check->add_option("--budget", ca.budget_s, "seconds per property instead of a run count")
      ->check(CLI::PositiveNumber)
      ->excludes(runs);
  check->add_option("--corpus-out", ca.corpus_out, "directory for the minimal cases found");
  check->add_option("--format", out.format, "text, json or ktap")->check(formats);
  check->add_flag("--strict", out.strict, "hardening violations fail too");

  std::vector<std::string> paths;
  std::string variant;
  auto* replay = app.add_subcommand("replay", "replay case files or directories of them");
  replay->add_option("paths", paths, "case files and directories")->required();
  replay->add_option("--variant", variant, "override each case's variant");
  replay->add_option("--format", out.format, "text, json or ktap")->check(formats);
  replay->add_flag("--strict", out.strict, "unknown fields are errors; hardening violations fail");

  std::string case_path;
  auto* explain = app.add_subcommand("explain", "replay one case and show what happened, op by op");
  explain->add_option("case", case_path, "the case file")->required();
  explain->add_option("--variant", variant, "override the case's variant");
  explain->add_flag("--strict", out.strict, "unknown fields are errors");

  cli::ProveArgs pa;
  auto* prove = app.add_subcommand("prove", "prove the arithmetic obligations of a variant with Z3");
  prove->add_option("--variant", pa.variant, "only this variant's obligations (default: all)");
  prove->add_option("--only", pa.only, "only this obligation (iovet list proofs)");
  prove->add_option("--timeout", pa.timeout_ms, "per Z3 query, in milliseconds")->check(CLI::Range(1u, 3600000u));
  prove->add_option("--corpus-out", pa.corpus_out, "directory for the counterexample cases");
  prove->add_option("--format", out.format, "text, json or ktap")->check(formats);
  prove->add_flag("--strict", out.strict, "hardening counterexamples fail too");

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
    if (check->parsed()) return cli::check(ca, out);
    if (replay->parsed()) return cli::replay(paths, variant, out);
    if (prove->parsed()) return cli::prove(pa, out);
    if (explain->parsed()) return cli::explain(case_path, variant, out.strict);
    if (list->parsed()) return cli::list(what);
  } catch (const InputError& e) {
    std::cerr << "iovet: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "iovet: " << e.what() << "\n";
    return 2;
  }
  return 2;
}
