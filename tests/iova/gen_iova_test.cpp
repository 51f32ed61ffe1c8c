// The iova case generator: valid, small, varied and reproducible cases.
#include <catch2/catch.hpp>

#include <set>

#include "case/case_json.h"
#include "props/gen_iova.h"
#include "run/iova_runner.h"
#include "tests/iova/iova_case_util.h"

using namespace iovet;

namespace {

Case sample(u64 seed) { return gen_iova_case("mainline")(rc::Random(seed), 50).value(); }

}  // namespace

TEST_CASE("gen_iova_case: cases are valid and replay without input errors") {
  int failed_allocs = 0, fast_frees = 0, reserves = 0, domain_reserved = 0, at_32bit = 0;
  for (u64 seed = 0; seed < 300; ++seed) {
    const Case c = sample(seed);
    REQUIRE(c.target == Target::iova);
    REQUIRE(c.variant == std::optional<std::string>("mainline"));
    REQUIRE(c.ops.size() <= 30);
    REQUIRE(validate(c.config).empty());
    std::set<std::string> live;
    const u64 pfn_32bit = u64{0xffffffff} >> c.config.granule_shift();
    for (const Op& o : c.ops) {
      if (const auto* a = std::get_if<op::IovaAlloc>(&o.body)) {
        REQUIRE(live.insert(a->id).second);
        REQUIRE(a->size >= 1);
        REQUIRE(a->limit_pfn <= c.config.aperture().last >> c.config.granule_shift());
        at_32bit += a->limit_pfn == pfn_32bit;
      } else if (const auto* f = std::get_if<op::IovaFree>(&o.body)) {
        REQUIRE(live.erase(f->id) == 1);
        fast_frees += f->fast;
      } else {
        REQUIRE(std::holds_alternative<op::IovaReserve>(o.body));
        ++reserves;
      }
    }
    domain_reserved += !c.config.domain.reserved.empty();
    RunOptions traced;
    traced.trace = true;
    for (const TraceLine& t : run_case(c, traced).trace)
      failed_allocs += t.text.size() > 6 && t.text.compare(t.text.size() - 6, 6, "failed") == 0;
  }
  // The mix the properties rely on: full domains, rcache traffic, reservations (init-time,
  // through domain.reserved, never as ops), 32-bit limits.
  CHECK(failed_allocs > 30);
  CHECK(fast_frees > 30);
  CHECK(reserves == 0);
  CHECK(domain_reserved > 30);
  CHECK(at_32bit > 30);
}

TEST_CASE("gen_iova_case: the same seed gives the same case") {
  for (u64 seed : {1u, 7u, 42u}) CHECK(case_to_json(sample(seed)) == case_to_json(sample(seed)));
  CHECK(case_to_json(sample(1)) != case_to_json(sample(2)));
}
