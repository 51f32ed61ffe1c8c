// Helpers shared by the DMA-layer tests: building a variant over a page table, scatterlists,
// and a hand-made device view of memory for the judges.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "case/case.h"
#include "ref/pgtable/ref_page_table.h"
#include "ref/models.h"
#include "run/make_page_table.h"
#include "run/variants.h"
#include "spec/sg_judge.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/kernel_outcome.h"

namespace iovet::dmatest {

// 4 KiB pages and granule, 48-bit ias, dma_mask 0xffffffff, no boundary, max_seg_size 64 KiB,
// the reference page table (so every test sees exact leaves).
inline Config config() {
  Config c;
  c.pgtable = PgtableKind::ref;
  return c;
}

// The variant as the registry builds it, over the reference page table (or the configured one).
inline std::unique_ptr<DmaLayer> make_dma(const std::string& variant, const Config& cfg, bool ref_pgtable = true) {
  if (const DmaModel* m = find_dma_model(variant))
    return m->make(cfg, ref_pgtable ? make_ref_page_table(pgtable_cfg(cfg)) : make_page_table(cfg));
  const Variant* v = find_variant(variant);  // a planted one: over the configured table
  REQUIRE(v != nullptr);
  return v->dma(cfg);
}

inline Scatterlist entry(u64 page, u32 offset, u32 length) { return Scatterlist{page, offset, length}; }

inline std::vector<SgInput> inputs_of(const std::vector<Scatterlist>& sg) {
  std::vector<SgInput> in;
  for (const Scatterlist& s : sg) in.push_back({s.page, s.offset, s.length});
  return in;
}

// The DMA side of one scatterlist entry after map_sg.
struct Segment {
  u64 dma_address;
  u32 dma_length;
};

// Entry i of sg has the DMA address and length segs[i] (entries past segs are not looked at).
inline void check_segments(const std::vector<Scatterlist>& sg, const std::vector<Segment>& segs) {
  REQUIRE(sg.size() >= segs.size());
  for (std::size_t i = 0; i < segs.size(); ++i) {
    INFO("sg[" << i << "]");
    CHECK(sg[i].dma_address == segs[i].dma_address);
    CHECK(sg[i].dma_length == segs[i].dma_length);
  }
}

// map_sg of sg must make segs.size() segments, laid out as segs say; returns that count.
inline int map_sg_segments(DmaLayer& dma, std::vector<Scatterlist>& sg, const std::vector<Segment>& segs,
                           Dir dir = Dir::bidirectional) {
  const int n = dma.map_sg(sg, dir);
  REQUIRE(n == static_cast<int>(segs.size()));
  check_segments(sg, segs);
  return n;
}

// unmap_page must not crash and must WARN exactly once; returns that warning.
inline std::string unmap_page_warning(DmaLayer& dma, u64 handle, u64 size, Dir dir) {
  REQUIRE_NOTHROW(dma.unmap_page(handle, size, dir));
  const std::vector<std::string> w = dma.take_warnings();
  REQUIRE(w.size() == 1);
  return w[0];
}

// The caller's offset and length of every entry are as they were before map_sg.
inline void check_restored(const std::vector<Scatterlist>& sg, const std::vector<Scatterlist>& before) {
  REQUIRE(sg.size() == before.size());
  for (std::size_t i = 0; i < sg.size(); ++i) {
    INFO("sg[" << i << "]");
    CHECK(sg[i].offset == before[i].offset);
    CHECK(sg[i].length == before[i].length);
  }
}

// After a failed map_sg: the caller's fields are back and no entry has a DMA address.
inline void check_invalidated(const std::vector<Scatterlist>& sg, const std::vector<Scatterlist>& before) {
  check_restored(sg, before);
  for (const Scatterlist& s : sg) {
    CHECK(s.dma_address == DMA_MAPPING_ERROR);
    CHECK(s.dma_length == 0);
  }
}

inline bool has_rule(const std::vector<Violation>& v, const std::string& rule) {
  for (const Violation& x : v)
    if (x.rule == rule) return true;
  return false;
}

inline std::string rules_of(const std::vector<Violation>& v) {
  std::string s;
  for (const Violation& x : v) s += x.rule + (x.flavor.empty() ? "" : "(" + x.flavor + ")") + ": " + x.message + "\n";
  return s;
}

// A device's view of memory made by hand: [dma, dma+len) reaches [phys, phys+len).
struct FakeIommu {
  struct Ext {
    u64 dma, phys, len;
    bool read = true, write = true;
  };
  std::vector<Ext> ext;
  FakeIommu& map(u64 dma, u64 phys, u64 len, bool read = true, bool write = true) {
    ext.push_back({dma, phys, len, read, write});
    return *this;
  }
  Translation operator()(u64 iova) const {
    for (const Ext& e : ext)
      if (iova - e.dma < e.len) return {true, e.phys + (iova - e.dma), e.read, e.write};
    return {};
  }
  TranslateFn fn() const {
    return [copy = *this](u64 iova) { return copy(iova); };
  }
};

// Sizes of a (shrunk) case, for "small case" assertions.
inline std::size_t max_sg_entries(const Case& c) {
  std::size_t n = 0;
  for (const Op& o : c.ops)
    if (const auto* m = std::get_if<op::MapSg>(&o.body)) n = std::max(n, m->sg.size());
  return n;
}

// The most bytes one map_sg of the case maps.
inline u64 max_sg_bytes(const Case& c) {
  u64 most = 0;
  for (const Op& o : c.ops)
    if (const auto* m = std::get_if<op::MapSg>(&o.body)) {
      u64 n = 0;
      for (const SgEntry& e : m->sg) n += e.length;
      most = std::max(most, n);
    }
  return most;
}

}  // namespace iovet::dmatest
