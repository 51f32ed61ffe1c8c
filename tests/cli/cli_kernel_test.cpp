// The kernel-tree variants and `iovet diff` from the command line: exit codes and messages.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

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

TEST_CASE("iovet prove --variant linux-6.1 checks each encoding against the tree before its proof", "[cli][kernel][tree_check]") {
  const std::string args = "prove --variant linux-6.1 --only mainline.finalise.merge_address_exact --tree-inputs 100";
  const IovetRun r = run_iovet(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("PASS  mainline.finalise.merge_address_exact  checked against drivers/iommu/dma-iommu.c:__finalise_sg: "
                   "100/100 agree") != std::string::npos);
  CHECK(run_iovet(args).out.find("100/100 agree") != std::string::npos);
  const IovetRun json = run_iovet(args + " --format json");
  const auto row = nlohmann::json::parse(json.out)["results"].at(0);
  CHECK(row["tree_check"]["against"] == "drivers/iommu/dma-iommu.c:__finalise_sg");
  CHECK(row["tree_check"]["inputs"] == 100);
  CHECK(row["tree_check"]["agree"] == 100);
  CHECK(!row["tree_check"].contains("disagreement"));
  const IovetRun queue = run_iovet("prove --variant linux-6.1 --only impl.smmu.queue_inc_prod --tree-inputs 100");
  CHECK(queue.out.find("checked against drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c:queue_full") != std::string::npos);
  CHECK(queue.out.find("100/100 agree") != std::string::npos);
  const IovetRun log2 = run_iovet("prove --variant linux-6.1 --only common.log2.roundup_pow_of_two_bounds --format json");
  CHECK(log2.out.find("not checked against the tree: roundup_pow_of_two()") != std::string::npos);
  CHECK(log2.out.find("\"tree_check\"") == std::string::npos);
  // mainline's out-of-contract finding is 6.1's too: its case replays there.
  const IovetRun wrap = run_iovet("prove --variant linux-6.1 --only mainline.finalise.no_merge_after_oversized_entry --tree-inputs 10");
  INFO(wrap.out);
  CHECK(wrap.exit_code == 0);
  CHECK(wrap.out.find("WARN  mainline.finalise.no_merge_after_oversized_entry") != std::string::npos);
  CHECK(wrap.out.find("its case replays on linux-6.1 (sg.max_seg_size)") != std::string::npos);
  // The hand model has no tree: its output has no tree check.
  const IovetRun hand = run_iovet("prove --variant mainline --only mainline.finalise.merge_address_exact");
  CHECK(hand.exit_code == 0);
  CHECK(hand.out.find("checked against") == std::string::npos);
}

TEST_CASE("iovet prove --kernel-tree with a planted __finalise_sg(): the disagreement is an error with its input", "[cli][kernel][tree_check]") {
  const std::string tree = kerneltest::scratch_tree("cli-tree-check-merge-across-boundary", {"dma-merge-across-boundary"});
  const IovetRun r = run_iovet("prove --kernel-tree " + tree + " --only mainline.finalise.merge_within_boundary --format ktap");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("not ok 1 mainline.finalise.merge_within_boundary # ERROR checked against") != std::string::npos);
  CHECK(r.out.find("the encoding and the tree DISAGREE at granule 0x") != std::string::npos);
  CHECK(r.out.find("# checked against drivers/iommu/dma-iommu.c:__finalise_sg: ") != std::string::npos);
  const IovetRun json = run_iovet("prove --kernel-tree " + tree + " --only mainline.finalise.merge_within_boundary --format json");
  const auto row = nlohmann::json::parse(json.out)["results"].at(0);
  CHECK(row["status"] == "error");
  CHECK(row["tree_check"]["inputs"] == 1000);
  CHECK(row["tree_check"]["agree"] < 1000);
  CHECK(row["tree_check"]["disagreement"].get<std::string>().find("granule 0x") == 0);
}

TEST_CASE("iovet prove on a kernel tree: bad input is exit 2", "[cli][kernel][tree_check]") {
  const IovetRun r = run_iovet("prove --kernel-tree /nonexistent/linux --only mainline.map_page.offset_kept");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/linux") != std::string::npos);
  CHECK(run_iovet("prove --variant linux-6.1 --tree-inputs 0").exit_code == 2);
  CHECK(run_iovet("prove --variant linux-6.1 --tree-inputs many").exit_code == 2);
}
