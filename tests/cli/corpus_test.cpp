// The committed corpus: every seed-v5 and v4.4 finding is gone when its case is replayed on
// mainline (hardening warnings aside), and every case names a real rule.
#include <catch2/catch.hpp>

#include <filesystem>

#include "case/case_files.h"
#include "case/case_json.h"
#include "run/run.h"

using namespace iovet;

TEST_CASE("historical findings are gone on mainline", "[corpus]") {
  for (const char* dir : {"corpus/seed-v5", "corpus/v4.4"}) {
    const auto files = list_case_files({std::string(IOVET_SOURCE_DIR) + "/" + dir});
    REQUIRE(!files.empty());
    for (const std::string& f : files) {
      const Case c = load_case(f, true, nullptr);
      const RunResult on_mainline = run_case(c, RunOptions{"mainline", false});
      for (const std::string& rule : c.expect_rules) {
        const Rule* r = find_rule(rule);
        REQUIRE(r);
        INFO(f << ": " << rule);
        if (r->cls == RuleClass::contract) CHECK(on_mainline.rules().count(rule) == 0);
      }
    }
  }
}
