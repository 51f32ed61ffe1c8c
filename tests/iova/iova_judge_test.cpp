// The iova.* rules on hand-made observations: each rule fires on a bad one and stays quiet on
// a good one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "spec/iova_judge.h"

using namespace iovet;

namespace {

Config config(u64 start_pfn = 1) {
  Config c;
  c.start_pfn = start_pfn;
  return c;
}

std::set<std::string> rules(const std::vector<Violation>& v) {
  std::set<std::string> s;
  for (const Violation& x : v) s.insert(x.rule);
  return s;
}

IovaRequest req(u64 size, u64 limit, bool aligned = true, bool fast = false) {
  return {size, limit, aligned, fast};
}

const IovaViews none{};

}  // namespace

TEST_CASE("judge: a good allocation breaks no rule") {
  IovaJudge j(config());
  CHECK(j.alloc(0, "a", req(3, 0xfffff), 0xffffc, none).empty());
  CHECK(j.alloc(1, "b", req(3, 0xfffff, false), 0xffff9, none).empty());
  CHECK(j.alloc(2, "c", req(3, 0xfffff, true, true), 0xffff4, none).empty());
}

TEST_CASE("judge: iova.zero") {
  IovaJudge j(config());
  const auto v = j.alloc(0, "a", req(1, 0xfffff), 0, none);
  CHECK(rules(v).count("iova.zero") == 1);
  CHECK(v.front().op == 0);
}

TEST_CASE("judge: iova.window against limit_pfn, start_pfn and the aperture") {
  IovaJudge j(config(0x10));
  auto above = j.alloc(0, "a", req(2, 0xfffff, false), 0xfffff, none);  // ends at 0x100000
  CHECK(rules(above) == std::set<std::string>{"iova.window"});
  CHECK(above.front().message.find("0x100000") != std::string::npos);
  CHECK(rules(j.alloc(1, "b", req(1, 0xfffff), 0xf, none)) == std::set<std::string>{"iova.window"});

  Config c = config();
  c.domain.aperture = Range{0x10000, 0x1ffff};  // pfns 0x10..0x1f
  IovaJudge k(c);
  CHECK(k.alloc(0, "a", req(1, 0xfffff), 0x1f, none).empty());
  CHECK(rules(k.alloc(1, "b", req(1, 0xfffff), 0x20, none)) == std::set<std::string>{"iova.window"});
  CHECK(rules(k.alloc(2, "c", req(1, 0xfffff), 0xf, none)) == std::set<std::string>{"iova.window"});
}

TEST_CASE("judge: iova.alignment for aligned and fast allocations only") {
  IovaJudge j(config());
  CHECK(rules(j.alloc(0, "a", req(3, 0xfffff), 0xffffd, none)) ==
        std::set<std::string>{"iova.alignment"});
  CHECK(j.alloc(1, "b", req(3, 0xfffff, false), 0xfff01, none).empty());
  // alloc_iova_fast() always asks for size alignment.
  CHECK(rules(j.alloc(2, "c", req(3, 0xfffff, false, true), 0xffe01, none)) ==
        std::set<std::string>{"iova.alignment"});
}

TEST_CASE("judge: iova.overlap with live allocations and reserved ranges, not freed ones") {
  IovaJudge j(config());
  REQUIRE(j.reserve(-1, 0x100, 0x1ff, true, none).empty());
  REQUIRE(j.alloc(0, "a", req(4, 0xfffff), 0xffffc, none).empty());
  const auto v = j.alloc(1, "b", req(2, 0xfffff), 0xffffe, none);
  CHECK(rules(v) == std::set<std::string>{"iova.overlap"});
  CHECK(v.front().message.find("live allocation a [0xffffc, 0xfffff]") != std::string::npos);
  CHECK(rules(j.alloc(2, "c", req(1, 0xfffff), 0x1ff, none)) == std::set<std::string>{"iova.overlap"});
  REQUIRE(j.free(3, "a", none).empty());
  REQUIRE(j.free(4, "b", none).empty());
  CHECK(j.alloc(5, "d", req(4, 0xfffff), 0xffffc, none).empty());
  // A refused reservation protects nothing.
  REQUIRE(j.reserve(6, 0x300, 0x3ff, false, none).empty());
  CHECK(j.alloc(7, "e", req(1, 0xfffff), 0x300, none).empty());
}

TEST_CASE("judge: iova.overlap in the allocator's own views") {
  IovaJudge j(config());
  IovaViews bad;
  bad.allocated = {{0x10, 0x1f}};
  bad.reserved = {{0x18, 0x18}};
  CHECK(rules(j.free(0, "x", bad)) == std::set<std::string>{"iova.overlap"});
  CHECK(j.free(1, "x", bad).empty());  // reported once

  IovaJudge k(config());
  REQUIRE(k.alloc(0, "a", req(1, 0xfffff), 0xfffff, none).empty());
  IovaViews cached_live;
  cached_live.cached = {{0xfffff, 0xfffff}};
  CHECK(rules(k.free(1, "other", cached_live)) == std::set<std::string>{"iova.overlap"});

  IovaJudge ok(config());
  IovaViews fine;
  fine.allocated = {{0x10, 0x1f}, {0x30, 0x3f}};
  fine.reserved = {{0x20, 0x2f}};
  fine.cached = {{0x40, 0x43}};
  CHECK(ok.free(0, "x", fine).empty());
}

TEST_CASE("judge: iova.spurious_failure when a legal place exists") {
  IovaJudge j(config());
  const auto v = j.alloc(0, "a", req(3, 0xfffff), std::nullopt, none);
  REQUIRE(rules(v) == std::set<std::string>{"iova.spurious_failure"});
  CHECK(v.front().message.find("[0x4, 0x6]") != std::string::npos);  // the lowest legal place
}

TEST_CASE("judge: a failure is legal when no aligned place is left") {
  IovaJudge j(config());
  REQUIRE(j.reserve(-1, 4, 7, true, none).empty());
  // Free: 1..3. Aligned 3 needs a multiple of 4; fast 3 needs 4 pfns; unaligned 3 fits.
  CHECK(j.alloc(0, "a", req(3, 7), std::nullopt, none).empty());
  CHECK(j.alloc(1, "b", req(3, 7, true, true), std::nullopt, none).empty());
  CHECK(rules(j.alloc(2, "c", req(3, 7, false), std::nullopt, none)) ==
        std::set<std::string>{"iova.spurious_failure"});
  // pfn 0 and pfns below start_pfn never count.
  CHECK(j.alloc(3, "d", req(4, 3, false), std::nullopt, none).empty());
}

TEST_CASE("judge: space a fast allocation may hold is not free, freed space is") {
  IovaJudge j(config());
  REQUIRE(j.alloc(0, "a", req(3, 7, true, true), 4, none).empty());  // holds 4..7
  CHECK(j.alloc(1, "b", req(1, 7), std::nullopt, none).size() == 1);  // 1..3 are free
  REQUIRE(j.alloc(2, "c", req(3, 3, false), 1, none).empty());
  CHECK(j.alloc(3, "d", req(1, 7), std::nullopt, none).empty());  // pfn 7 is a's rounding
  REQUIRE(j.free(4, "a", none).empty());
  // Ranges in caches count as free whatever the views say.
  IovaViews cached;
  cached.cached = {{4, 7}};
  CHECK(rules(j.alloc(5, "e", req(4, 7), std::nullopt, cached)) ==
        std::set<std::string>{"iova.spurious_failure"});
}

TEST_CASE("judge: the legal-place search is a sweep, not a walk over pfns") {
  Config c = config();
  c.ias = 52;
  IovaJudge j(c);
  const u64 top = (u64{1} << 40) - 1;  // pfns of a 52-bit aperture with 4K granules
  REQUIRE(j.reserve(-1, 1, top - 2, true, none).empty());
  auto v = j.alloc(0, "a", req(2, top), std::nullopt, none);
  REQUIRE(v.size() == 1);
  CHECK(v.front().message.find("[0xfffffffffe, 0xffffffffff]") != std::string::npos);
  REQUIRE(j.reserve(-1, top - 1, top - 1, true, none).empty());
  CHECK(j.alloc(1, "b", req(2, top), std::nullopt, none).empty());
}
