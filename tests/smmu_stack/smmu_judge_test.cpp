// The SMMU judge on hand-made observations: each rule fires on the observation that breaks
// it and stays quiet on the one that keeps it.
#include <catch2/catch.hpp>

#include <set>

#include "spec/smmu_judge.h"

using namespace iovet;
using Op = SmmuCommand::Op;

namespace {

const StreamView kS1{StreamView::Kind::s1, 0x4000'0000'1000, true, 1, 0x8000'0000, 16, 12, 48};
const StreamView kAbort{StreamView::Kind::abort};

std::set<std::string> rules(SmmuJudge& j) {
  std::set<std::string> s;
  for (const Violation& v : j.take()) s.insert(v.rule);
  return s;
}

SmmuTrace issued(SmmuCommand c) { return {SmmuTrace::Issued{c}}; }
SmmuTrace consumed(SmmuCommand c) { return {SmmuTrace::Consumed{c, false}}; }

// Both sides of the queue see the command.
void run_cmd(SmmuJudge& j, SmmuCommand c) {
  j.trace(issued(c));
  j.trace(consumed(c));
}

SmmuCommand tlbi_va(u64 addr, unsigned tg = 0, unsigned scale = 0, unsigned num = 0) {
  SmmuCommand c;
  c.op = Op::tlbi_nh_va;
  c.asid = 1;
  c.addr = addr;
  c.leaf = true;
  c.tg = tg;
  c.scale = scale;
  c.num = num;
  return c;
}
SmmuCommand cmd_sync() { return SmmuCommand{Op::sync}; }

// A judge with stream 0 attached to an S1 DMA domain of ASID 1.
SmmuJudge attached(bool lazy) {
  SmmuJudge j(lazy);
  j.begin_op(0, {{0, kAbort}});
  j.attached(0, SmmuDomainKind::dma);
  j.end_op({{0, kS1}});
  REQUIRE(rules(j).empty());
  return j;
}

void unmap_op(SmmuJudge& j, const std::vector<Leaf>& leaves, const std::vector<SmmuCommand>& cmds) {
  j.begin_op(1, {{0, kS1}});
  j.unmapped(leaves);
  for (const SmmuCommand& c : cmds) run_cmd(j, c);
  j.end_op({{0, kS1}});
}

}  // namespace

TEST_CASE("tlbi_address_range: NUM+1 times 2^SCALE granules of TG", "[smmu][judge]") {
  CHECK(tlbi_address_range(tlbi_va(0x10000))->last == 0x10000);  // one address
  const Range r = *tlbi_address_range(tlbi_va(0x10000, 1, 2, 3));
  CHECK(r.first == 0x10000);
  CHECK(r.last == 0x10000 + 4 * 4 * 0x1000 - 1);
  CHECK(tlbi_address_range(tlbi_va(0x40000, 3, 0, 0))->last == 0x40000 + 0x10000 - 1);
  CHECK(!tlbi_address_range(cmd_sync()));
}

TEST_CASE("tlbi_removes: the TG and TTL hints and Leaf bind", "[smmu][judge]") {
  const TlbTag tag{false, 1, 0, 12};
  const u64 block = 0x20'0000;  // a level-2 leaf at 4K
  SmmuCommand c = tlbi_va(block, 1, 0, 0);  // one 4K page at the block's start, TG 4K
  c.ttl = 2;
  CHECK(tlbi_removes(c, tag, block, block));
  c.ttl = 3;  // the page level: the block stays
  CHECK(!tlbi_removes(c, tag, block, block));
  CHECK(tlbi_removes(c, tag, block, 0x1000));
  c.ttl = 0;
  CHECK(tlbi_removes(c, tag, block, block));
  c.tg = 3;  // 64K granule named for 4K tables: nothing
  CHECK(!tlbi_removes(c, tag, block, 0x1000));
  // A freed level-3 table that covered a 2 MiB region: only Leaf = 0, TTL 0 or 3.
  c = tlbi_va(block, 1, 0, 0);
  CHECK(!tlbi_removes(c, tag, block, block, TlbEntryKind::table));
  c.leaf = false;
  CHECK(tlbi_removes(c, tag, block, block, TlbEntryKind::table));
  c.ttl = 3;
  CHECK(tlbi_removes(c, tag, block, block, TlbEntryKind::table));
  c.ttl = 2;
  CHECK(!tlbi_removes(c, tag, block, block, TlbEntryKind::table));
  // ASID-wide: everything of the ASID.
  SmmuCommand all{Op::tlbi_nh_asid};
  all.asid = 1;
  CHECK(tlbi_removes(all, tag, block, block, TlbEntryKind::table));
}

TEST_CASE("strict: an unmap must return after a covering TLBI and a completed SYNC", "[smmu][judge]") {
  const std::vector<Leaf> two = {{0x10000, 0x1000, 0x8000'0000, 3}, {0x11000, 0x1000, 0x8000'1000, 3}};
  SECTION("range TLBI + SYNC") {
    SmmuJudge j = attached(false);
    unmap_op(j, two, {tlbi_va(0x10000, 1, 0, 1), cmd_sync()});
    CHECK(rules(j).empty());
  }
  SECTION("no SYNC") {
    SmmuJudge j = attached(false);
    unmap_op(j, two, {tlbi_va(0x10000, 1, 0, 1)});
    CHECK(rules(j) == std::set<std::string>{"smmu.invalidation"});
  }
  SECTION("one page too few") {
    SmmuJudge j = attached(false);
    unmap_op(j, two, {tlbi_va(0x10000, 1, 0, 0), cmd_sync()});
    CHECK(rules(j) == std::set<std::string>{"smmu.invalidation"});
  }
  SECTION("another ASID") {
    SmmuJudge j = attached(false);
    SmmuCommand c = tlbi_va(0x10000, 1, 0, 1);
    c.asid = 2;
    unmap_op(j, two, {c, cmd_sync()});
    CHECK(rules(j) == std::set<std::string>{"smmu.invalidation"});
  }
  SECTION("a whole-ASID invalidation covers, and counts no over-invalidation") {
    SmmuJudge j = attached(false);
    SmmuCommand c{Op::tlbi_nh_asid};
    c.asid = 1;
    unmap_op(j, two, {c, cmd_sync(), tlbi_va(0x20000), cmd_sync()});
    CHECK(rules(j).empty());
    CHECK(j.over_invalidations() == 1);  // the second TLBI removed nothing pending
  }
}

TEST_CASE("lazy: pending IOVAs may translate stale but are neither freed nor reused", "[smmu][judge]") {
  const Leaf leaf{0x10000, 0x1000, 0x8000'0000, 3};
  SmmuJudge j = attached(true);
  unmap_op(j, {leaf}, {});
  CHECK(rules(j).empty());  // lazy: the unmap may return before its invalidation
  j.begin_op(2, {{0, kS1}});
  j.access(0, 0x10010, false, {true, 0x8000'0010}, Translation{}, {});
  CHECK(rules(j).empty());  // stale, but still queued
  j.access(0, 0x10010, false, {true, 0x9000'0010}, Translation{}, {});
  CHECK(rules(j) == std::set<std::string>{"smmu.stale"});  // no translation ever held that
  j.trace({SmmuTrace::IovaFreed{0x10000, 0x1000}});
  CHECK(rules(j) == std::set<std::string>{"smmu.flush_queue"});
  j.mapped({0x10000, 0x10fff});
  CHECK(rules(j) == std::set<std::string>{"smmu.flush_queue"});
  SmmuCommand all{Op::tlbi_nh_asid};
  all.asid = 1;
  run_cmd(j, all);
  run_cmd(j, cmd_sync());
  j.trace({SmmuTrace::IovaFreed{0x10000, 0x1000}});
  j.access(0, 0x10010, false, {true, 0x8000'0010}, Translation{}, {});
  CHECK(rules(j) == std::set<std::string>{"smmu.stale"});  // invalidated: now stale is a violation
  j.end_op({{0, kS1}});
}

TEST_CASE("hitless: an intermediate state must be the old or the new configuration", "[smmu][judge]") {
  SmmuJudge j(false);
  j.begin_op(0, {{0, kAbort}});
  j.attached(0, SmmuDomainKind::dma);
  StreamView torn = kS1;
  torn.cd_table = 0;  // qword 0 written before the context pointer
  j.trace({SmmuTrace::EntryState{0, kAbort}});
  j.trace({SmmuTrace::EntryState{0, kS1}});
  j.end_op({{0, kS1}});
  CHECK(rules(j).empty());
  j.begin_op(1, {{0, kS1}});
  j.attached(0, SmmuDomainKind::blocked);
  j.trace({SmmuTrace::EntryState{0, torn}});
  j.end_op({{0, kAbort}});
  CHECK(rules(j) == std::set<std::string>{"smmu.hitless"});
}

TEST_CASE("config: after attach the hardware must see the new domain", "[smmu][judge]") {
  SmmuJudge j(false);
  j.begin_op(0, {{0, kAbort}});
  j.attached(0, SmmuDomainKind::identity);
  j.end_op({{0, kAbort}});
  CHECK(rules(j) == std::set<std::string>{"smmu.config"});
  j.begin_op(1, {{0, kAbort}});
  j.access(0, 0x1000, true, {true, 0x2000}, Translation{}, {});
  CHECK(rules(j) == std::set<std::string>{"smmu.config"});  // identity must reach 0x1000
}

TEST_CASE("cmdq: consumed equals issued, in order, every SYNC done", "[smmu][judge]") {
  SmmuJudge j(false);
  j.begin_op(0, {});
  j.trace(issued(tlbi_va(0x1000)));
  j.trace(issued(cmd_sync()));
  j.trace(consumed(tlbi_va(0x2000)));
  j.end_op({});
  CHECK(rules(j) == std::set<std::string>{"smmu.cmdq"});  // wrong command, SYNC never consumed
  SmmuJudge k(false);
  k.begin_op(0, {});
  k.trace({SmmuTrace::QueueOverflow{0x10, 0x0}});
  k.end_op({});
  CHECK(rules(k) == std::set<std::string>{"smmu.cmdq"});
}

TEST_CASE("events: one record of the right kind, stream, address and direction", "[smmu][judge]") {
  SmmuJudge j = attached(false);
  j.begin_op(1, {{0, kS1}});
  const SmmuEvent good{SmmuEvent::Id::f_translation, 0x10, 0, 0x5000, false, false};
  j.access(0, 0x5000, true, {}, Translation{}, {good});
  CHECK(rules(j).empty());
  SmmuEvent wrong = good;
  wrong.read = true;
  j.access(0, 0x5000, true, {}, Translation{}, {wrong});
  CHECK(rules(j) == std::set<std::string>{"smmu.event"});
  j.access(0, 0x5000, true, {}, Translation{}, {});
  CHECK(rules(j) == std::set<std::string>{"smmu.event"});
  const Translation ro{true, 0x7000, true, false};
  SmmuEvent perm = good;
  perm.id = SmmuEvent::Id::f_permission;
  j.access(0, 0x5000, true, {}, ro, {perm});
  CHECK(rules(j).empty());
  j.access(0, 0x5000, false, {true, 0x7000}, ro, {});
  CHECK(rules(j).empty());
  j.access(0, 0x5000, false, {true, 0x7004}, ro, {});
  CHECK(rules(j) == std::set<std::string>{"smmu.translation"});
}

TEST_CASE("walk: the hardware walker must agree with iova_to_phys", "[smmu][judge]") {
  SmmuJudge j(false);
  j.walk(0x1000, {true, 0x5000, true, true}, 0x5000);
  j.walk(0x2000, {}, 0);
  CHECK(rules(j).empty());
  j.walk(0x3000, {true, 0x5000, true, true}, 0x6000);
  CHECK(rules(j) == std::set<std::string>{"smmu.walk"});
}

TEST_CASE("events: a blocked stream is silent unless it never had an STE", "[smmu][judge]") {
  SmmuJudge j(false);
  j.begin_op(0, {});
  const SmmuEvent bad_sid{SmmuEvent::Id::c_bad_streamid, 0x2, 7, 0x5000, true, false};
  j.access(7, 0x5000, false, {}, Translation{}, {bad_sid});
  CHECK(rules(j).empty());  // never attached: no level-2 table yet
  j.attached(7, SmmuDomainKind::blocked);
  j.access(7, 0x5000, false, {}, Translation{}, {bad_sid});
  CHECK(rules(j) == std::set<std::string>{"smmu.event"});  // an aborting STE records nothing
}

TEST_CASE("events: a stale entry without the permission may answer with a permission fault", "[smmu][judge]") {
  SmmuJudge j = attached(true);
  unmap_op(j, {{0x10000, 0x1000, 0x8000'0000, prot::write}}, {});  // a write-only leaf, queued
  j.begin_op(2, {{0, kS1}});
  const SmmuEvent perm{SmmuEvent::Id::f_permission, 0x13, 0, 0x10000, true, false};
  j.access(0, 0x10000, false, {}, Translation{}, {perm});
  CHECK(rules(j).empty());
  j.access(0, 0x10000, true, {}, Translation{}, {perm});  // a write it would have allowed
  CHECK(rules(j) == std::set<std::string>{"smmu.event"});
}
