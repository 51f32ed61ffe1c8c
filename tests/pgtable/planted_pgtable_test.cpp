// Planted faults: the ARM LPAE table wrapped in deliberately wrong variants, registered as
// pgtable variants, must each be caught by its rule's property and shrunk to a small case;
// the real tables must pass every pt property.
#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "props/catalog.h"
#include "props/gen_pgtable.h"
#include "props/property.h"
#include "run/make_page_table.h"
#include "run/variants.h"
#include "tests/pgtable/lpae_test_util.h"
#include "tests/mutation_log.h"

using namespace iovet;

namespace {

enum class Fault {
  index,         // the leaf index taken one bit too high (an off-by-one level shift)
  ap_rdonly,     // stage-1 leaves never get AP[2] (AP_RDONLY): read-only maps are writable
  no_free,       // tables emptied by unmap are never freed
  partial_loss,  // unmapping part of a block unmaps the whole block
};

class PlantedPgtable final : public PageTable {
 public:
  PlantedPgtable(Fault f, const PgtableCfg& cfg)
      : fault_(f), pt_(cfg, LpaeOptions{.free_empty_tables = f != Fault::no_free}) {}

  const PgtableCfg& cfg() const override { return pt_.cfg(); }

  int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) override {
    if (fault_ != Fault::index) {
      const int ret = pt_.map_pages(iova, paddr, pgsize, pgcount, prot, mapped);
      if (fault_ == Fault::ap_rdonly && pt_.cfg().format == Format::arm64_lpae_s1)
        for (u64 va = iova; va < iova + *mapped; va += pgsize) {
          int lvl;
          u64 pa = 0;
          const u64 desc = test::arch_walk(pt_, va, &lvl, &pa);
          pt_.phys_mem().write(pa, desc & ~lpae::ARM_LPAE_PTE_AP_RDONLY);
        }
      return ret;
    }
    *mapped = 0;
    for (u64 i = 0; i < pgcount; ++i) {
      u64 m = 0;
      const int ret = pt_.map_pages(misindex(iova + i * pgsize, pgsize), paddr + i * pgsize, pgsize, 1, prot, &m);
      *mapped += m;
      if (ret) return ret;
    }
    return 0;
  }

  u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) override {
    if (fault_ != Fault::index && fault_ != Fault::partial_loss) return pt_.unmap_pages(iova, pgsize, pgcount, gather);
    u64 done = 0;
    for (u64 i = 0; i < pgcount; ++i) {
      u64 va = iova + i * pgsize;
      const LpaePteWalk w = pt_.pgtable_walk(va);
      const LpaeGeometry& g = pt_.geometry();
      if (fault_ == Fault::partial_loss && w.leaf_lvl >= 0 && g.block_size(w.leaf_lvl) > pgsize) {
        const u64 bs = g.block_size(w.leaf_lvl);
        pt_.unmap_pages(va & ~(bs - 1), bs, 1, gather);
        done += pgsize;
        continue;
      }
      if (fault_ == Fault::index) va = misindex(va, pgsize);
      const u64 n = pt_.unmap_pages(va, pgsize, 1, gather);
      if (!n) break;
      done += n;
    }
    return done;
  }

  u64 iova_to_phys(u64 iova) const override { return pt_.iova_to_phys(iova); }
  Translation translate(u64 iova) const override { return pt_.translate(iova); }
  bool can_express_write_only() const override { return pt_.can_express_write_only(); }
  std::vector<Leaf> leaves() const override { return pt_.leaves(); }
  std::size_t table_pages() const override { return pt_.table_pages(); }

 private:
  // The index of the level holding pgsize leaves, computed with the next level's shift.
  u64 misindex(u64 va, u64 pgsize) const {
    const LpaeGeometry& g = pt_.geometry();
    const int lvl = g.leaf_level(pgsize);
    if (lvl < 0) return va;
    const unsigned shift = g.lvl_shift(lvl);
    const u64 mask = (u64{1} << (lvl == g.start_level ? g.pgd_bits : g.bits_per_level)) - 1;
    return (va & ~(mask << shift)) | (((va >> (shift + 1)) & mask) << shift);
  }

  Fault fault_;
  ArmLpaePgtable pt_;
};

void plant(const std::string& name, Fault f) {
  Variant v{name, "planted fault (tests/pgtable/planted_pgtable_test.cpp)", "page table only"};
  v.pgtable = [f](const Config& c) { return std::make_unique<PlantedPgtable>(f, pgtable_cfg(c)); };
  register_variant(std::move(v));
}

PropertyResult hunt(const std::string& rule, const std::string& variant, int runs = 300) {
  Property p{"pgtable.planted/" + rule, Target::pgtable, rule, Phase::valid_use, "",
             [](const std::string& v) { return gen::pgtable_case(PgtableKind::impl, v); }};
  CampaignOptions opt;
  opt.seed = 1;
  opt.runs = runs;
  opt.variant = variant;
  return check_property(p, opt);
}

void require_caught(const std::string& rule, const std::string& variant, Fault f, std::size_t max_ops) {
  plant(variant, f);
  const PropertyResult r = hunt(rule, variant);
  test::record_mutant("pgtable", variant, r.status != Status::pass && r.rules.count(rule), r.found_after, r.found_s);
  INFO(r.message);
  const Rule* hunted = find_rule(rule);
  REQUIRE(r.status == (hunted->cls == RuleClass::hardening ? Status::warn : Status::fail));
  CHECK(r.rules.count(rule) == 1);
  REQUIRE(r.minimal_case);
  CHECK(r.minimal_case->variant == std::optional<std::string>(variant));
  INFO(case_to_text(*r.minimal_case));
  CHECK(r.minimal_case->ops.size() <= max_ops);
  // The shrunk case reproduces on replay.
  CHECK(run_case(*r.minimal_case, {}).rules().count(rule) == 1);
}

}  // namespace

TEST_CASE("planted: an off-by-one level shift in the index is caught by pt.translation", "[pgtable][planted]") {
  require_caught("pt.translation", "planted-index", Fault::index, 1);
}

TEST_CASE("planted: AP_RDONLY never set is caught by pt.permission", "[pgtable][planted]") {
  require_caught("pt.permission", "planted-ap-rdonly", Fault::ap_rdonly, 1);
}

TEST_CASE("planted: tables never freed are caught by pt.leak", "[pgtable][planted]") {
  require_caught("pt.leak", "planted-no-free", Fault::no_free, 2);
}

TEST_CASE("planted: a partial unmap losing the rest of the block is caught by pt.partial", "[pgtable][planted]") {
  require_caught("pt.partial", "planted-partial-loss", Fault::partial_loss, 2);
}

TEST_CASE("the impl and ref tables pass every pt property", "[pgtable][props]") {
  for (const Property& p : properties_for(Target::pgtable)) {
    CampaignOptions opt;
    opt.seed = 7;
    opt.runs = 60;
    opt.variant = "mainline";
    const PropertyResult r = check_property(p, opt);
    INFO(p.name << ": " << r.message);
    CHECK(r.status == Status::pass);
    CHECK(r.runs == 60);
  }
}
