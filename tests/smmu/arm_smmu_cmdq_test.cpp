// Command batching, queue wrap under a slow consumer, and the TLBI commands of a domain.
#include <catch2/catch.hpp>

#include "impl/smmu/tlbi_range.h"
#include "tests/smmu/smmu_rig.h"

using namespace iovet;
using namespace iovet::test;
using Op = SmmuCommand::Op;

namespace {
IotlbGather gather_of(u64 iova, u64 size, u64 pgsize) {
  IotlbGather g;
  g.start = iova;
  g.end = iova + size - 1;
  g.pgsize = pgsize;
  return g;
}
}  // namespace

TEST_CASE("smmu cmdq: a slow consumer and a small queue: the driver waits, never overwrites",
          "[smmu]") {
  for (unsigned per_poll : {1u, 3u}) {
    SmmuRig rig;
    rig.mmio.per_poll = per_poll;
    rig.mmio.idr1 = (rig.mmio.idr1 & ~(31u << 21)) | (7u << 21);  // 128 commands
    auto dev = rig.probe();
    ArmLpaePgtable pt(s1_cfg());
    ArmSmmuDomain dom(*dev, pt);
    REQUIRE(dev->attach(1, SmmuDomainKind::dma, &dom) == 0);
    rig.trace.clear();
    rig.mmio.consumed.clear();
    // 1000 pages without RIL: 1000 TLBI_NH_VA in batches of 64, one SYNC at the end.
    dom.iotlb_sync(gather_of(0x4000'0000, 1000 * 0x1000, 0x1000));
    const auto cmds = rig.issued();
    REQUIRE(cmds.size() == 1001);
    for (unsigned i = 0; i < 1000; ++i) {
      REQUIRE(cmds[i].op == Op::tlbi_nh_va);
      REQUIRE(cmds[i].addr == 0x4000'0000 + u64{i} * 0x1000);
      REQUIRE(cmds[i].asid == dom.asid());
      REQUIRE(cmds[i].leaf);
    }
    CHECK(cmds[1000].op == Op::sync);
    // Everything issued was consumed, in order, unchanged, the SYNC last; first the
    // PREFETCH_CFG the attach left unsynced.
    REQUIRE(rig.mmio.consumed.size() == 1002);
    CHECK(bits(rig.mmio.consumed[0][0], 7, 0) == 0x01);
    for (unsigned i = 0; i < 1000; ++i)
      REQUIRE(bits(rig.mmio.consumed[i + 1][1], 63, 12) << 12 == cmds[i].addr);
    CHECK(bits(rig.mmio.consumed[1001][0], 7, 0) == 0x46);
    CHECK_FALSE(rig.mmio.overflowed);
    CHECK_FALSE(rig.mmio.overwritten);
    CHECK(rig.mmio.max_outstanding <= 128);
    CHECK(rig.mmio.max_outstanding >= 64);  // batches really were queued ahead
    CHECK(dev->cmdq_timeouts() == 0);
  }
}

TEST_CASE("smmu tlbi: RIL commands for iotlb_sync and tlb_flush_walk, S1 and S2", "[smmu]") {
  SmmuRig rig;
  rig.mmio.idr3 = 1u << 10;  // RIL
  auto dev = rig.probe();
  ArmLpaePgtable pt1(s1_cfg()), pt2(s2_cfg());
  ArmSmmuDomain d1(*dev, pt1), d2(*dev, pt2);
  rig.trace.clear();
  d1.iotlb_sync(gather_of(0x10'0000, 35 * 0x1000, 0x1000));
  auto cmds = rig.issued();
  const auto plan = tlbi_range_plan(0x10'0000, 35 * 0x1000, 0x1000, 12, true, true);
  REQUIRE(cmds.size() == plan.size() + 1);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    CHECK(cmds[i].op == Op::tlbi_nh_va);
    CHECK(cmds[i].addr == plan[i].addr);
    CHECK(cmds[i].tg == plan[i].tg);
    CHECK(cmds[i].scale == plan[i].scale);
    CHECK(cmds[i].num == plan[i].num);
    CHECK(cmds[i].ttl == 3);
  }
  // The encoding matches: NUM [16:12], SCALE [24:20], TTL [9:8], TG [11:10].
  const auto& raw = rig.mmio.consumed[rig.mmio.consumed.size() - 3];
  CHECK(bits(raw[0], 16, 12) == plan[0].num);
  CHECK(bits(raw[0], 24, 20) == plan[0].scale);
  CHECK(bits(raw[0], 63, 48) == d1.asid());
  CHECK(bits(raw[1], 9, 8) == 3);
  CHECK(bits(raw[1], 11, 10) == 1);
  rig.trace.clear();
  d2.tlb_flush_walk(0x20'0000, 0x20'0000, 0x1000);
  cmds = rig.issued();
  REQUIRE(cmds.size() == 2);
  CHECK(cmds[0].op == Op::tlbi_s2_ipa);
  CHECK(cmds[0].vmid == d2.vmid());
  CHECK_FALSE(cmds[0].leaf);
  CHECK(cmds[0].ttl == 0);
  CHECK(cmds[0].scale == 9);  // 512 pages
  rig.trace.clear();
  d1.flush_iotlb_all();
  d2.flush_iotlb_all();
  cmds = rig.issued();
  REQUIRE(cmds.size() == 4);
  CHECK(cmds[0].op == Op::tlbi_nh_asid);
  CHECK(cmds[0].asid == d1.asid());
  CHECK(cmds[2].op == Op::tlbi_s12_vmall);
  CHECK(cmds[2].vmid == d2.vmid());
  // An empty gather issues nothing.
  rig.trace.clear();
  d1.iotlb_sync(IotlbGather{});
  CHECK(rig.issued().empty());
}

namespace {
// A planted fault: the per-range invalidation stops one page short.
class OnePageShort : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule,
                     unsigned tg_shift) override {
    ArmSmmuDevice::tlb_inv_range(cmd, iova, size - granule, granule, tg_shift);
  }
};
}  // namespace

TEST_CASE("smmu tlbi: a subclass can plant a short invalidation", "[smmu]") {
  SmmuRig rig;
  auto dev = rig.probe<OnePageShort>();
  ArmLpaePgtable pt(s1_cfg());
  ArmSmmuDomain dom(*dev, pt);
  rig.trace.clear();
  dom.iotlb_sync(gather_of(0x8000, 4 * 0x1000, 0x1000));
  const auto cmds = rig.issued();
  REQUIRE(cmds.size() == 4);  // three TLBIs and the SYNC: the last page is missed
  CHECK(cmds[2].addr == 0xa000);
  CHECK(cmds[3].op == Op::sync);
}

TEST_CASE("smmu trace: a command is traced as it is encoded", "[smmu]") {
  // NUM = num - 1 of a zero num: 255 in the struct, 31 in the 5-bit field the SMMU reads.
  smmu::CmdqEnt ent;
  ent.opcode = smmu::cmdq_op::tlbi_nh_va;
  ent.tlbi.num = 255;
  ent.tlbi.scale = 33;  // 5 bits: 1
  ent.tlbi.ttl = 6;     // 2 bits: 2
  ent.tlbi.tg = 1;
  const SmmuCommand c = smmu::smmu_command_of(ent);
  CHECK(c.num == 31);
  CHECK(c.scale == 1);
  CHECK(c.ttl == 2);
  CHECK(c.tg == 1);
}
