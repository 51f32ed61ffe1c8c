// `iovet check --baseline`: findings compared with an earlier JSON report; a bad baseline is
// bad input (exit 2, the file and the JSON pointer).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/cli/run_iovet.h"

TEST_CASE("check against its own baseline shows no new finding and exits 0", "[cli][baseline]") {
  // seed-v5's iova campaign fails (contract violations): exit 1 without a baseline.
  const std::string args = "check --target iova --variant seed-v5 --seed 4 --runs 100 -j 1";
  const IovetRun first = run_iovet(args + " --format json");
  REQUIRE(first.exit_code == 1);
  const auto base = nlohmann::json::parse(first.out);
  int findings = 0;
  for (const auto& row : base["results"])
    if (row["status"] == "fail" || row["status"] == "warn") {
      ++findings;
      CHECK(row.contains("signature"));
    }
  REQUIRE(findings > 0);
  const std::string file = write_temp_file("baseline-self.json", first.out);

  const IovetRun again = run_iovet(args + " --format json --baseline " + file);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  const auto j = nlohmann::json::parse(again.out);
  CHECK(j["baseline"]["new"] == 0);
  CHECK(j["baseline"]["gone"].empty());
  for (const auto& row : j["results"])
    if (row["status"] == "fail" || row["status"] == "warn") CHECK(row["finding"] == "known");

  // Against mainline's report every seed-v5 finding is new: exit 1, and the text says so.
  const IovetRun main = run_iovet("check --target iova --variant mainline --seed 4 --runs 100 -j 1 --format json");
  const std::string main_file = write_temp_file("baseline-mainline.json", main.out);
  const IovetRun vs = run_iovet(args + " --baseline " + main_file);
  CHECK(vs.exit_code == 1);
  CHECK(vs.out.find("NEW FINDING") != std::string::npos);
  // And the other way round, seed-v5's findings that mainline lacks are listed as gone.
  const IovetRun back = run_iovet("check --target iova --variant mainline --seed 4 --runs 100 -j 1 --baseline " + file);
  CHECK(back.out.find("\nGONE  iova.stateful/iova.window") != std::string::npos);
}

TEST_CASE("a missing or malformed baseline is exit 2 naming the file and the JSON pointer", "[cli][baseline]") {
  const std::string check = "check --target iova --runs 5 --baseline ";
  const IovetRun missing = run_iovet(check + "/nonexistent/base.json");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent/base.json: cannot read the baseline report") != std::string::npos);

  const std::string not_json = write_temp_file("baseline-not-json.json", "{\"results\": [");
  const IovetRun bad = run_iovet(check + not_json);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find(not_json + ": not JSON") != std::string::npos);

  const std::string bad_status =
      write_temp_file("baseline-bad-status.json", R"({"results": [{"name": "a", "status": "pass"}, {"name": "b", "status": 3}]})");
  const IovetRun st = run_iovet(check + bad_status);
  CHECK(st.exit_code == 2);
  CHECK(st.err.find(bad_status + ": /results/1/status: must be a string") != std::string::npos);

  const std::string no_results = write_temp_file("baseline-no-results.json", R"({"tool": "iovet"})");
  const IovetRun nr = run_iovet(check + no_results);
  CHECK(nr.exit_code == 2);
  CHECK(nr.err.find(no_results + ": missing \"results\"") != std::string::npos);
}
