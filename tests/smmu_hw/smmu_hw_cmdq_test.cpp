// The command queue: consumption per CONS read, faithful decoding into the trace, CMD_SYNC
// completion, CERROR_ILL and its recovery, and PROD running ahead of CONS.
#include <catch2/catch.hpp>

#include "tests/smmu_hw/smmu_hw_rig.h"

using namespace iovet;
using namespace iovet::test;

namespace {

std::vector<SmmuTrace::Consumed> consumed(const Rig& r) {
  std::vector<SmmuTrace::Consumed> out;
  for (const SmmuTrace& t : r.trace)
    if (auto* c = std::get_if<SmmuTrace::Consumed>(&t.item)) out.push_back(*c);
  return out;
}
unsigned syncs(const Rig& r) {
  unsigned n = 0;
  for (const SmmuTrace& t : r.trace) n += std::holds_alternative<SmmuTrace::SyncDone>(t.item);
  return n;
}
constexpr u64 CMD_SYNC = 0x46;

}  // namespace

TEST_CASE("commands are consumed only on CONS reads, cmdq_per_poll at a time", "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.cmdq_per_poll = 3;
  Rig r(p);
  r.enable();
  for (int i = 0; i < 7; ++i) r.push_cmd(Rig::cfgi_ste0(static_cast<u32>(i)), 1);
  r.push_cmd(CMD_SYNC, 0);
  CHECK(consumed(r).empty());
  CHECK(get(r.hw().readl(off::CMDQ_CONS), 5, 0) == 3);
  CHECK(consumed(r).size() == 3);
  CHECK(get(r.hw().readl(off::CMDQ_CONS), 5, 0) == 6);
  CHECK(syncs(r) == 0);
  CHECK(get(r.hw().readl(off::CMDQ_CONS), 5, 0) == 8);
  CHECK(syncs(r) == 1);
  CHECK(get(r.hw().readl(off::CMDQ_CONS), 5, 0) == 8);  // empty: nothing more
  const auto c = consumed(r);
  REQUIRE(c.size() == 8);
  for (u32 i = 0; i < 7; ++i) {
    CHECK(c[i].cmd.op == SmmuCommand::Op::cfgi_ste);
    CHECK(c[i].cmd.sid == i);
    CHECK(c[i].cmd.leaf);
    CHECK_FALSE(c[i].illegal);
  }
  CHECK(c[7].cmd.op == SmmuCommand::Op::sync);
}

TEST_CASE("the ring wraps: the wrap bit tracks each lap", "[smmu_hw]") {
  Rig r;  // 32 entries
  r.enable();
  for (int lap = 0; lap < 3; ++lap)
    for (int i = 0; i < 20; ++i) r.cmd(Rig::cfgi_ste0(1), 1);
  CHECK(syncs(r) == 60);
  CHECK(consumed(r).size() == 120);
  const u32 cons = r.hw().readl(off::CMDQ_CONS);
  CHECK(cons == r.hw().readl(off::CMDQ_PROD));
  CHECK(cons == (120 & 63));
}

TEST_CASE("decoding is faithful to the architecture's fields", "[smmu_hw]") {
  Rig r;
  r.enable();
  r.push_cmd(Rig::tlbi0(0x12, 0xabcd, 0x1234, 17, 9), Rig::tlbi1(0xffff'8000'1234'5000, true, 2, 3));
  r.push_cmd(Rig::tlbi0(0x2a, 0, 0x55, 3, 1), Rig::tlbi1(0x000f'ffff'ffff'f000, false, 1, 0));
  r.push_cmd(Rig::cfgi_cd0(0x77, 0), 0);
  r.push_cmd(0x04, 31);  // CFGI_ALL = CFGI_STE_RANGE, RANGE 31
  r.push_cmd(Rig::tlbi0(0x11, 3, 4), 0);
  r.push_cmd(Rig::tlbi0(0x28, 0, 6), 0);
  r.push_cmd(Rig::tlbi0(0x10, 0, 8), 0);
  r.push_cmd(0x30, 0);
  r.push_cmd(CMD_SYNC | put(13, 12, 2), 0);  // CS = SEV
  r.drain();
  const auto c = consumed(r);
  REQUIRE(c.size() == 9);
  SmmuCommand va;
  va.op = SmmuCommand::Op::tlbi_nh_va;
  va.asid = 0xabcd, va.vmid = 0x1234, va.num = 17, va.scale = 9, va.tg = 2, va.ttl = 3;
  va.leaf = true, va.addr = 0xffff'8000'1234'5000;
  CHECK(c[0].cmd == va);
  SmmuCommand ipa;
  ipa.op = SmmuCommand::Op::tlbi_s2_ipa;
  ipa.vmid = 0x55, ipa.num = 3, ipa.scale = 1, ipa.tg = 1, ipa.addr = 0x000f'ffff'ffff'f000;
  CHECK(c[1].cmd == ipa);
  CHECK(c[2].cmd.op == SmmuCommand::Op::cfgi_cd);
  CHECK(c[2].cmd.sid == 0x77);
  CHECK(c[3].cmd.op == SmmuCommand::Op::cfgi_all);
  CHECK(c[4].cmd.op == SmmuCommand::Op::tlbi_nh_asid);
  CHECK(c[4].cmd.asid == 3);
  CHECK(c[4].cmd.vmid == 4);
  CHECK(c[5].cmd.op == SmmuCommand::Op::tlbi_s12_vmall);
  CHECK(c[5].cmd.vmid == 6);
  CHECK(c[6].cmd.op == SmmuCommand::Op::tlbi_nh_all);
  CHECK(c[6].cmd.vmid == 8);
  CHECK(c[7].cmd.op == SmmuCommand::Op::tlbi_nsnh_all);
  CHECK(c[8].cmd.op == SmmuCommand::Op::sync);
  for (const auto& x : c) CHECK_FALSE(x.illegal);
}

TEST_CASE("an illegal command stops the queue with CERROR_ILL until acknowledged",
          "[smmu_hw]") {
  const u64 bad_d0 = GENERATE(u64{0x7f},                         // unknown opcode
                              u64{0x03} | put(11, 8, 1),         // CFGI_STE reserved bit
                              u64{CMD_SYNC} | put(13, 12, 3),    // CS reserved
                              u64{0x20});                        // TLBI_EL2_ALL without HYP
  Rig r;
  r.enable();
  r.push_cmd(Rig::cfgi_ste0(1), 0);
  r.push_cmd(bad_d0, 0);
  r.push_cmd(Rig::cfgi_ste0(2), 0);
  r.push_cmd(CMD_SYNC, 0);
  const u32 cons = r.drain();
  CHECK(get(cons, 30, 24) == 1);  // CERROR_ILL
  CHECK(get(cons, 5, 0) == 1);    // CONS points at the bad command
  CHECK(get(r.hw().readl(off::GERROR), 0, 0) != get(r.hw().readl(off::GERRORN), 0, 0));
  auto c = consumed(r);
  REQUIRE(c.size() == 2);
  CHECK(c[1].illegal);
  CHECK(r.hw().readl(off::CMDQ_CONS) == cons);  // stays stopped
  // arm_smmu_cmdq_skip_err: replace with CMD_SYNC, then GERRORN = GERROR.
  r.mem().write(Rig::mem_base, 0);  // (unrelated page; keeps the rig honest about addresses)
  const u64 cmdq = r.hw().readq(off::CMDQ_BASE) & put(51, 5, ~u64{0});
  r.mem().write(cmdq + 16, CMD_SYNC);
  r.mem().write(cmdq + 24, 0);
  r.hw().writel(off::GERRORN, r.hw().readl(off::GERROR));
  const u32 after = r.drain();
  CHECK(get(after, 30, 24) == 0);
  CHECK(get(after, 5, 0) == 4);
  c = consumed(r);
  REQUIRE(c.size() == 5);
  CHECK(c[2].cmd.op == SmmuCommand::Op::sync);
  CHECK(c[3].cmd.sid == 2);
  CHECK(syncs(r) == 2);
}

TEST_CASE("range TLBI without RIL is illegal", "[smmu_hw]") {
  SmmuHwParams p = small_params();
  p.ril = false;
  Rig r(p);
  r.enable();
  r.push_cmd(Rig::tlbi0(0x12, 1, 0), Rig::tlbi1(0x1000, true, 0, 0));
  r.push_cmd(Rig::tlbi0(0x12, 1, 0, 1, 0), Rig::tlbi1(0x1000, true, 1, 0));
  CHECK(get(r.drain(), 30, 24) == 1);
  CHECK(consumed(r).size() == 2);
  CHECK(consumed(r)[1].illegal);
}

TEST_CASE("PROD more than a queue ahead of CONS is traced", "[smmu_hw]") {
  Rig r;  // 32 entries: pointers carry 6 bits
  r.enable();
  r.hw().writel(off::CMDQ_PROD, 32);  // full: legal
  CHECK(r.trace.empty());
  r.hw().writel(off::CMDQ_PROD, 33);  // one beyond a full queue
  REQUIRE(r.trace.size() == 1);
  const auto* o = std::get_if<SmmuTrace::QueueOverflow>(&r.trace[0].item);
  REQUIRE(o);
  CHECK(o->prod == 33);
  CHECK(o->cons == 0);
}
