// `iovet check`: same seed, same results and byte-identical case files; reports parse.
#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/cli/run_iovet.h"

namespace fs = std::filesystem;

TEST_CASE("check with the same seed writes byte-identical minimal cases", "[cli]") {
  const fs::path a = fs::temp_directory_path() / "iovet-det-a", b = fs::temp_directory_path() / "iovet-det-b";
  fs::remove_all(a);
  fs::remove_all(b);
  const IovetRun ra = run_iovet("check --target dma --variant seed-v5 --seed 7 --runs 60 --corpus-out " + a.string());
  const IovetRun rb = run_iovet("check --target dma --variant seed-v5 --seed 7 --runs 60 --corpus-out " + b.string());
  CHECK(ra.exit_code == 1);  // seed-v5 has contract violations
  CHECK(rb.exit_code == 1);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(a)) {
    ++files;
    CHECK(slurp(e.path().string()) == slurp((b / e.path().filename()).string()));
  }
  CHECK(files > 0);
  // Every case it wrote replays: the violation it records is reproduced.
  const IovetRun replay = run_iovet("replay " + a.string());
  INFO(replay.out << replay.err);
  CHECK(replay.exit_code == 0);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("check --format json is the report of corpus-format section 4", "[cli]") {
  const IovetRun r = run_iovet("check --target dma --variant mainline --seed 3 --runs 20 --format json");
  CHECK(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["tool"] == "iovet");
  CHECK(j["command"] == "check");
  CHECK(j["variant"] == "mainline");
  CHECK(j["results"].size() > 10);
  CHECK(j["summary"]["fail"] == 0);
}

TEST_CASE("check --format ktap is KTAP version 1", "[cli]") {
  const IovetRun r = run_iovet("check --target dma --variant seed-v5 --seed 3 --runs 20 --format ktap");
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("KTAP version 1\n", 0) == 0);
  CHECK(r.out.find("\nnot ok ") != std::string::npos);
}
