// Same inputs, same results: two workers share each split obligation's cases, and which model Z3
// gives depends on what its context saw before, so the counterexample reported and the case
// written must not depend on which worker decided what.
#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "smt/prove.h"

using namespace iovet;
using namespace iovet::smt;

TEST_CASE("a counterexample and its case do not depend on the schedule", "[smt]") {
  for (const char* id : {"seed-v5.map_sg.slot_within_boundary", "seed-v5.finalise.merge_length_exact"}) {
    INFO(id);
    const ProveOptions opt{"", id, 20000, true};
    const ProofResult first = prove_all(opt).at(0);
    REQUIRE(first.status == ProofStatus::counterexample);
    REQUIRE(first.witness);
    for (int run = 0; run < 4; ++run) {
      const ProofResult again = prove_all(opt).at(0);
      CHECK(again.model == first.model);
      REQUIRE(again.witness);
      CHECK(case_to_json(again.witness->c).dump() == case_to_json(first.witness->c).dump());
    }
  }
}
