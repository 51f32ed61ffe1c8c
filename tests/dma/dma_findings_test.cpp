// The three findings of the 2015 review of seed-v5 are found by the catalogue properties for
// several seeds, each shrunk to a small case, and none of them is found on mainline.
//   dma.double_unmap/dma.crash: iova_size(NULL) on a double unmap (Robin Murphy's reply)
//   dma.iommu_unmap/dma.bug: BUG_ON on a short unmap (Joerg Roedel: "A WARN_ON ... is sufficient")
//   dma.sg_aligned/sg.boundary.lone-entry: the back-to-back layout straddles a boundary
//     (fixed in v6/v4.4 by padding; Tomasz Figa's thread)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>

#include "props/catalog.h"
#include "props/property.h"
#include "case/case_json.h"
#include "run/run.h"
#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

namespace {

Property catalogue(const std::string& name) {
  for (Property& p : properties_for(Target::dma))
    if (p.name == name) return p;
  FAIL("no property " << name << " in properties_for(Target::dma)");
  throw std::logic_error("unreachable");
}

PropertyResult check(const Property& p, const std::string& variant, u64 seed, int runs = 200) {
  CampaignOptions opt;
  opt.seed = seed;
  opt.runs = runs;
  opt.variant = variant;
  return check_property(p, opt);
}

struct Finding {
  const char* property;
  const char* rule;
  const char* flavor;
  Phase phase;
};

const Finding findings[] = {
    {"dma.double_unmap/dma.crash", "dma.crash", "", Phase::misuse},
    {"dma.iommu_unmap/dma.bug", "dma.bug", "", Phase::misuse},
    {"dma.sg_aligned/sg.boundary.lone-entry", "sg.boundary", "lone-entry", Phase::valid_use},
};

}  // namespace

TEST_CASE("findings: the three seed-v5 review findings are found for seeds 1..5 and shrunk") {
  for (const Finding& f : findings) {
    const Property p = catalogue(f.property);
    REQUIRE(p.rule == f.rule);
    REQUIRE(p.flavor == f.flavor);
    REQUIRE(p.phase == f.phase);
    for (u64 seed = 1; seed <= 5; ++seed) {
      const PropertyResult r = check(p, "seed-v5", seed);
      INFO(f.property << " seed " << seed << ": " << r.message);
      REQUIRE(r.status == Status::fail);
      CHECK(r.rules.count(f.rule) == 1);
      REQUIRE(r.minimal_case);
      const Case& c = *r.minimal_case;
      // IOVET_TEST_SHOW=1 prints each minimal case.
      if (std::getenv("IOVET_TEST_SHOW")) WARN(f.property << " seed " << seed << ": " << r.message << "\n" << case_to_text(c));
      CHECK(c.ops.size() <= 3);
      // Shrunk: a few entries, or (a device taking GiB entries, whose list must first reach a
      // 4 GiB boundary) no more than two boundary windows' worth of bytes.
      const u64 window = c.config.device.seg_boundary_mask + 1;
      CHECK((max_sg_entries(c) <= 3 || (window && max_sg_bytes(c) <= 2 * window)));
      const RunResult again = run_case(c, {});
      const Violation* v = hunted(p, again);
      REQUIRE(v != nullptr);
      if (*f.flavor) CHECK(v->flavor == f.flavor);
      // A misuse finding happens after the misuse op; a boundary finding without any misuse.
      if (f.phase == Phase::misuse) CHECK(again.misuse_from >= 0);
      else CHECK(again.misuse_from == -1);
    }
  }
}

TEST_CASE("findings: mainline has none of the three seed-v5 findings for seeds 1..5") {
  for (const Finding& f : findings) {
    const Property p = catalogue(f.property);
    for (u64 seed = 1; seed <= 5; ++seed) {
      const PropertyResult r = check(p, "mainline", seed);
      INFO(f.property << " seed " << seed << ": " << r.message);
      CHECK(r.status == Status::pass);
      CHECK(r.runs >= 200);
    }
  }
}

TEST_CASE("findings: a hand-written double unmap and short unmap replay as the review described") {
  Case c;
  c.name = "hand";
  c.target = Target::dma;
  c.config = config();
  c.ops.push_back({op::MapPage{"a", 0x40000000, 0, 0x1000, Dir::bidirectional}, {}});
  c.ops.push_back({op::UnmapPage{"a"}, {}});
  c.ops.push_back({op::UnmapPage{"a"}, {}});
  RunOptions seed_v5;
  seed_v5.variant = "seed-v5";
  const RunResult crash = run_case(c, seed_v5);
  CHECK(crash.rules() == std::set<std::string>{"dma.crash"});
  CHECK(crash.misuse_from == 2);
  RunOptions v44;
  v44.variant = "v4.4";
  const RunResult warned = run_case(c, v44);
  CHECK(warned.rules().empty());
  CHECK(warned.warnings.size() == 1);

  Case b = c;
  b.ops[1] = {op::IommuUnmap{std::string("a")}, {}};
  b.ops.pop_back();
  b.ops.push_back({op::UnmapPage{"a"}, {}});
  const RunResult bug = run_case(b, seed_v5);
  CHECK(bug.rules() == std::set<std::string>{"dma.bug"});
  CHECK(bug.misuse_from == 1);
  CHECK(run_case(b, RunOptions{}).rules().empty());  // mainline WARNs instead
}
