#include "props/gen_pgtable.h"

#include <algorithm>
#include <vector>

#include "run/make_page_table.h"
#include "run/variants.h"

namespace iovet::gen {
namespace {

// One step before addresses are resolved against the config.
struct PtStep {
  enum Kind { map, unmap, unmap_prev, partial, lookup } kind = map;
  enum Fault { none, misalign, bad_pgsize, beyond_ias, beyond_oas } fault = none;
  unsigned region = 0;     // which largest-block-sized region of the window
  unsigned slot = 0;       // page index inside the region
  bool from_end = false;   // count the slot from the region's end (crossing regions, batches)
  unsigned size = 0;       // index into the usable page sizes, modulo
  u64 pgcount = 1;
  unsigned pa_slot = 1;
  bool high_pa = false;    // just below the top of oas
  int prot = prot::read | prot::write;
  unsigned pick = 0;       // an earlier map, modulo the maps so far
};

// Where a case's ops land.
struct Window {
  std::vector<u64> sizes;  // usable page sizes, ascending
  u64 block = 0;           // the largest
  u64 base = 0;
  unsigned regions = 1;
  unsigned ias = 48, oas = 48;
};

rc::Gen<int> prot_gen() {
  return rc::gen::apply(
      [](int access, bool noexec, bool cache, bool mmio, bool priv) {
        return access | (noexec ? prot::noexec : 0) | (cache ? prot::cache : 0) | (mmio ? prot::mmio : 0) |
               (priv ? prot::priv : 0);
      },
      rc::gen::weightedOneOf<int>({{5, rc::gen::just(prot::read | prot::write)},
                                   {3, rc::gen::just(prot::read)},
                                   {3, rc::gen::just(prot::write)},
                                   {1, rc::gen::just(0)}}),
      rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>());
}

rc::Gen<PtStep::Fault> fault_gen() {
  return rc::gen::weightedOneOf<PtStep::Fault>({{30, rc::gen::just(PtStep::none)},
                                                {1, rc::gen::just(PtStep::misalign)},
                                                {1, rc::gen::just(PtStep::bad_pgsize)},
                                                {1, rc::gen::just(PtStep::beyond_ias)},
                                                {1, rc::gen::just(PtStep::beyond_oas)}});
}

// Mostly single pages, a few, and runs crossing a 512-entry table (only of the smallest size).
rc::Gen<u64> pgcount_gen() {
  return rc::gen::weightedOneOf<u64>({{6, rc::gen::just<u64>(1)},
                                      {3, rc::gen::inRange<u64>(2, 5)},
                                      {1, rc::gen::inRange<u64>(500, 530)}});
}

rc::Gen<PtStep> step_gen() {
  return rc::gen::apply(
      [](PtStep::Kind k, PtStep::Fault f, unsigned region, unsigned slot, bool from_end, unsigned size, u64 count,
         unsigned pa_slot, bool high_pa, int prot, unsigned pick) {
        return PtStep{k, f, region, slot, from_end, size, count, pa_slot, high_pa, prot, pick};
      },
      rc::gen::weightedOneOf<PtStep::Kind>({{8, rc::gen::just(PtStep::map)},
                                            {2, rc::gen::just(PtStep::unmap)},
                                            {3, rc::gen::just(PtStep::unmap_prev)},
                                            {3, rc::gen::just(PtStep::partial)},
                                            {2, rc::gen::just(PtStep::lookup)}}),
      fault_gen(), rc::gen::inRange(0u, 4u), rc::gen::inRange(0u, 8u),
      rc::gen::weightedOneOf<bool>({{4, rc::gen::just(false)}, {1, rc::gen::just(true)}}), rc::gen::inRange(0u, 4u),
      pgcount_gen(), rc::gen::inRange(1u, 9u),
      rc::gen::weightedOneOf<bool>({{5, rc::gen::just(false)}, {1, rc::gen::just(true)}}), prot_gen(),
      rc::gen::inRange(0u, 16u));
}

Window window_of(const Config& c, bool high) {
  Window w;
  w.ias = c.ias;
  w.oas = c.oas;
  const u64 bitmap = pgtable_cfg(c).pgsize_bitmap;
  const u64 top = u64{1} << c.ias;
  for (unsigned b = 0; b < 64; ++b) {
    const u64 sz = u64{1} << b;
    // A page no level holds (4T with a 42-bit ias) is left to hand-written cases; splitting a
    // 4T block into 64K pages would take the reference table 2^26 leaves.
    if ((bitmap & sz) && sz < top && !(c.partial_unmap == PartialUnmap::split && b >= 42)) w.sizes.push_back(sz);
  }
  w.block = w.sizes.back();
  w.regions = static_cast<unsigned>(std::min<u64>(4, top / w.block));
  w.base = high ? top - w.regions * w.block : 0;
  return w;
}

// Whether [a, a + n * p) overlaps an earlier map's range.
bool overlaps(const std::vector<op::PtMap>& maps, u64 iova, u64 pgsize, u64 pgcount) {
  const u64 end = iova + pgsize * pgcount;
  for (const op::PtMap& m : maps)
    if (iova < m.iova + m.pgsize * m.pgcount && m.iova < end) return true;
  return false;
}

// Resolves steps into ops; the sweep unmaps each region a map touched, one largest block each.
// in_contract keeps to what the IOMMU core guarantees io-pgtable before it calls: aligned
// addresses inside ias and oas, no map over an earlier map, unmaps of what was mapped only.
Case build(const Config& cfg, bool high, bool sweep, const std::vector<PtStep>& steps, const std::string& variant,
           bool in_contract) {
  Case c;
  c.name = "pgtable-generated";
  c.target = Target::pgtable;
  if (!variant.empty()) c.variant = variant;
  c.config = cfg;
  const Window w = window_of(cfg, high);
  const u64 g = w.sizes.front();
  std::vector<op::PtMap> maps;
  std::vector<bool> touched(w.regions, false);
  auto page_iova = [&](const PtStep& s, u64 p) {
    const u64 per = w.block / p;
    const u64 idx = s.from_end ? per - 1 - std::min<u64>(s.slot % 4, per - 1) : std::min<u64>(s.slot, per - 1);
    return w.base + (s.region % w.regions) * w.block + idx * p;
  };
  for (const PtStep& s : steps) {
    const u64 p = w.sizes[s.size % w.sizes.size()];
    const u64 count = p == g ? s.pgcount : std::min<u64>(s.pgcount, 4);
    switch (s.kind) {
      case PtStep::map: {
        op::PtMap m{page_iova(s, p), 0, p, count, s.prot};
        const u64 pa_top = u64{1} << w.oas;
        m.paddr = s.high_pa && s.pa_slot * p <= pa_top ? pa_top - s.pa_slot * p : (s.pa_slot * p) & (pa_top - 1);
        if (in_contract) {
          const u64 ias_top = u64{1} << w.ias;
          if (s.fault != PtStep::none || overlaps(maps, m.iova, p, count) || m.iova + p * count > ias_top ||
              m.paddr + p * count > pa_top)
            break;
        }
        switch (s.fault) {
          case PtStep::none: touched[s.region % w.regions] = true; break;
          case PtStep::misalign: m.paddr += g / 2; break;
          case PtStep::bad_pgsize: m.pgsize = 2 * g; break;
          case PtStep::beyond_ias: m.iova = (u64{1} << w.ias) + s.slot * p; break;
          case PtStep::beyond_oas: m.paddr = pa_top + s.pa_slot * p; break;
        }
        maps.push_back(m);
        c.ops.push_back({m, {}});
        break;
      }
      case PtStep::unmap:
        if (!in_contract) c.ops.push_back({op::PtUnmap{page_iova(s, p), p, std::min<u64>(count, 3)}, {}});
        break;
      case PtStep::unmap_prev:
      case PtStep::partial: {
        if (maps.empty()) break;
        const op::PtMap& m = maps[s.pick % maps.size()];
        if (s.kind == PtStep::unmap_prev) {
          c.ops.push_back({op::PtUnmap{m.iova, m.pgsize, m.pgcount}, {}});
          break;
        }
        // A smaller page somewhere inside the earlier map's first page (a block, mostly).
        const u64 q = std::min(p, std::max(g, m.pgsize / 2));
        const u64 per = std::max<u64>(m.pgsize / q, 1);
        const u64 idx = s.from_end ? per - 1 : std::min<u64>(s.slot, per - 1);
        c.ops.push_back({op::PtUnmap{m.iova + idx * q, q, std::min<u64>(count, 2)}, {}});
        break;
      }
      case PtStep::lookup: {
        u64 iova = page_iova(s, p) + s.pa_slot * 0x111;
        if (!maps.empty()) {
          const op::PtMap& m = maps[s.pick % maps.size()];
          iova = m.iova + (s.slot * (m.pgsize / 8 + 0x123)) % std::max<u64>(m.pgsize, 1);
        }
        c.ops.push_back({op::PtIovaToPhys{iova}, {}});
        break;
      }
    }
  }
  if (sweep && !in_contract)
    for (unsigned r = 0; r < w.regions; ++r)
      if (touched[r]) c.ops.push_back({op::PtUnmap{w.base + r * w.block, w.block, 1}, {}});
  return c;
}

}  // namespace

rc::Gen<Config> pgtable_config(PgtableKind kind) {
  auto cfg = rc::gen::mapcat(rc::gen::element<u64>(4096, 16384, 65536), [kind](u64 granule) {
    const std::vector<unsigned> bits = granule == 65536 ? std::vector<unsigned>{32, 36, 40, 42, 44, 48, 52}
                                                        : std::vector<unsigned>{32, 36, 40, 42, 44, 48};
    return rc::gen::apply(
        [granule, kind](Format f, PartialUnmap pu, unsigned a, unsigned b) {
          Config c;
          c.granule = granule;
          c.page_size = granule;
          c.format = f;
          c.partial_unmap = pu;
          c.ias = std::min(a, b);
          c.oas = std::max(a, b);
          c.pgtable = kind;
          return c;
        },
        rc::gen::element(Format::arm64_lpae_s1, Format::arm64_lpae_s2),
        rc::gen::element(PartialUnmap::refuse, PartialUnmap::split), rc::gen::elementOf(bits), rc::gen::elementOf(bits));
  });
  return rc::gen::resize(100, cfg);
}

rc::Gen<Case> pgtable_case(PgtableKind kind, const std::string& variant) {
  const Variant* v = find_variant(variant);
  const bool in_contract = v && v->trusts_caller;
  return rc::gen::mapcat(pgtable_config(kind), [variant, in_contract](const Config& cfg) {
    return rc::gen::apply(
        [cfg, variant, in_contract](bool high, bool sweep, const std::vector<PtStep>& steps) {
          return build(cfg, high, sweep, steps, variant, in_contract);
        },
        // One in four windows at the top of ias; a sweep in two cases of three. Both shrink to
        // false (inRange shrinks to its lower end), so a minimal case has no needless sweep.
        rc::gen::resize(100, rc::gen::map(rc::gen::inRange(0, 4), [](int k) { return k == 3; })),
        rc::gen::resize(100, rc::gen::map(rc::gen::inRange(0, 3), [](int k) { return k != 0; })),
        rc::gen::scale(0.24, rc::gen::container<std::vector<PtStep>>(rc::gen::resize(100, step_gen()))));
  });
}

}  // namespace iovet::gen
