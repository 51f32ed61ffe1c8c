// Planted faults: deliberately wrong drivers and flush queues. Each smmu property is trusted
// only because one of these tests shows it catching its fault, shrunk to a small case that
// runs clean on the real stack.
#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "impl/smmu/arm_smmu_v3.h"
#include "props/catalog.h"
#include "run/smmu_stack.h"

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

// fq_ring_free() that takes the flush counter one too far: an IOVA queued since the last flush
// goes back to the allocator at the next unmap, before any invalidation covers it.
class EarlyFreeQueue : public FlushQueue {
 public:
  using FlushQueue::FlushQueue;

 protected:
  bool flush_finished(u64 counter) const override { return counter <= flush_finish_count(); }
};

template <class Driver>
SmmuVariant driver_variant(std::string name) {
  return {std::move(name), "planted", [](SmmuMmio& m, PhysMem& mem, SmmuTraceSink s) -> std::unique_ptr<ArmSmmuDevice> {
            return std::make_unique<Driver>(m, mem, std::move(s));
          }, {}};
}

void register_planted() {
  static const bool once = [] {
    register_smmu_variant(driver_variant<SkipLeafTlbi>("planted-skip-tlbi"));
    register_smmu_variant(driver_variant<TlbiOnePageShort>("planted-tlbi-short"));
    register_smmu_variant(driver_variant<SteWrongWordOrder>("planted-ste-order"));
    register_smmu_variant({"planted-fq-early-free", "planted", {},
                           [](unsigned size, IommuTlbOps& ops, IovaAllocator& iovad) -> std::unique_ptr<FlushQueue> {
                             return std::make_unique<EarlyFreeQueue>(size, ops, iovad);
                           }});
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
void caught(const std::string& variant, const std::string& prop_name, std::size_t max_ops) {
  register_planted();
  const Property p = property(prop_name);
  const PropertyResult r = check_property(p, CampaignOptions{1, 400, 0, variant});
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

TEST_CASE("campaign: the real stack runs clean in strict and lazy mode", "[smmu][campaign]") {
  for (const Property& p : properties_for(Target::smmu)) {
    const PropertyResult r = check_property(p, CampaignOptions{7, 500, 0, "mainline"});
    INFO(p.name << ": " << r.message);
    CHECK(r.status == Status::pass);
    CHECK(r.runs == 500);
  }
}
