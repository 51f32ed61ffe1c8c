// Planted faults: mainline with one deliberate fault, registered as a variant, must be caught
// by the matching catalogue property and shrunk to a small case that runs clean on mainline,
// while the same property (same seed, same runs) passes on mainline itself where mainline has
// no finding of its own.
//
// The faults are planted by composition: a DmaLayer that forwards to a real mainline layer
// and either post-processes its results, changes the direction it is called with, or hides a
// device limit from it. Nothing in ref/ is touched.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "props/catalog.h"
#include "props/property.h"
#include "ref/env/iova_helpers.h"
#include "case/case_json.h"
#include "run/run.h"
#include "run/variants.h"
#include "tests/dma/dma_test_util.h"
#include "tests/mutation_log.h"

using namespace iovet;
using namespace iovet::dmatest;

namespace {

enum class Fault {
  drop_offset,         // (a) map_page returns the granule-aligned IOVA
  no_boundary,         // (b) map_sg laid out (and merged) as if there were no segment boundary
  merge_past_max_seg,  // (c) __finalise_sg merging without regard to max_seg_size
  unmap_keeps_iova,    // (d) unmap_page unmaps the pages but never frees the IOVA
  writable_to_device,  // (e) to_device mapped with write permission
  wrong_dma_length,    // (f) the last segment reports the rest of its aligned length
  no_restore,          // (g) map_sg's failure path leaves the list as the layout pass made it
  unclamped_limit,     // (h) iommu_dma_alloc_iova() without the aperture clamp (before 2016)
  no_pci_windows,      // (i) iommu_dma_init_domain() forgets the host bridge's outbound windows
};

class PlantedDma final : public DmaLayer {
 public:
  PlantedDma(Fault f, const Config& cfg, std::unique_ptr<PageTable> pt) : fault_(f), granule_(cfg.granule) {
    Config inner = cfg;
    if (f == Fault::no_boundary) inner.device.seg_boundary_mask = ~u64{0};
    if (f == Fault::merge_past_max_seg) inner.device.max_seg_size = 0xffffffff;
    if (f == Fault::unclamped_limit) inner.domain.aperture = Range{0, ~u64{0}};
    if (f == Fault::no_pci_windows && inner.device.pci) inner.device.pci->windows.clear();
    const DmaModel* mainline = find_dma_model("mainline");
    if (!mainline) throw std::logic_error("no mainline variant");
    inner_ = mainline->make(inner, std::move(pt));
  }

  u64 map_page(u64 page, u64 offset, u64 size, Dir dir) override {
    const u64 h = inner_->map_page(page, offset, size, fault_dir(dir));
    if (fault_ != Fault::drop_offset || h == DMA_MAPPING_ERROR) return h;
    const u64 out = h & ~(granule_ - 1);
    real_[out] = h;
    return out;
  }
  void unmap_page(u64 handle, u64 size, Dir dir) override {
    if (fault_ == Fault::drop_offset) {
      if (auto it = real_.find(handle); it != real_.end()) {
        handle = it->second;
        real_.erase(it);
      }
    }
    if (fault_ == Fault::unmap_keeps_iova) {
      const u64 off = kernel::iova_offset(granule_, handle);
      inner_->iommu_unmap(handle - off, kernel::iova_align(granule_, size + off));
      return;
    }
    inner_->unmap_page(handle, size, dir);
  }
  int map_sg(std::vector<Scatterlist>& sg, Dir dir) override {
    const int ret = inner_->map_sg(sg, fault_dir(dir));
    if (fault_ == Fault::wrong_dma_length && ret > 0) {
      Scatterlist& last = sg[static_cast<std::size_t>(ret) - 1];
      const u64 off = kernel::iova_offset(granule_, last.dma_address);
      last.dma_length = static_cast<u32>(kernel::iova_align(granule_, off + last.dma_length) - off);
    }
    if (fault_ == Fault::no_restore && ret <= 0) {
      // What iommu_dma_map_sg's first loop leaves: the in-granule offset and the length
      // stashed in the DMA fields, the CPU fields aligned to the granule.
      for (Scatterlist& s : sg) {
        const u32 off = static_cast<u32>(kernel::iova_offset(granule_, s.offset));
        s.dma_address = off;
        s.dma_length = s.length;
        s.offset -= off;
        s.length = static_cast<u32>(kernel::iova_align(granule_, u64{s.length} + off));
      }
    }
    return ret;
  }
  void unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) override { inner_->unmap_sg(sg, nents, dir); }
  std::optional<CoherentBuffer> alloc(u64 size) override { return inner_->alloc(size); }
  void free(u64 size, const CoherentBuffer& buf) override { inner_->free(size, buf); }
  u64 iommu_unmap(u64 iova, u64 size) override { return inner_->iommu_unmap(iova, size); }
  const PageTable& page_table() const override { return inner_->page_table(); }
  const IovaAllocator& iova() const override { return inner_->iova(); }
  std::vector<std::string> take_warnings() override { return inner_->take_warnings(); }

 private:
  Dir fault_dir(Dir d) const {
    return fault_ == Fault::writable_to_device && d == Dir::to_device ? Dir::bidirectional : d;
  }
  Fault fault_;
  u64 granule_;
  std::unique_ptr<DmaLayer> inner_;
  std::map<u64, u64> real_;  // drop_offset: returned handle -> real handle
};

void plant(const std::string& name, Fault f) {
  if (find_variant(name)) return;
  Variant v{name, "planted fault (tests/dma/dma_planted_test.cpp)", "mainline with one fault"};
  v.dma = [f](const Config& cfg) -> std::unique_ptr<DmaLayer> {
    return std::make_unique<PlantedDma>(f, cfg, make_page_table(cfg));
  };
  register_variant(std::move(v));
}

Property catalogue(const std::string& name) {
  for (Property& p : properties_for(Target::dma))
    if (p.name == name) return p;
  FAIL("no property " << name << " in properties_for(Target::dma)");
  throw std::logic_error("unreachable");
}

PropertyResult check(const Property& p, const std::string& variant, u64 seed = 1, int runs = 200) {
  CampaignOptions opt;
  opt.seed = seed;
  opt.runs = runs;
  opt.variant = variant;
  return check_property(p, opt);
}

// Properties where mainline has a real finding of its own (iommu_dma_map_sg()'s unsigned int
// s->length reaching 4 GiB: corpus/mainline/mainline-map-sg-4g-*): there only the planted
// fault's case must be clean on mainline, not the whole campaign.
bool mainline_finds(const std::string& property) {
  return property == "dma.stateful/dma.leak" || property.ends_with("/dma.spurious_failure");
}

void require_caught(const std::string& property, const std::string& rule, const std::string& variant, Fault f) {
  plant(variant, f);
  const Property p = catalogue(property);
  REQUIRE(p.rule == rule);
  const PropertyResult r = check(p, variant);
  test::record_mutant("dma", variant, r.status != Status::pass && r.rules.count(rule), r.found_after, r.found_s);
  INFO(property << " on " << variant << ": " << r.message);
  REQUIRE(r.status == (find_rule(rule)->cls == RuleClass::hardening ? Status::warn : Status::fail));
  CHECK(r.rules.count(rule) == 1);
  REQUIRE(r.minimal_case);
  const Case& c = *r.minimal_case;
  // IOVET_TEST_SHOW=1 prints each minimal case.
  if (std::getenv("IOVET_TEST_SHOW")) WARN(property << " on " << variant << " (" << r.runs << " runs): " << r.message << "\n" << case_to_text(c));
  CHECK(c.variant == std::optional<std::string>(variant));
  CHECK(c.ops.size() <= 3);
  CHECK(max_sg_entries(c) <= 3);
  // The shrunk case replays as written, and still shows the hunted rule.
  const RunResult again = run_case(c, {});
  CHECK(hunted(p, again) != nullptr);
  CHECK(judge_replay(c, again).status == Status::pass);
  Case on_mainline = c;
  on_mainline.variant = "mainline";
  CHECK(hunted(p, run_case(on_mainline, {})) == nullptr);
  if (mainline_finds(property)) return;

  const PropertyResult m = check(p, "mainline");
  INFO("mainline: " << m.message);
  CHECK(m.status == Status::pass);
  CHECK(m.runs >= 200);
  if (std::getenv("IOVET_TEST_SHOW")) WARN(property << " on mainline: " << m.runs << " runs in " << m.time_s << " s");
}

}  // namespace

TEST_CASE("planted: map_page dropping the in-granule offset is caught by dma.offset") {
  require_caught("dma.stateful/dma.offset", "dma.offset", "planted-drop-offset", Fault::drop_offset);
}

TEST_CASE("planted: map_sg without boundary padding is caught by sg.boundary") {
  require_caught("dma.sg/sg.boundary", "sg.boundary", "planted-no-boundary", Fault::no_boundary);
}

TEST_CASE("planted: merging that ignores max_seg_size is caught by sg.max_seg_size") {
  require_caught("dma.sg/sg.max_seg_size", "sg.max_seg_size", "planted-merge-past-max", Fault::merge_past_max_seg);
}

TEST_CASE("planted: unmap that forgets to free the IOVA is caught by dma.leak") {
  require_caught("dma.stateful/dma.leak", "dma.leak", "planted-unmap-keeps-iova", Fault::unmap_keeps_iova);
}

TEST_CASE("planted: mapping to_device with write permission is caught by pt.permission") {
  require_caught("dma.stateful/pt.permission", "pt.permission", "planted-writable-to-device", Fault::writable_to_device);
}

TEST_CASE("planted: finalise reporting a wrong dma_length is caught by sg.length") {
  require_caught("dma.sg/sg.length", "sg.length", "planted-wrong-dma-length", Fault::wrong_dma_length);
}

TEST_CASE("planted: a map_sg failure path that does not restore the list is caught by sg.restore") {
  require_caught("dma.sg/sg.restore", "sg.restore", "planted-no-restore", Fault::no_restore);
}

TEST_CASE("planted: an IOVA limit not clamped to the aperture is caught by dma.spurious_failure") {
  require_caught("dma.stateful/dma.spurious_failure", "dma.spurious_failure", "planted-unclamped-limit",
                 Fault::unclamped_limit);
}

TEST_CASE("planted: init that does not reserve PCI outbound windows is caught by dma.reserved") {
  require_caught("dma.stateful/dma.reserved", "dma.reserved", "planted-no-pci-windows", Fault::no_pci_windows);
}

TEST_CASE("planted: the wrapper without a fault reaching its code is mainline (no false alarm)") {
  // no_restore only acts on failure; on a successful hand-made map_sg it must be invisible.
  plant("planted-no-restore", Fault::no_restore);
  Config cfg = config();
  auto planted = make_dma("planted-no-restore", cfg);
  auto real = make_dma("mainline", cfg);
  std::vector<Scatterlist> a{entry(0x40000000, 0x100, 0x1000), entry(0x50000000, 0, 0x2000)};
  std::vector<Scatterlist> b = a;
  REQUIRE(planted->map_sg(a, Dir::bidirectional) == real->map_sg(b, Dir::bidirectional));
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].offset == b[i].offset);
    CHECK(a[i].length == b[i].length);
    CHECK(a[i].dma_address == b[i].dma_address);
    CHECK(a[i].dma_length == b[i].dma_length);
  }
  // On failure it does leave the list unrestored.
  cfg.domain.aperture = Range{0x1000, 0x1fff};
  auto tiny = make_dma("planted-no-restore", cfg);
  std::vector<Scatterlist> c{entry(0x40000000, 0x1234, 0x100), entry(0x50000000, 0, 0x1000)};
  REQUIRE(tiny->map_sg(c, Dir::bidirectional) == -12);
  CHECK(c[0].offset == 0x1000);
  CHECK(c[0].length == 0x1000);
  CHECK(c[0].dma_length == 0x100);
}
