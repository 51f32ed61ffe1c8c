// Planted faults: deliberately wrong drivers and flush queues. Each smmu property is trusted
// only because one of these tests shows it catching its fault, shrunk to a small case that
// runs clean on the real stack.
#include <catch2/catch.hpp>

#include <bit>

#include "case/case_json.h"
#include "impl/io_pgtable_arm.h"
#include "impl/smmu/arm_smmu_v3.h"
#include "props/catalog.h"
#include "run/smmu_stack.h"
#include "tests/mutation_log.h"
#include "tests/pgtable/lpae_test_util.h"

using namespace iovet;

namespace {

// arm_smmu_iotlb_sync() that syncs but never invalidates the leaves it gathered.
class SkipLeafTlbi : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule, unsigned tg_shift) override {
    if (cmd.tlbi.leaf) return void(issue_cmdlist({}, true));
    ArmSmmuDevice::tlb_inv_range(cmd, iova, size, granule, tg_shift);
  }
};

// A leaf invalidation that stops one page short of the range.
class TlbiOnePageShort : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule, unsigned tg_shift) override {
    if (cmd.tlbi.leaf) size -= granule;
    ArmSmmuDevice::tlb_inv_range(cmd, iova, size, granule, tg_shift);
  }
};

// An STE written front to back, qword 0 (V, Config) first, with no hitless sequence.
class SteWrongWordOrder : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void write_entry(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target) override {
    for (unsigned i = 0; i < target.size(); ++i) store_qword(w, entry_pa, i, target[i]);
    entry_sync(w);
  }
};

// A breaking update done as if it were hitless: every qword that differs stored in place,
// front to back, V left set, one CFGI at the end. The hardware may fetch the entry half old,
// half new (another VMID with the old S2TTB, another ASID with the old TTB0).
class SkipBreakingUpdate : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void write_entry(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target) override {
    const smmu::Entry cur = read_entry(entry_pa);
    const smmu::Entry safe = w.kind == EntryWriter::Kind::ste ? smmu::get_ste_update_safe(cur, target) : smmu::Entry{};
    smmu::Entry unused;
    const unsigned diff = smmu::entry_qword_diff(entry_used(w, cur), entry_used(w, target), safe, cur, target, &unused);
    if (std::popcount(diff) <= 1) return ArmSmmuDevice::write_entry(w, entry_pa, target);
    entry_set(w, entry_pa, target, 0, smmu::entry_qwords);
  }
};

// arm_smmu_write_entry() whose every step issues its CFGI (and waits for the SYNC) before the
// step's stores instead of after them: the last store of an update is never followed by a
// CFGI, so a configuration the SMMU fetched at that CFGI (the old one, in a hitless update
// whose cleanup step stores nothing) stays in use.
class CfgiBeforeStore : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void write_entry(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target) override {
    const auto set = [&](const smmu::Entry& t, unsigned start, unsigned len) {
      bool differs = false;
      for (unsigned i = start; i < start + len; ++i) differs |= read_entry(entry_pa)[i] != t[i];
      if (!differs) return;
      entry_sync(w);
      for (unsigned i = start; i < start + len; ++i)
        if (read_entry(entry_pa)[i] != t[i]) store_qword(w, entry_pa, i, t[i]);
    };
    const smmu::Entry cur = read_entry(entry_pa);
    const smmu::Entry safe = w.kind == EntryWriter::Kind::ste ? smmu::get_ste_update_safe(cur, target) : smmu::Entry{};
    smmu::Entry unused;
    const unsigned diff = smmu::entry_qword_diff(entry_used(w, cur), entry_used(w, target), safe, cur, target, &unused);
    if (std::popcount(diff) == 1) {  // the same steps as mainline's hitless and breaking paths
      const unsigned critical = static_cast<unsigned>(std::countr_zero(diff));
      unused[critical] = cur[critical];
      set(unused, 0, smmu::entry_qwords);
      set(target, critical, 1);
      set(target, 0, smmu::entry_qwords);
    } else if (diff) {
      unused[0] = 0;
      set(unused, 0, 1);
      set(target, 1, smmu::entry_qwords - 1);
      set(target, 0, 1);
    } else {
      set(target, 0, smmu::entry_qwords);
    }
  }
};

// __arm_smmu_tlb_inv_range() taking the TTL from the leaf page size instead of the granule
// of the leaves: a block's leaf TLBI says level 3, and the SMMU may keep the block.
class TtlFromPageSize : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule, unsigned tg_shift) override {
    if (cmd.tlbi.leaf) granule = u64{1} << tg_shift;
    ArmSmmuDevice::tlb_inv_range(cmd, iova, size, granule, tg_shift);
  }
};

// arm_smmu_tlb_inv_walk() sending leaf-only invalidations: the walk cache may keep a freed
// table.
class WalkFlushAsLeaf : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule, unsigned tg_shift) override {
    cmd.tlbi.leaf = true;
    ArmSmmuDevice::tlb_inv_range(cmd, iova, size, granule, tg_shift);
  }
};

// The DMA domain's table with a fault in what map_pages() writes (wrapping the real one).
class PlantedSmmuPgtable final : public PageTable {
 public:
  enum class Fault {
    block_oa,       // a block descriptor keeps low physical address bits (RES0 in a block)
    to_device_rw,   // IOMMU_READ alone maps writable (a DMA_TO_DEVICE buffer the device may write)
  };
  PlantedSmmuPgtable(Fault f, std::unique_ptr<ArmLpaePgtable> pt) : fault_(f), pt_(std::move(pt)) {}

  const PgtableCfg& cfg() const override { return pt_->cfg(); }
  int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) override {
    if (fault_ == Fault::to_device_rw && (prot & prot::read)) prot |= prot::write;
    const int ret = pt_->map_pages(iova, paddr, pgsize, pgcount, prot, mapped);
    if (fault_ == Fault::block_oa && pgsize > pt_->geometry().granule())
      for (u64 va = iova; va < iova + *mapped; va += pgsize) {
        int lvl = 0;
        u64 pa = 0;
        const u64 desc = test::arch_walk(*pt_, va, &lvl, &pa);
        if (desc) pt_->phys_mem().write(pa, desc | (u64{1} << 16));  // below every block size
      }
    return ret;
  }
  u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) override {
    return pt_->unmap_pages(iova, pgsize, pgcount, gather);
  }
  u64 iova_to_phys(u64 iova) const override { return pt_->iova_to_phys(iova); }
  Translation translate(u64 iova) const override { return pt_->translate(iova); }
  bool can_express_write_only() const override { return pt_->can_express_write_only(); }
  std::vector<Leaf> leaves() const override { return pt_->leaves(); }
  std::size_t table_pages() const override { return pt_->table_pages(); }
  std::vector<std::string> take_warnings() override { return pt_->take_warnings(); }

 private:
  Fault fault_;
  std::unique_ptr<ArmLpaePgtable> pt_;
};

SmmuVariant pgtable_variant(std::string name, PlantedSmmuPgtable::Fault f) {
  SmmuVariant v{std::move(name), "planted", {}, {}, {}};
  v.wrap_pgtable = [f](std::unique_ptr<ArmLpaePgtable> pt) -> std::unique_ptr<PageTable> {
    return std::make_unique<PlantedSmmuPgtable>(f, std::move(pt));
  };
  return v;
}

// A CD field rewritten to v (the rest of the CD as the real driver builds it).
smmu::Entry with_cd_field(smmu::Entry cd, u64 mask, u64 v) {
  cd[0] = (cd[0] & ~mask) | smmu::field_prep(mask, v);
  return cd;
}

// arm_smmu_make_s1_cd() with T0SZ one too large: the CD's input range is half the table's, so
// the IOVAs the allocator hands out first (top down, below the DMA mask) fault.
class CdT0szOffByOne : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  smmu::Entry make_s1_cd(const ArmSmmuDomain& d) const override {
    const smmu::Entry cd = ArmSmmuDevice::make_s1_cd(d);
    const u64 t0sz = smmu::field_get(smmu::CTXDESC_CD_0_TCR_T0SZ, cd[0]);
    return with_cd_field(cd, smmu::CTXDESC_CD_0_TCR_T0SZ, t0sz + 1);
  }
};

// arm_smmu_make_s1_cd() that encodes the granule with TCR.TG1's values (io-pgtable-arm.h's
// ARM_LPAE_TCR_TG1_*, which differ from TG0's): the walker uses another granule than the table.
class CdTg0AsTg1 : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  smmu::Entry make_s1_cd(const ArmSmmuDomain& d) const override {
    static constexpr u64 tg1_16k = 1, tg1_4k = 2, tg1_64k = 3;
    const smmu::Entry cd = ArmSmmuDevice::make_s1_cd(d);
    u64 tg1;
    switch (smmu::field_get(smmu::CTXDESC_CD_0_TCR_TG0, cd[0])) {
      case smmu::ARM_LPAE_TCR_TG0_4K: tg1 = tg1_4k; break;
      case smmu::ARM_LPAE_TCR_TG0_16K: tg1 = tg1_16k; break;
      default: tg1 = tg1_64k;  // ARM_LPAE_TCR_TG0_64K
    }
    return with_cd_field(cd, smmu::CTXDESC_CD_0_TCR_TG0, tg1);
  }
};

// arm_smmu_make_bypass_ste() that applies disable_bypass to an explicit identity domain too:
// the stream aborts instead of passing through.
class IdentityAborts : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  smmu::Entry make_bypass_ste() const override { return smmu::make_abort_ste(); }
};

// arm_smmu_decode_event() that takes the faulting address from qword 3 (the IPA, printed next
// to it) instead of qword 2: stage-1 faults report address 0.
class EventAddrFromIpa : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  SmmuEvent decode_event(const EvtqRecord& raw) const override {
    static constexpr u64 evtq_3_ipa = smmu::genmask(51, 12);  // EVTQ_3_IPA
    SmmuEvent e = ArmSmmuDevice::decode_event(raw);
    e.input_addr = raw[3] & evtq_3_ipa;
    return e;
  }
};

// A command queue that assumes each CMD_SYNC drains it and never waits for space: an
// invalidation split into several batches (no range invalidation, many pages) laps CONS.
class CmdqNoSpaceWait : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  int cmdq_poll_until_not_full(u32) override { return 0; }
};

// fq_ring_free() that takes the flush counter one too far: an IOVA queued since the last flush
// goes back to the allocator at the next unmap, before any invalidation covers it.
class EarlyFreeQueue : public FlushQueue {
 public:
  using FlushQueue::FlushQueue;

 protected:
  u64 flush_finish_count() const override { return FlushQueue::flush_finish_count() + 1; }
};

template <class Driver>
SmmuVariant driver_variant(std::string name) {
  return {std::move(name), "planted", [](SmmuMmio& m, PhysMem& mem, SmmuTraceSink s) -> std::unique_ptr<ArmSmmuDevice> {
            return std::make_unique<Driver>(m, mem, std::move(s));
          }, {}, {}};
}

void register_planted() {
  static const bool once = [] {
    register_smmu_variant(driver_variant<SkipLeafTlbi>("planted-skip-tlbi"));
    register_smmu_variant(driver_variant<TlbiOnePageShort>("planted-tlbi-short"));
    register_smmu_variant(driver_variant<SteWrongWordOrder>("planted-ste-order"));
    register_smmu_variant(driver_variant<CdT0szOffByOne>("planted-cd-t0sz"));
    register_smmu_variant(driver_variant<CdTg0AsTg1>("planted-cd-tg1"));
    register_smmu_variant(driver_variant<IdentityAborts>("planted-identity-abort"));
    register_smmu_variant(driver_variant<EventAddrFromIpa>("planted-evt-addr"));
    register_smmu_variant(driver_variant<CmdqNoSpaceWait>("planted-cmdq-no-wait"));
    register_smmu_variant({"planted-fq-early-free", "planted", {},
                           [](unsigned size, IommuTlbOps& ops, IovaAllocator& iovad) -> std::unique_ptr<FlushQueue> {
                             return std::make_unique<EarlyFreeQueue>(size, ops, iovad);
                           }, {}});
    register_smmu_variant(driver_variant<SkipBreakingUpdate>("planted-skip-breaking"));
    register_smmu_variant(driver_variant<CfgiBeforeStore>("planted-cfgi-before-store"));
    register_smmu_variant(driver_variant<TtlFromPageSize>("planted-ttl-page"));
    register_smmu_variant(driver_variant<WalkFlushAsLeaf>("planted-walk-flush-leaf"));
    register_smmu_variant(pgtable_variant("planted-block-oa", PlantedSmmuPgtable::Fault::block_oa));
    register_smmu_variant(pgtable_variant("planted-to-device-rw", PlantedSmmuPgtable::Fault::to_device_rw));
    return true;
  }();
  (void)once;
}

Property property(const std::string& name) {
  for (Property& p : properties_for(Target::smmu))
    if (p.name == name) return p;
  FAIL("no property " << name);
  return {};
}

// The property catches the planted variant, shrinks to a short case, and that case is clean on
// the real stack.
void caught(const std::string& variant, const std::string& prop_name, std::size_t max_ops, u64 seed = 1,
            int runs = 400) {
  register_planted();
  const Property p = property(prop_name);
  const PropertyResult r = check_property(p, CampaignOptions{seed, runs, 0, variant, {}});
  test::record_mutant("smmu", variant, r.status == Status::fail && r.rules.count(p.rule), r.found_after, r.found_s);
  INFO(variant << " / " << prop_name << ": " << r.message);
  REQUIRE(r.status == Status::fail);
  REQUIRE(r.minimal_case);
  CHECK(r.rules.count(p.rule));
  CHECK(r.minimal_case->ops.size() <= max_ops);
  INFO(case_to_text(*r.minimal_case));
  const RunResult clean = run_case(*r.minimal_case, RunOptions{"mainline", false});
  std::string seen;
  for (const Violation& v : clean.violations) seen += v.rule + ": " + v.message + "\n";
  INFO("on mainline:\n" << seen);
  CHECK(clean.violations.empty());
}

}  // namespace

TEST_CASE("planted: a missing leaf TLBI is caught as a stale translation and as under-invalidation",
          "[smmu][planted]") {
  caught("planted-skip-tlbi", "smmu.strict/smmu.invalidation", 4);
  caught("planted-skip-tlbi", "smmu.strict/smmu.stale", 6);
}

TEST_CASE("planted: a TLBI one page short is caught", "[smmu][planted]") {
  caught("planted-tlbi-short", "smmu.strict/smmu.invalidation", 4);
}

TEST_CASE("planted: an IOVA freed before its flush is caught", "[smmu][planted]") {
  caught("planted-fq-early-free", "smmu.lazy/smmu.flush_queue", 5);
}

TEST_CASE("planted: an STE written in the wrong word order is caught", "[smmu][planted]") {
  caught("planted-ste-order", "smmu.strict/smmu.hitless", 2);
}

TEST_CASE("planted: a CD whose T0SZ is one too large is caught", "[smmu][planted]") {
  caught("planted-cd-t0sz", "smmu.strict/smmu.translation", 3);
  caught("planted-cd-t0sz", "smmu.lazy/smmu.translation", 3);
}

TEST_CASE("planted: a CD granule in TG1's encoding is caught by the walk check", "[smmu][planted]") {
  caught("planted-cd-tg1", "smmu.strict/smmu.walk", 2);
  caught("planted-cd-tg1", "smmu.lazy/smmu.walk", 2);
}

TEST_CASE("planted: an identity domain installed as an aborting STE is caught", "[smmu][planted]") {
  caught("planted-identity-abort", "smmu.strict/smmu.config", 2);
  caught("planted-identity-abort", "smmu.lazy/smmu.config", 2);
}

TEST_CASE("planted: an event address decoded from the IPA field is caught", "[smmu][planted]") {
  caught("planted-evt-addr", "smmu.strict/smmu.event", 4);
  caught("planted-evt-addr", "smmu.lazy/smmu.event", 4);
}

TEST_CASE("planted: a command queue that never waits for space is caught", "[smmu][planted]") {
  // Strict only: lazy mode invalidates with one TLBI_NH_ASID per flush, so its queue never fills.
  caught("planted-cmdq-no-wait", "smmu.strict/smmu.cmdq", 3);
}

// Issue 17: each blind spot's fault is caught by a generated campaign of 500 runs on seeds 1
// and 2, and shrunk.
void caught_on_both_seeds(const std::string& variant, const std::string& prop_name, std::size_t max_ops) {
  for (u64 seed : {1, 2}) caught(variant, prop_name, max_ops, seed, 500);
}

TEST_CASE("planted: a breaking update written in place is caught", "[smmu][planted]") {
  caught_on_both_seeds("planted-skip-breaking", "smmu.strict/smmu.hitless", 3);
}

TEST_CASE("planted: a CFGI issued before the final store is caught", "[smmu][planted]") {
  caught_on_both_seeds("planted-cfgi-before-store", "smmu.strict/smmu.config", 3);
}

TEST_CASE("planted: a TTL taken from the page size is caught", "[smmu][planted]") {
  caught_on_both_seeds("planted-ttl-page", "smmu.strict/smmu.invalidation", 4);
}

TEST_CASE("planted: a table freed with leaf-only TLBIs is caught", "[smmu][planted]") {
  caught_on_both_seeds("planted-walk-flush-leaf", "smmu.strict/smmu.invalidation", 4);
  caught_on_both_seeds("planted-walk-flush-leaf", "smmu.lazy/smmu.invalidation", 4);
}

TEST_CASE("planted: a block descriptor with low address bits is caught by the walk check", "[smmu][planted]") {
  caught_on_both_seeds("planted-block-oa", "smmu.strict/smmu.walk", 3);
}

TEST_CASE("planted: a DMA_TO_DEVICE mapping made writable is caught", "[smmu][planted]") {
  caught_on_both_seeds("planted-to-device-rw", "smmu.strict/pt.permission", 3);
}

TEST_CASE("generator: smmu workloads make breaking updates and block mappings", "[smmu][gen]") {
  // Fixed seed: the counts are a property of the generator, the same on every run.
  PropertyResult r = check_property(property("smmu.strict/smmu.hitless"), CampaignOptions{1, 500, 0, "mainline", {}});
  REQUIRE(r.status == Status::pass);
  INFO("breaking updates in 500 cases: " << r.counters["smmu.breaking_updates"]);
  CHECK(r.counters["smmu.breaking_updates"] >= 40);
  INFO("block leaves walked at the end of 500 cases: " << r.counters["smmu.block_leaves_walked"]);
  CHECK(r.counters["smmu.block_leaves_walked"] >= 80);
}

TEST_CASE("campaign: the real stack runs clean in strict and lazy mode", "[smmu][campaign]") {
  for (const Property& p : properties_for(Target::smmu)) {
    const PropertyResult r = check_property(p, CampaignOptions{7, 500, 0, "mainline", {}});
    INFO(p.name << ": " << r.message);
    CHECK(r.status == Status::pass);
    CHECK(r.runs == 500);
  }
}
