// `iovet vet` from the command line: exit codes, formats, corpus cases replayable on the
// patched tree, and bad input (exit 2 naming the file, or "not vetted").
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/run_iovet.h"

namespace {
std::string patch(const std::string& name) { return std::string(IOVET_SOURCE_DIR) + "/tests/kernel/patches/" + name; }
}  // namespace

TEST_CASE("iovet vet: an introduced violation is exit 1, its case replays on the patched tree", "[cli][vet]") {
  const std::string out = (std::filesystem::temp_directory_path() / "iovet-cli-vet-corpus").string();
  std::filesystem::remove_all(out);
  const std::string args = "vet " + patch("iova-limit-off-by-one.patch") + " --runs 200 --format json --corpus-out " + out;
  const IovetRun r = run_iovet(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  std::string case_file;
  for (const auto& row : j["results"])
    if (row["name"] == "introduced iova.stateful/iova.window") case_file = row.value("case", "");
  REQUIRE(!case_file.empty());
  const auto c = nlohmann::json::parse(slurp(case_file));
  CHECK(c["provenance"]["found_by"] == "vet");
  CHECK(c["provenance"]["patch"] == "iova-limit-off-by-one.patch");
  CHECK(c["provenance"]["kernel"].get<std::string>().find("Linux 6.1") == 0);
  CHECK(c["provenance"]["base_kernel"] != c["provenance"]["kernel"]);
  const std::string tree = c["provenance"]["patched_tree"];
  const IovetRun replay = run_iovet("replay " + case_file + " --kernel-tree " + tree);
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 0);
  // explain shows both sides: the violation on the patched tree, none on the base tree.
  const IovetRun patched = run_iovet("explain " + case_file + " --kernel-tree " + tree);
  INFO(patched.out << patched.err);
  CHECK(patched.out.find("!! iova.window") != std::string::npos);
  const IovetRun base = run_iovet("explain " + case_file + " --variant linux-6.1");
  INFO(base.out << base.err);
  CHECK(base.out.find("variant linux-6.1") != std::string::npos);
  CHECK(base.out.find("!! iova.window") == std::string::npos);
  // Same seed, same bytes (the elapsed time aside).
  const IovetRun again = run_iovet(args);
  auto a = j, b = nlohmann::json::parse(again.out);
  a.erase("elapsed_s");
  b.erase("elapsed_s");
  for (auto* x : {&a, &b})
    for (auto& row : (*x)["results"]) row.erase("time_s");
  CHECK(a == b);
}

TEST_CASE("iovet vet: a hardening violation fails only under --strict", "[cli][vet]") {
  const std::string args = "vet " + patch("dma-boundary-pad-off-by-one.patch") + " --runs 200 --format ktap";
  const IovetRun lax = run_iovet(args), strict = run_iovet(args + " --strict");
  INFO(lax.out << lax.err);
  CHECK(lax.exit_code == 0);
  CHECK(lax.out.find("dma.spurious_failure") != std::string::npos);
  CHECK(strict.exit_code == 1);
}

TEST_CASE("iovet vet: a behaviour-neutral patch is exit 0 with nothing introduced or changed", "[cli][vet]") {
  const IovetRun r = run_iovet("vet " + patch("neutral-rename-static.patch") + " --runs 200");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("patch iommu/iova: Drop the underscores of alloc_and_insert_iova_range()") != std::string::npos);
  CHECK(r.out.find("introduced") == std::string::npos);
  CHECK(r.out.find(" changed ") == std::string::npos);
  CHECK(r.out.find("unchanged iova") != std::string::npos);
}

TEST_CASE("iovet vet: bad input is exit 2 naming the file", "[cli][vet]") {
  const IovetRun none = run_iovet("vet /nonexistent/fix.patch");
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("/nonexistent/fix.patch: no such file") != std::string::npos);

  const std::string text = write_temp_file("vet-not-a-patch.txt", "Hello,\n\nplease apply my fix.\n");
  const IovetRun not_patch = run_iovet("vet " + text);
  CHECK(not_patch.exit_code == 2);
  CHECK(not_patch.err.find(text + ": not a patch") != std::string::npos);

  // Applied on top of itself: patch(1) sees it as already applied.
  const std::string twice = write_temp_file("vet-twice.patch", slurp(patch("iova-limit-off-by-one.patch")) +
                                                                   slurp(patch("iova-limit-off-by-one.patch")));
  const IovetRun stale = run_iovet("vet " + patch("iova-limit-off-by-one.patch") + " " + twice);
  INFO(stale.err);
  CHECK(stale.exit_code == 2);
  CHECK(stale.err.find(twice) != std::string::npos);
  CHECK(stale.err.find("does not apply") != std::string::npos);
  CHECK(stale.out.empty());

  const IovetRun broken = run_iovet("vet " + patch("iova-syntax-error.patch"));
  INFO(broken.err);
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("does not compile") != std::string::npos);
}

TEST_CASE("iovet vet: an arm-smmu-v3.c patch that does not apply is exit 2 with the rejected hunk", "[cli][vet]") {
  // Written against v6.8, where the ASID moved from s1_cfg.cd to cd.
  const IovetRun r = run_iovet("vet " + patch("smmu-against-v6.8.patch"));
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("smmu-against-v6.8.patch") != std::string::npos);
  CHECK(r.err.find("does not apply") != std::string::npos);
  CHECK(r.err.find("Hunk #1 FAILED") != std::string::npos);
  CHECK(r.err.find("cmd.tlbi.asid\t= smmu_domain->cd.asid;") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("iovet vet: a comment in arm-smmu-v3.c is vetted on the smmu target and comes out clean", "[cli][vet]") {
  const IovetRun r = run_iovet("vet " + patch("smmu-v3-comment.patch"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("not-vetted") == std::string::npos);
  CHECK(r.out.find("introduced") == std::string::npos);
  CHECK(r.out.find("unchanged smmu") != std::string::npos);
}

TEST_CASE("iovet vet: a patch to files iovet does not compile is not vetted, never clean", "[cli][vet]") {
  const IovetRun intel = run_iovet("vet " + patch("intel-comment.patch"));
  CHECK(intel.out.find("not vetted: iovet does not compile it; the patch touches drivers/iommu/intel/iommu.c only") !=
        std::string::npos);
}
