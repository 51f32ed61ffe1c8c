#include "props/gen_dma.h"

#include <algorithm>

#include "props/gen_config.h"

namespace iovet::gen {

rc::Gen<Dir> direction() { return rc::gen::element(Dir::bidirectional, Dir::to_device, Dir::from_device); }

// Physical pages below and above 4 GiB.
rc::Gen<u64> page_addr(u64 page_size) {
  return rc::gen::apply([page_size](bool high, u64 idx) { return (high ? u64{0x8'0000'0000} : u64{0x4000'0000}) + idx * page_size; },
                        rc::gen::arbitrary<bool>(), rc::gen::inRange<u64>(0, 4096));
}

// Whole granules (often not a power of two), odd sizes, and big ones.
rc::Gen<u64> length(u64 granule) {
  return rc::gen::weightedOneOf<u64>({{5, rc::gen::map(rc::gen::inRange<u64>(1, 9), [granule](u64 k) { return k * granule; })},
                                      {3, rc::gen::inRange<u64>(1, 3 * granule)},
                                      {1, rc::gen::inRange<u64>(1, u64{1} << 21)}});
}

namespace {

// Offsets inside the first page, past a granule, and beyond the page (compound pages).
rc::Gen<u64> offset_in(u64 page_size, u64 granule) {
  return rc::gen::weightedOneOf<u64>({{5, rc::gen::just<u64>(0)},
                                      {3, rc::gen::inRange<u64>(1, std::min(granule, page_size))},
                                      {1, rc::gen::map(rc::gen::inRange<u64>(1, 4), [granule](u64 k) { return k * granule; })},
                                      {1, rc::gen::inRange<u64>(0, 4 * page_size)}});
}

// An op before ids are resolved: references are indices taken modulo what exists when the
// case is built, so removing ops while shrinking always leaves a valid case.
struct AbstractOp {
  enum Kind { map_page, map_sg, alloc, release, double_release, iommu_unmap, access_id, access_raw, unmap_raw, fq_timeout } kind;
  SgEntry mem{};  // map_page: page/offset/length as size
  std::vector<SgEntry> sg{};
  Dir dir = Dir::bidirectional;
  unsigned ref = 0;
  u64 offset = 0;  // access: byte offset; raw ops: granules below the top of the DMA window
  bool write = false;
};

rc::Gen<AbstractOp> op_of(AbstractOp::Kind k, u64 ps, u64 g, bool wide) {
  switch (k) {
    case AbstractOp::map_page:
      return rc::gen::apply([](u64 page, u64 off, u64 len, Dir d) { return AbstractOp{AbstractOp::map_page, {page, off, len}, {}, d}; },
                            page_addr(ps), offset_in(ps, g), length(g), direction());
    case AbstractOp::map_sg:
      return rc::gen::apply([](std::vector<SgEntry> sg, Dir d) { return AbstractOp{AbstractOp::map_sg, {}, std::move(sg), d}; },
                            wide ? long_scatterlist(g) : scatterlist(ps, g), direction());
    case AbstractOp::alloc:
      return rc::gen::map(length(g), [](u64 len) { return AbstractOp{.kind = AbstractOp::alloc, .mem = {0, 0, len}}; });
    case AbstractOp::access_id:
    case AbstractOp::access_raw:
    case AbstractOp::unmap_raw:
      return rc::gen::apply(
          [k](unsigned ref, u64 off, bool w, Dir d) {
            AbstractOp o{k, {}, {}, d, ref, off, w};
            return o;
          },
          rc::gen::inRange(0u, 8u), rc::gen::inRange<u64>(0, u64{1} << 20), rc::gen::arbitrary<bool>(), direction());
    default:
      return rc::gen::map(rc::gen::inRange(0u, 8u), [k](unsigned ref) { return AbstractOp{k, {}, {}, Dir::bidirectional, ref}; });
  }
}

rc::Gen<AbstractOp> any_op(DmaWorkload w, u64 ps, u64 g, bool wide) {
  using K = AbstractOp::Kind;
  auto pick = [&](K k) { return op_of(k, ps, g, wide); };
  auto valid = [&](int misuse_weight, K misuse) {
    return rc::gen::weightedOneOf<AbstractOp>({{4, pick(K::map_page)}, {2, pick(K::map_sg)}, {2, pick(K::alloc)},
                                               {4, pick(K::release)}, {3, pick(K::access_id)}, {1, pick(K::access_raw)},
                                               {1, pick(K::fq_timeout)}, {misuse_weight, pick(misuse)}});
  };
  switch (w) {
    case DmaWorkload::sg:
    case DmaWorkload::sg_aligned:
      return rc::gen::weightedOneOf<AbstractOp>({{6, pick(K::map_sg)}, {2, pick(K::access_id)}, {2, pick(K::release)}});
    case DmaWorkload::stateful: return valid(0, K::release);
    case DmaWorkload::double_unmap: return valid(3, K::double_release);
    case DmaWorkload::iommu_unmap: return valid(2, K::iommu_unmap);
    case DmaWorkload::bogus_unmap: return valid(3, K::unmap_raw);
  }
  return pick(K::map_page);
}

// What the case builder knows of each id it created.
struct Made {
  std::string id;
  AbstractOp::Kind kind;
  u64 size;
  bool released = false;
};

Op release_op(const Made& m) {
  return gen::release_op(m.id, m.kind == AbstractOp::map_sg ? MappingCall::map_sg
                               : m.kind == AbstractOp::alloc ? MappingCall::alloc
                                                             : MappingCall::map_page);
}

Case build(const Config& cfg, const std::vector<AbstractOp>& aops, bool cleanup, const std::string& variant,
           DmaWorkload w) {
  Case c;
  c.name = "generated";
  c.target = Target::dma;
  c.variant = variant;
  c.config = cfg;
  std::vector<Made> made;
  auto choose = [&](unsigned ref, bool want_released) -> Made* {
    std::vector<Made*> pool;
    for (Made& m : made)
      if (m.released == want_released) pool.push_back(&m);
    return pool.empty() ? nullptr : pool[ref % pool.size()];
  };
  // Raw addresses fall where the allocators put things: just below the top of the window.
  const u64 top = std::min(cfg.device.dma_mask, cfg.aperture().last);
  auto near_top = [&](u64 granules, u64 fine) { return (top & ~(cfg.granule - 1)) - (granules % 64) * cfg.granule + fine % cfg.granule; };
  for (const AbstractOp& a : aops) {
    const std::string id = "m" + std::to_string(made.size());
    switch (a.kind) {
      case AbstractOp::map_page:
        c.ops.push_back({op::MapPage{id, a.mem.page, a.mem.offset, a.mem.length, a.dir}, {}});
        made.push_back({id, a.kind, a.mem.length});
        break;
      case AbstractOp::map_sg: {
        const auto sg = respect_dma_parms(a.sg, cfg, w == DmaWorkload::sg_aligned);
        u64 total = 0;
        for (const SgEntry& e : sg) total += e.length;
        c.ops.push_back({op::MapSg{id, sg, a.dir}, {}});
        made.push_back({id, a.kind, total});
        break;
      }
      case AbstractOp::alloc:
        c.ops.push_back({op::Alloc{id, a.mem.length}, {}});
        made.push_back({id, a.kind, a.mem.length});
        break;
      case AbstractOp::release:
      case AbstractOp::double_release:
        if (Made* m = choose(a.ref, a.kind == AbstractOp::double_release)) {
          c.ops.push_back(release_op(*m));
          m->released = true;
        }
        break;
      case AbstractOp::iommu_unmap:
        if (Made* m = choose(a.ref, false)) c.ops.push_back({op::IommuUnmap{m->id}, {}});
        break;
      case AbstractOp::access_id:
        if (!made.empty()) {
          const Made& m = made[a.ref % made.size()];
          c.ops.push_back({op::Access{m.id, a.offset % m.size, 0, a.write}, {}});
        }
        break;
      case AbstractOp::access_raw:
        c.ops.push_back({op::Access{std::nullopt, 0, near_top(a.offset >> 12, a.offset), a.write}, {}});
        break;
      case AbstractOp::unmap_raw:
        c.ops.push_back({op::UnmapPageRaw{near_top(a.offset >> 12, a.offset), cfg.granule * (1 + a.ref % 4), a.dir}, {}});
        break;
      case AbstractOp::fq_timeout:
        if (cfg.smmu.lazy) c.ops.push_back({op::FqTimeout{}, {}});
        break;
    }
  }
  if (cleanup)
    for (Made& m : made)
      if (!m.released) c.ops.push_back(release_op(m));
  return c;
}

}  // namespace

Op release_op(const std::string& id, MappingCall made_by) {
  switch (made_by) {
    case MappingCall::map_sg: return {op::UnmapSg{id}, {}};
    case MappingCall::alloc: return {op::Free{id}, {}};
    case MappingCall::map_page: break;
  }
  return {op::UnmapPage{id}, {}};
}

// Drivers build lists that respect dma_parms (dma-debug's check_sg_segment): no entry is
// longer than max_seg_size or than what fits in a boundary window from its offset.
// sg_aligned entries also start on a page and are whole granules long.
std::vector<SgEntry> respect_dma_parms(std::vector<SgEntry> sg, const Config& cfg, bool aligned) {
  const u64 g = cfg.granule, mask = cfg.device.seg_boundary_mask;
  for (SgEntry& e : sg) {
    if (aligned) e.offset = 0;
    const u64 in_window = mask == ~u64{0} ? ~u64{0} : mask + 1 - (((e.page + e.offset) & (g - 1)) & mask);
    e.length = std::max<u64>(1, std::min({e.length, cfg.device.max_seg_size, in_window}));
    if (aligned) e.length = std::max(g, e.length & ~(g - 1));
  }
  return sg;
}

rc::Gen<SgEntry> sg_entry(u64 page_size, u64 granule) {
  return rc::gen::apply([](u64 page, u64 off, u64 len) { return SgEntry{page, off, len}; }, page_addr(page_size),
                        offset_in(page_size, granule), length(granule));
}

// Physical blocks from 64 GiB up, below 2^40 (the smallest oas generated) for any list.
rc::Gen<u64> block_addr(u64 granule) {
  const u64 block = block_of(granule);
  return rc::gen::map(rc::gen::inRange<u64>(0, (u64{512} << 30) / block), [block](u64 k) { return (u64{64} << 30) + k * block; });
}

// Whole blocks below 4 GiB: iommu_map() maps them with blocks, so a GiB entry is a few leaves.
rc::Gen<u64> block_length(u64 granule) {
  const u64 block = block_of(granule);
  return rc::gen::map(rc::gen::inRange<u64>(1, (u64{1} << 32) / block), [block](u64 k) { return k * block; });
}

// Blocks, and the longest lengths: UINT_MAX and those just below that round up to 4 GiB.
rc::Gen<u64> long_length(u64 granule) {
  const u64 four_g = u64{1} << 32;
  return rc::gen::weightedOneOf<u64>({{6, block_length(granule)}, {1, rc::gen::inRange<u64>(four_g - granule + 1, four_g)}});
}

rc::Gen<SgEntry> long_entry(u64 granule) {
  return rc::gen::apply([](u64 page, u64 len) { return SgEntry{page, 0, len}; }, block_addr(granule), long_length(granule));
}

// One to eight entries of up to 4 GiB, totals far above 4 GiB. A length off the blocks is
// rounded down to them but on the last entry: anywhere else it would leave the rest of the
// list to be mapped page by page.
rc::Gen<std::vector<SgEntry>> long_scatterlist(u64 granule) {
  const u64 block = block_of(granule);
  return rc::gen::map(
      rc::gen::nonEmpty(rc::gen::scale(0.08, rc::gen::container<std::vector<SgEntry>>(rc::gen::resize(100, long_entry(granule))))),
      [block](std::vector<SgEntry> sg) {
        for (std::size_t i = 0; i + 1 < sg.size(); ++i) sg[i].length = std::max(block, sg[i].length & ~(block - 1));
        return sg;
      });
}

// One to four entries; RapidCheck's size grows their number, never their values' range.
rc::Gen<std::vector<SgEntry>> scatterlist(u64 page_size, u64 granule) {
  return rc::gen::nonEmpty(
      rc::gen::scale(0.04, rc::gen::container<std::vector<SgEntry>>(rc::gen::resize(100, sg_entry(page_size, granule)))));
}

// A quarter of the domains are DMA-FQ (iommu.strict=0): unmapped IOVAs wait in the flush queue.
rc::Gen<Config> dma_domain(rc::Gen<DeviceParams> (*dev)(u64, unsigned)) {
  return rc::gen::apply(
      [](Config c, bool lazy) {
        c.smmu.lazy = lazy;
        return c;
      },
      rc::gen::resize(100, dma_config(dev)), rc::gen::weightedOneOf<bool>({{3, rc::gen::just(false)}, {1, rc::gen::just(true)}}));
}

// Up to a dozen ops, fewer while RapidCheck's size is small; parameters at full range. One
// case in ten has a device that takes the whole dma_parms range and lists above 4 GiB.
rc::Gen<Case> dma_case(DmaWorkload w, const std::string& variant) {
  auto cases = [w, variant](bool wide) {
    return rc::gen::mapcat(dma_domain(wide ? wide_device : device), [w, variant, wide](const Config& cfg) {
      const auto ops = rc::gen::scale(0.12, rc::gen::container<std::vector<AbstractOp>>(
                                                rc::gen::resize(100, any_op(w, cfg.page_size, cfg.granule, wide))));
      return rc::gen::apply([cfg, variant, w](const std::vector<AbstractOp>& a, bool cleanup) { return build(cfg, a, cleanup, variant, w); },
                            ops, rc::gen::arbitrary<bool>());
    });
  };
  return rc::gen::weightedOneOf<Case>({{9, cases(false)}, {1, cases(true)}});
}

}  // namespace iovet::gen
