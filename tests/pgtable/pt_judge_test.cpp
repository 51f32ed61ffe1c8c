// The pt.* judge on hand-made observations: each rule fires on the observation that breaks
// it, and the observations of a correct table pass.
#include <catch2/catch.hpp>

#include <algorithm>

#include "impl/lpae_geometry.h"
#include "spec/pt_judge.h"

using namespace iovet;

namespace {

constexpr u64 K4 = 0x1000, M2 = 0x200000;
constexpr int RW = prot::read | prot::write;

PgtableCfg cfg4k(PartialUnmap pu = PartialUnmap::refuse, unsigned ias = 48, unsigned oas = 48) {
  PgtableCfg c;
  c.pgsize_bitmap = lpae_pgsize_bitmap(K4, oas);
  c.ias = ias;
  c.oas = oas;
  c.partial_unmap = pu;
  return c;
}

// What a correct table shows with these leaves: every probe point translates as they say.
PtObservation seen(const PtJudge& j, std::vector<Leaf> leaves, std::size_t pages = 1, std::vector<TlbFlush> flushes = {}) {
  PtObservation o;
  o.table_pages = pages;
  o.flushes = std::move(flushes);
  for (u64 a : j.probe_points(leaves, 0, 0)) {
    Translation t;
    for (const Leaf& l : leaves)
      if (a - l.iova < l.size) t = {true, l.phys + (a - l.iova), (l.prot & prot::read) != 0, (l.prot & prot::write) != 0};
    o.probes.push_back({a, t});
  }
  o.leaves = std::move(leaves);
  return o;
}

std::vector<std::string> rules(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const Violation& x : v) out.push_back(x.rule);
  return out;
}

using Rules = std::vector<std::string>;

}  // namespace

TEST_CASE("a correct sequence of observations passes", "[pgtable][judge]") {
  PtJudge j(cfg4k(PartialUnmap::split), true, 1);
  const Leaf a{0x10000, K4, 0x80000, RW};
  CHECK(j.map(0, {0x10000, 0x80000, K4, 1, RW}, 0, K4, seen(j, {a}, 4)).empty());
  // Overlap: EEXIST, nothing changes.
  CHECK(j.map(1, {0x10000, 0x90000, K4, 1, RW}, -err::eexist, 0, seen(j, {a}, 4)).empty());
  CHECK(j.iova_to_phys(2, 0x10123, 0x80123).empty());
  CHECK(j.iova_to_phys(3, 0x20000, 0).empty());
  // A 2M block, then 4K split out of it.
  const Leaf blk{0x40000000, M2, 0x40000000, prot::read};
  CHECK(j.map(4, {0x40000000, 0x40000000, M2, 1, prot::read}, 0, M2, seen(j, {a, blk}, 5)).empty());
  std::vector<Leaf> after{a, {0x40000000, K4, 0x40000000, prot::read}};
  for (u64 va = 0x40000000 + 2 * K4; va < 0x40000000 + M2; va += K4) after.push_back({va, K4, va, prot::read});
  CHECK(j.unmap(5, {0x40001000, K4, 1}, K4, seen(j, after, 6, {{0x40001000, K4, K4, false}})).empty());
  CHECK(j.live().size() == 3);
  // Everything goes, tables too.
  CHECK(j.unmap(6, {0x40000000, M2, 1}, M2, seen(j, {a}, 4, {{0x40000000, M2, K4, true}})).empty());
  CHECK(j.unmap(7, {0x10000, K4, 1}, K4, seen(j, {}, 1, {{0x10000, K4, K4, false}})).empty());
  CHECK(j.live().empty());
}

TEST_CASE("pt.translation fires on a missing, misplaced or wrong leaf", "[pgtable][judge]") {
  PtJudge j(cfg4k(), true, 1);
  CHECK(rules(j.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, seen(j, {}, 1))) == Rules{"pt.translation"});
  PtJudge k(cfg4k(), true, 1);
  const auto v = k.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, seen(k, {{0x0, K4, 0x8000, RW}}, 4));
  REQUIRE(rules(v) == Rules{"pt.translation"});
  CHECK(v[0].message.find("0x1000") != std::string::npos);
  // The walk agrees but a device is sent elsewhere.
  PtJudge m(cfg4k(), true, 1);
  PtObservation o = seen(m, {{0x1000, K4, 0x8000, RW}}, 4);
  for (auto& [addr, t] : o.probes)
    if (t.valid) t.phys ^= 0x100000;
  CHECK(rules(m.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, o)) == Rules{"pt.translation"});
  // A bad page size must be EINVAL.
  CHECK(rules(m.map(1, {0x3000, 0x8000, 0x2000, 1, RW}, 0, 0, seen(m, {{0x1000, K4, 0x8000, RW}}, 4))) ==
        Rules{"pt.translation"});
  CHECK(m.map(2, {0x3000, 0x8000, 0x2000, 1, RW}, -err::einval, 0, seen(m, {{0x1000, K4, 0x8000, RW}}, 4)).empty());
  // A wrong lookup.
  CHECK(rules(m.iova_to_phys(3, 0x1010, 0x9010)) == Rules{"pt.translation"});
  CHECK(rules(m.iova_to_phys(4, 0x5000, 0x5000)) == Rules{"pt.translation"});
}

TEST_CASE("pt.translation fires when the gather misses an unmapped page", "[pgtable][judge]") {
  PtJudge j(cfg4k(), true, 1);
  REQUIRE(j.map(0, {0x1000, 0x8000, K4, 2, RW}, 0, 2 * K4, seen(j, {{0x1000, K4, 0x8000, RW}, {0x2000, K4, 0x9000, RW}}, 4)).empty());
  const auto v = j.unmap(1, {0x1000, K4, 2}, 2 * K4, seen(j, {}, 1, {{0x1000, K4, K4, false}}));
  REQUIRE(rules(v) == Rules{"pt.translation"});
  CHECK(v[0].message.find("0x2000") != std::string::npos);
  CHECK(v[0].message.find("TLB") != std::string::npos);
}

TEST_CASE("pt.permission fires on write through a read-only mapping and on a lost grant", "[pgtable][judge]") {
  PtJudge j(cfg4k(), false, 1);
  PtObservation o = seen(j, {{0x1000, K4, 0x8000, prot::read}}, 4);
  for (auto& [addr, t] : o.probes) t.write = t.valid;
  CHECK(rules(j.map(0, {0x1000, 0x8000, K4, 1, prot::read}, 0, K4, o)) == Rules{"pt.permission"});

  // Write-only: reading is a violation only where the format can say write-only.
  PtJudge s1(cfg4k(), false, 1), s2(cfg4k(), true, 1);
  auto wo = [](const PtJudge& jj) {
    PtObservation w = seen(jj, {{0x1000, K4, 0x8000, prot::write}}, 4);
    for (auto& [addr, t] : w.probes) t.read = t.valid;
    return w;
  };
  CHECK(s1.map(0, {0x1000, 0x8000, K4, 1, prot::write}, 0, K4, wo(s1)).empty());
  CHECK(rules(s2.map(0, {0x1000, 0x8000, K4, 1, prot::write}, 0, K4, wo(s2))) == Rules{"pt.permission"});

  PtJudge d(cfg4k(), true, 1);
  CHECK(rules(d.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, seen(d, {{0x1000, K4, 0x8000, prot::read}}, 4))) ==
        Rules{"pt.permission"});
}

TEST_CASE("pt.exists fires on a map over a live one that succeeds or changes things", "[pgtable][judge]") {
  PtJudge j(cfg4k(), true, 1);
  const Leaf a{0x2000, K4, 0x8000, RW};
  REQUIRE(j.map(0, {0x2000, 0x8000, K4, 1, RW}, 0, K4, seen(j, {a}, 4)).empty());
  CHECK(rules(j.map(1, {0x2000, 0x9000, K4, 1, RW}, 0, K4, seen(j, {a}, 4))) == Rules{"pt.exists"});
  // EEXIST, but the pages before the live one were mapped and not reported.
  PtJudge k(cfg4k(), true, 1);
  REQUIRE(k.map(0, {0x2000, 0x8000, K4, 1, RW}, 0, K4, seen(k, {a}, 4)).empty());
  const Leaf before{0x1000, K4, 0x10000, RW};
  CHECK(rules(k.map(1, {0x1000, 0x10000, K4, 2, RW}, -err::eexist, 0, seen(k, {before, a}, 4))) == Rules{"pt.exists"});
  // The same, reported in mapped: a legal prefix.
  PtJudge m(cfg4k(), true, 1);
  REQUIRE(m.map(0, {0x2000, 0x8000, K4, 1, RW}, 0, K4, seen(m, {a}, 4)).empty());
  CHECK(m.map(1, {0x1000, 0x10000, K4, 2, RW}, -err::eexist, K4, seen(m, {before, a}, 4)).empty());
  // EEXIST with nothing in the way.
  CHECK(rules(m.map(2, {0x10000, 0x10000, K4, 1, RW}, -err::eexist, 0, seen(m, {before, a}, 4))) == Rules{"pt.exists"});
}

TEST_CASE("pt.range fires on a map beyond ias or oas that is not refused with ERANGE", "[pgtable][judge]") {
  PtJudge j(cfg4k(PartialUnmap::refuse, 40, 36), true, 1);
  const u64 top = u64{1} << 40;
  CHECK(j.map(0, {top, 0x8000, K4, 1, RW}, -err::erange, 0, seen(j, {})).empty());
  CHECK(rules(j.map(1, {top, 0x8000, K4, 1, RW}, -err::einval, 0, seen(j, {}))) == Rules{"pt.range"});
  CHECK(rules(j.map(2, {top - K4, 0x8000, K4, 2, RW}, 0, 2 * K4, seen(j, {}))) == Rules{"pt.range"});
  CHECK(rules(j.map(3, {0x1000, u64{1} << 36, K4, 1, RW}, 0, K4, seen(j, {}))) == Rules{"pt.range"});
  // ERANGE inside the range is wrong too.
  CHECK(rules(j.map(4, {0x1000, 0x8000, K4, 1, RW}, -err::erange, 0, seen(j, {}))) == Rules{"pt.range"});
}

TEST_CASE("pt.partial fires when a partial unmap loses the rest of the block", "[pgtable][judge]") {
  const Leaf blk{0x200000, M2, 0x400000, RW};
  for (PartialUnmap pu : {PartialUnmap::refuse, PartialUnmap::split}) {
    PtJudge j(cfg4k(pu), true, 1);
    REQUIRE(j.map(0, {0x200000, 0x400000, M2, 1, RW}, 0, M2, seen(j, {blk}, 3)).empty());
    // The whole block went for a 4K request.
    const auto v = j.unmap(1, {0x201000, K4, 1}, K4, seen(j, {}, 1, {{0x200000, M2, K4, false}}));
    CHECK(rules(v) == Rules{"pt.partial"});
  }
  // refuse: the right answer is 0 with the block whole.
  PtJudge r(cfg4k(PartialUnmap::refuse), true, 1);
  REQUIRE(r.map(0, {0x200000, 0x400000, M2, 1, RW}, 0, M2, seen(r, {blk}, 3)).empty());
  CHECK(r.unmap(1, {0x201000, K4, 1}, 0, seen(r, {blk}, 3)).empty());
  CHECK(rules(r.unmap(2, {0x201000, K4, 1}, K4, seen(r, {blk}, 3))) == Rules{"pt.partial"});
}

TEST_CASE("pt.leak fires when tables stay after everything is unmapped", "[pgtable][judge]") {
  PtJudge j(cfg4k(), true, 2);  // a concatenated pgd of two pages counts as the top
  const Leaf a{0x1000, K4, 0x8000, RW};
  REQUIRE(j.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, seen(j, {a}, 5)).empty());
  CHECK(rules(j.unmap(1, {0x1000, K4, 1}, K4, seen(j, {}, 3, {{0x1000, K4, K4, false}}))) == Rules{"pt.leak"});
  CHECK(j.unmap(2, {0x1000, K4, 1}, 0, seen(j, {}, 3)).empty());  // reported once
  PtJudge k(cfg4k(), true, 2);
  REQUIRE(k.map(0, {0x1000, 0x8000, K4, 1, RW}, 0, K4, seen(k, {a}, 5)).empty());
  CHECK(k.unmap(1, {0x1000, K4, 1}, K4, seen(k, {}, 2, {{0x1000, K4, K4, false}})).empty());
}

TEST_CASE("probe points stay few for huge mappings and include both sides of every edge", "[pgtable][judge]") {
  PtJudge j(cfg4k(), true, 1);
  const Leaf g{u64{1} << 30, u64{1} << 30, u64{1} << 32, RW};
  REQUIRE(j.map(0, {g.iova, g.phys, g.size, 1, RW}, 0, g.size, seen(j, {g}, 3)).empty());
  const auto pts = j.probe_points({g}, 0, 0);
  CHECK(pts.size() < 16);
  for (u64 a : {g.iova - 1, g.iova, g.iova + g.size - 1, g.iova + g.size})
    CHECK(std::count(pts.begin(), pts.end(), a) == 1);
}
