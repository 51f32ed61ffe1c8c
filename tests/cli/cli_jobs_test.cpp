// `iovet check -j N` and `iovet replay -j N`: properties, proofs and cases in forked workers give
// what one at a time gives, but for the times; a worker that dies is its job's error, not
// iovet's crash.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "props/catalog.h"
#include "props/parallel.h"
#include "tests/cli/run_iovet.h"

using namespace iovet;

namespace {

// The report without what depends on the clock, and with case files named without their
// directory (each run writes its own).
nlohmann::json without_times(const std::string& out) {
  nlohmann::json j = nlohmann::json::parse(out);
  j.erase("elapsed_s");
  for (auto& r : j["results"]) {
    r.erase("time_s");
    if (r.contains("case")) r["case"] = std::filesystem::path(r["case"].get<std::string>()).filename().string();
  }
  return j;
}

}  // namespace

TEST_CASE("check -j 2 reports and writes what check -j 1 does", "[cli][jobs]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "iovet-jobs-test";
  fs::remove_all(dir);
  std::string out[2];
  for (int j = 1; j <= 2; ++j) {
    const std::string args = "check --variant seed-v5 --target iova --runs 200 --seed 4 --format json -j " +
                             std::to_string(j) + " --corpus-out " + (dir / std::to_string(j)).string();
    const IovetRun r = run_iovet(args);
    INFO(r.err);
    CHECK(r.exit_code == 1);  // the 2015 allocator's findings
    out[j - 1] = r.out;
  }
  CHECK(without_times(out[0]) == without_times(out[1]));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "1")) {
    ++files;
    CHECK(slurp(e.path().string()) == slurp((dir / "2" / e.path().filename()).string()));
  }
  CHECK(files > 0);
  fs::remove_all(dir);
}

TEST_CASE("check -j 2 proves in the same pool and reports and writes what check -j 1 does", "[cli][jobs]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "iovet-jobs-proofs-test";
  fs::remove_all(dir);
  std::string out[2];
  for (int j = 1; j <= 2; ++j) {
    // seed-v5's DMA layer: property findings and Z3 counterexamples, each with its case file.
    const std::string args = "check --variant seed-v5 --target dma --runs 30 --seed 2 --format json -j " +
                             std::to_string(j) + " --corpus-out " + (dir / std::to_string(j)).string();
    const IovetRun r = run_iovet(args);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    out[j - 1] = r.out;
  }
  const nlohmann::json one = without_times(out[0]);
  CHECK(one == without_times(out[1]));
  // The proofs come after the properties, each with its counterexample's case.
  std::size_t proofs_with_cases = 0;
  bool proof_seen = false;
  for (const auto& r : one["results"]) {
    if (r["kind"] == "proof") proof_seen = true;
    else CHECK_FALSE(proof_seen);
    if (r["kind"] == "proof" && r.contains("case")) ++proofs_with_cases;
  }
  CHECK(proofs_with_cases > 0);
  for (const auto& e : fs::directory_iterator(dir / "1"))
    CHECK(slurp(e.path().string()) == slurp((dir / "2" / e.path().filename()).string()));
  fs::remove_all(dir);
}

TEST_CASE("replay -j 2 of a directory reports what replay -j 1 does", "[cli][jobs]") {
  std::string out[2];
  for (int j = 1; j <= 2; ++j) {
    const IovetRun r = run_iovet("replay " + std::string(IOVET_SOURCE_DIR) + "/corpus/seed-v5 " + IOVET_SOURCE_DIR +
                                 "/corpus/v4.4 --format json -j " + std::to_string(j));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    out[j - 1] = r.out;
  }
  const nlohmann::json one = without_times(out[0]);
  CHECK(one["results"].size() > 10);
  CHECK(one == without_times(out[1]));
}

TEST_CASE("a worker that dies is its property's error and the others still run", "[cli][jobs]") {
  std::vector<Property> props = properties_for(Target::iova);
  REQUIRE(props.size() > 1);
  props[0].gen = [](const std::string&) -> rc::Gen<Case> {
    std::raise(SIGKILL);  // as if the worker were killed
    return rc::gen::just(Case{});
  };
  CampaignOptions opt;
  opt.runs = 20;
  opt.variant = "mainline";
  const std::vector<PropertyResult> r = check_properties(props, opt, 2, [](std::size_t, const std::string&) {});
  REQUIRE(r.size() == props.size());
  CHECK(r[0].status == Status::error);
  CHECK(r[0].message.find("signal 9") != std::string::npos);
  for (std::size_t k = 1; k < r.size(); ++k) CHECK(r[k].status != Status::error);
}
