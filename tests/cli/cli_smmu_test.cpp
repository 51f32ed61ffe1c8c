// Target smmu through the CLI: its input errors exit 2 with a pointer, its campaign and its
// explain output show what the SMMU did.
#include <catch2/catch.hpp>

#include "tests/cli/run_iovet.h"

namespace {

std::string smmu_case(const std::string& config, const std::string& ops) {
  return R"({"iovet":1,"name":"s","target":"smmu","config":)" + config + R"(,"ops":)" + ops + "}";
}

}  // namespace

TEST_CASE("smmu: a stream id beyond sidsize, a bad mode, a tiny queue or pgtable ref exit 2", "[cli][smmu]") {
  expect_input_error("sid.json", smmu_case(R"({"smmu":{"sidsize":4}})", R"([{"op":"attach","sid":16,"domain":"dma"}])"),
                     "/ops/0/sid");
  expect_input_error("mode.json", smmu_case(R"({"smmu":{"mode":"eager"}})", "[]"), "/config/smmu/mode");
  expect_input_error("cmdq.json", smmu_case(R"({"smmu":{"cmdq_log2":6}})", "[]"), "/config/smmu/cmdq_log2");
  expect_input_error("domain.json", smmu_case("{}", R"([{"op":"attach","sid":1,"domain":"nested"}])"), "/ops/0/domain");
  expect_input_error("ref.json", smmu_case(R"({"pgtable":"ref"})", "[]"), "/config/pgtable");
  expect_input_error("misuse.json", smmu_case("{}", R"([{"op":"iommu_unmap","iova":"0x1000","size":4096}])"), "/ops/0/op");
}

TEST_CASE("smmu: check runs both modes clean and an unknown smmu variant exits 2", "[cli][smmu]") {
  const IovetRun r = run_iovet("check --target smmu --runs 30 --format json");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"smmu.strict/smmu.stale\"") != std::string::npos);
  CHECK(r.out.find("\"smmu.lazy/smmu.flush_queue\"") != std::string::npos);
  CHECK(r.out.find("\"smmu.over_invalidations\"") != std::string::npos);
  CHECK(run_iovet("check --target smmu --variant seed-v5").exit_code == 2);
}

TEST_CASE("smmu: explain shows commands, IOTLB hits and events", "[cli][smmu]") {
  const IovetRun r = run_iovet("explain " + std::string(IOVET_SOURCE_DIR) + "/corpus/mainline/smmu-lazy-stale-until-flush.json");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("smmu consumes TLBI_NH_ASID") != std::string::npos);
  CHECK(r.out.find("(IOTLB hit)") != std::string::npos);
  CHECK(r.out.find("event F_TRANSLATION") != std::string::npos);
  CHECK(r.out.find("back to the allocator") != std::string::npos);
}
