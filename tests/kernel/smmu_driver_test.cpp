// The smmu target on a kernel tree: Linux 6.1's arm-smmu-v3.c (with the tree's dma-iommu.c on
// top) driving iovet's simulated SMMUv3, judged by the same smmu.* rules as impl/smmu. Its two
// findings replay; planted patches to a scratch copy of the driver are caught and shrunk.
#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "props/catalog.h"
#include "props/property.h"
#include "run/run.h"
#include "run/variants.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;

namespace {

Case corpus_case(const std::string& rel) {
  return load_case(std::string(IOVET_SOURCE_DIR) + "/corpus/" + rel, false, nullptr);
}

std::string trace_text(const RunResult& r) {
  std::string out;
  for (const auto& t : r.trace) out += t.text + "\n";
  return out;
}

Property property(const std::string& name) {
  for (Property& p : properties_for(Target::smmu))
    if (p.name == name) return p;
  FAIL("no property " << name);
  return {};
}

// The patched driver fails the property with a small case that replays there and runs clean
// on the clean tree.
void require_caught(const std::string& patch, const std::string& prop, const std::string& rule, std::size_t max_ops) {
  register_kernel_tree(kerneltest::scratch_tree(patch, {patch}));
  CampaignOptions opt;
  opt.seed = 1;
  opt.runs = 300;
  opt.variant = kKernelTreeVariant;
  const PropertyResult r = check_property(property(prop), opt);
  INFO(r.message);
  REQUIRE(r.status == Status::fail);
  CHECK(r.rules.count(rule) == 1);
  REQUIRE(r.minimal_case);
  INFO(case_to_text(*r.minimal_case));
  CHECK(r.minimal_case->ops.size() <= max_ops);
  CHECK(run_case(*r.minimal_case, {kKernelTreeVariant}).rules().count(rule) == 1);
  CHECK(run_case(*r.minimal_case, {"linux-6.1"}).rules().empty());
}

}  // namespace

TEST_CASE("linux-6.1 smmu: the real driver probes, attaches and invalidates through the simulated SMMU", "[kernel][smmu]") {
  REQUIRE(find_variant("linux-6.1")->runs(Target::smmu));
  const Case c = corpus_case("mainline/smmu-lazy-stale-until-flush.json");
  RunOptions on_tree{"linux-6.1"};
  on_tree.trace = true;
  const RunResult r = run_case(c, on_tree);
  INFO(trace_text(r));
  CHECK(judge_replay(c, r).status == Status::pass);
  const std::string t = trace_text(r);
  // Commands the driver wrote into the queue and the hardware consumed: the stream's STE
  // invalidation at attach, the flush queue's TLBI_NH_ASID when the timer fires.
  CHECK(t.find("driver issues CFGI_STE") != std::string::npos);
  CHECK(t.find("smmu consumes CMD_SYNC") != std::string::npos);
  CHECK(t.find("TLBI_NH_ASID") != std::string::npos);
}

TEST_CASE("linux-6.1 smmu: a domain change passes through an aborting STE (not hitless before v6.9)", "[kernel][smmu]") {
  const Case c = corpus_case("linux-6.1/linux-6.1-smmu-attach-passes-through-abort.json");
  CHECK(run_case(c, {"linux-6.1"}).rules() == std::set<std::string>{"smmu.hitless"});
  CHECK(run_case(c, {"mainline"}).rules().empty());
}

TEST_CASE("linux-6.1 smmu: 6.1 has the RIL SCALE overflow: one page invalidated for 16 TiB", "[kernel][smmu]") {
  const Case c = corpus_case("mainline/mainline-smmu-ril-scale-overflow.json");
  RunOptions on_tree{"linux-6.1"};
  on_tree.trace = true;
  const RunResult r = run_case(c, on_tree);
  INFO(trace_text(r));
  CHECK(r.rules() == std::set<std::string>{"smmu.invalidation", "smmu.stale"});
  CHECK(trace_text(r).find("driver issues TLBI_NH_VA asid=1 vmid=0 addr=0xf00000000000 leaf tg=1 scale=0 num=0") !=
        std::string::npos);
}

TEST_CASE("linux-6.1 smmu: the same case gives the same trace twice", "[kernel][smmu]") {
  const Case c = corpus_case("linux-6.1/linux-6.1-smmu-attach-passes-through-abort.json");
  RunOptions on_tree{"linux-6.1"};
  on_tree.trace = true;
  CHECK(trace_text(run_case(c, on_tree)) == trace_text(run_case(c, on_tree)));
}

TEST_CASE("planted patch: arm-smmu-v3.c's range invalidation without CMD_SYNC is caught by smmu.invalidation", "[kernel][smmu][planted]") {
  require_caught("smmu-tlbi-no-sync", "smmu.strict/smmu.invalidation", "smmu.invalidation", 4);
}

TEST_CASE("planted patch: arm-smmu-v3.c's range invalidation one page short is caught by smmu.invalidation", "[kernel][smmu][planted]") {
  require_caught("smmu-range-one-page-short", "smmu.strict/smmu.invalidation", "smmu.invalidation", 4);
}
