// The kernel-tree variants and `iovet diff` from the command line: exit codes and messages.
#include <catch2/catch.hpp>

#include "tests/cli/run_iovet.h"
#include "tests/kernel/scratch_tree.h"

TEST_CASE("kernel-tree option with a directory that is not a kernel tree: exit 2 naming it", "[cli][kernel]") {
  const IovetRun r = run_iovet("check --kernel-tree /nonexistent/linux --runs 1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/linux") != std::string::npos);
}

TEST_CASE("kernel-tree option with a tree that does not compile: exit 2 with the compiler's message", "[cli][kernel]") {
  const std::string tree = kerneltest::scratch_tree("cli-syntax-error", {"iova-syntax-error"});
  const IovetRun r = run_iovet("check --kernel-tree " + tree + " --target iova --runs 1");
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not compile") != std::string::npos);
  CHECK(r.err.find("drivers/iommu/iova.c") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("a target the variant does not run: exit 2", "[cli][kernel]") {
  // The 2015 model has no SMMU stack; linux-6.1 runs target smmu on its arm-smmu-v3.c.
  const IovetRun r = run_iovet("check --variant seed-v5 --target smmu --runs 1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not run target smmu") != std::string::npos);
}

TEST_CASE("iovet diff wants exactly two variants", "[cli][kernel]") {
  CHECK(run_iovet("diff --variant mainline").exit_code == 2);
  CHECK(run_iovet("diff --variant mainline --variant nosuch").exit_code == 2);
}

TEST_CASE("iovet diff of the mainline model and linux-6.1's iova.c: no divergence, same bytes each run", "[cli][kernel]") {
  const std::string args = "diff --variant mainline --variant linux-6.1 --target iova --runs 100 --seed 3 --format ktap";
  const IovetRun a = run_iovet(args), b = run_iovet(args);
  INFO(a.out << a.err);
  CHECK(a.exit_code == 0);
  CHECK(a.out.find("ok 1 diff/iova.stateful") != std::string::npos);
  CHECK(a.out == b.out);
}

TEST_CASE("iovet diff between 2015's and mainline's allocator: a divergence, exit 1, a case that replays", "[cli][kernel]") {
  const std::string dir = write_temp_file("diff-out", "");
  std::filesystem::remove(dir);
  const IovetRun r = run_iovet("diff --variant mainline --variant 2015 --target iova --runs 200 --corpus-out " + dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const std::string file = dir + "/diff-mainline-2015-iova.stateful.json";
  CHECK(slurp(file).find("\"found_by\": \"diff\"") != std::string::npos);
  CHECK(run_iovet("replay " + file).exit_code == 0);  // on the first variant, as written
}
