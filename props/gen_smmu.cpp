#include "props/gen_smmu.h"

#include "props/gen_config.h"
#include "props/gen_dma.h"

namespace iovet::gen {
namespace {

// Streams the workloads use: both ends of a 2-level stream table's first L2 table and one in
// the next, all within the smallest sidsize generated.
constexpr u32 kSids[] = {0, 1, 9, 15};

struct AbstractOp {
  enum Kind { attach, map_page, map_sg, alloc, release, access_live, access_released, fq_timeout } kind;
  SgEntry mem{};
  std::vector<SgEntry> sg{};
  Dir dir = Dir::bidirectional;
  unsigned ref = 0;  // which mapping, taken modulo what exists
  unsigned sid = 0;  // index into kSids
  SmmuDomainKind domain = SmmuDomainKind::dma;
  u64 offset = 0;
  bool write = false;
};

// Moves between the DMA and the unmanaged domain change the STE (stage 2: VMID, S2TTB) or the
// CD (stage 1: ASID, TTB0) in more than one qword: breaking updates.
rc::Gen<SmmuDomainKind> domain_kind() {
  return rc::gen::weightedOneOf<SmmuDomainKind>({{4, rc::gen::just(SmmuDomainKind::dma)},
                                                 {3, rc::gen::just(SmmuDomainKind::unmanaged)},
                                                 {1, rc::gen::just(SmmuDomainKind::identity)},
                                                 {1, rc::gen::just(SmmuDomainKind::blocked)}});
}

// Whole blocks (2 MiB, 32 MiB, 512 MiB; 1 GiB at 4K) from block-aligned memory, which
// iommu_map() maps with block entries, or from unaligned memory, which it maps page by page
// into tables that the unmap of the block-sized range then frees (tlb_flush_walk).
rc::Gen<SgEntry> block_mem(u64 page_size, u64 granule) {
  const u64 block = block_of(granule);
  auto len = granule == 4096 ? rc::gen::weightedOneOf<u64>({{6, rc::gen::map(rc::gen::inRange<u64>(1, 3), [block](u64 k) { return k * block; })},
                                                            {1, rc::gen::just(u64{1} << 30)}})
                             : rc::gen::map(rc::gen::inRange<u64>(1, 3), [block](u64 k) { return k * block; });
  // A 1 GiB entry only from aligned memory: page by page it would be 2^18 PTEs.
  return rc::gen::apply(
      [](bool aligned, u64 blk, u64 page, u64 l) {
        const u64 gib = u64{1} << 30;
        if (l >= gib) return SgEntry{blk & ~(gib - 1), 0, l};
        return SgEntry{aligned ? blk : page, 0, l};
      },
      rc::gen::weightedOneOf<bool>({{3, rc::gen::just(true)}, {1, rc::gen::just(false)}}), block_addr(granule), page_addr(page_size), len);
}

rc::Gen<AbstractOp> access_op(AbstractOp::Kind k) {
  return rc::gen::apply([k](unsigned ref, unsigned sid, u64 off, bool w) { return AbstractOp{k, {}, {}, Dir::bidirectional, ref, sid, SmmuDomainKind::dma, off, w}; },
                        rc::gen::inRange(0u, 8u), rc::gen::weightedOneOf<unsigned>({{4, rc::gen::just(0u)}, {1, rc::gen::inRange(1u, 4u)}}),
                        rc::gen::inRange<u64>(0, u64{1} << 22), rc::gen::arbitrary<bool>());
}

rc::Gen<AbstractOp> any_op(u64 ps, u64 g) {
  using K = AbstractOp::Kind;
  return rc::gen::weightedOneOf<AbstractOp>({
      // Mostly the stream already attached to the DMA domain: its next attach may break.
      {3, rc::gen::apply([](unsigned sid, SmmuDomainKind d) { return AbstractOp{K::attach, {}, {}, Dir::bidirectional, 0, sid, d}; },
                         rc::gen::weightedOneOf<unsigned>({{3, rc::gen::just(0u)}, {1, rc::gen::inRange(1u, 4u)}}), domain_kind())},
      {3, rc::gen::apply([](u64 page, u64 len, Dir d) { return AbstractOp{K::map_page, {page, 0, len}, {}, d}; },
                         page_addr(ps), length(g), direction())},
      {2, rc::gen::apply([](SgEntry m, Dir d) { return AbstractOp{K::map_page, m, {}, d}; }, block_mem(ps, g), direction())},
      {1, rc::gen::apply([](std::vector<SgEntry> sg, Dir d) { return AbstractOp{K::map_sg, {}, std::move(sg), d}; },
                         scatterlist(ps, g), direction())},
      {1, rc::gen::map(length(g), [](u64 len) { return AbstractOp{.kind = K::alloc, .mem = {0, 0, len}}; })},
      {3, rc::gen::map(rc::gen::inRange(0u, 8u), [](unsigned ref) { return AbstractOp{K::release, {}, {}, Dir::bidirectional, ref}; })},
      {4, access_op(K::access_live)},
      {3, access_op(K::access_released)},
      {1, rc::gen::just(AbstractOp{.kind = K::fq_timeout})},
  });
}

struct Made {
  std::string id;
  MappingCall call;
  u64 size;
  bool released = false;
};

// A driver whose device is attached to the DMA domain before it maps (as at probe time);
// the workload may move streams between domains later.
Case build(const Config& cfg, const std::vector<AbstractOp>& aops, const std::string& variant) {
  Case c;
  c.name = "generated";
  c.target = Target::smmu;
  c.variant = variant;
  c.config = cfg;
  c.ops.push_back({op::Attach{kSids[0], SmmuDomainKind::dma}, {}});
  std::vector<Made> made;
  auto choose = [&](unsigned ref, bool released) -> const Made* {
    std::vector<const Made*> pool;
    for (const Made& m : made)
      if (m.released == released) pool.push_back(&m);
    return pool.empty() ? nullptr : pool[ref % pool.size()];
  };
  for (const AbstractOp& a : aops) {
    const std::string id = "m" + std::to_string(made.size());
    switch (a.kind) {
      case AbstractOp::attach:
        c.ops.push_back({op::Attach{kSids[a.sid], a.domain}, {}});
        break;
      case AbstractOp::map_page:
        c.ops.push_back({op::MapPage{id, a.mem.page, 0, a.mem.length, a.dir}, {}});
        made.push_back({id, MappingCall::map_page, a.mem.length});
        break;
      case AbstractOp::map_sg: {
        std::vector<SgEntry> sg = a.sg;
        u64 total = 0;
        for (SgEntry& e : sg) {
          e.length = std::min(e.length, cfg.device.max_seg_size);
          total += e.length;
        }
        c.ops.push_back({op::MapSg{id, sg, a.dir}, {}});
        made.push_back({id, MappingCall::map_sg, total});
        break;
      }
      case AbstractOp::alloc:
        c.ops.push_back({op::Alloc{id, a.mem.length}, {}});
        made.push_back({id, MappingCall::alloc, a.mem.length});
        break;
      case AbstractOp::release:
        if (const Made* m = choose(a.ref, false)) {
          c.ops.push_back(release_op(m->id, m->call));
          made[m - made.data()].released = true;
        }
        break;
      case AbstractOp::access_live:
      case AbstractOp::access_released:
        if (const Made* m = choose(a.ref, a.kind == AbstractOp::access_released)) {
          op::Access acc{m->id, a.offset % m->size, 0, a.write};
          acc.sid = kSids[a.sid];
          c.ops.push_back({acc, {}});
        }
        break;
      case AbstractOp::fq_timeout:
        if (cfg.smmu.lazy) c.ops.push_back({op::FqTimeout{}, {}});
        break;
    }
  }
  return c;
}

}  // namespace

rc::Gen<SmmuParams> smmu_params(bool lazy) {
  return rc::gen::apply(
      [lazy](bool two_level, bool ril, unsigned cmdq_log2, unsigned per_poll, unsigned iotlb, unsigned fq_log2, int repl) {
        SmmuParams p;
        p.lazy = lazy;
        p.st_2lvl = two_level;
        p.ril = ril;
        p.cmdq_log2 = cmdq_log2;
        p.cmdq_per_poll = per_poll;
        p.iotlb_entries = iotlb;
        p.fq_size = 1u << fq_log2;
        p.replacement = static_cast<TlbReplacement>(repl);
        return p;
      },
      rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(), rc::gen::inRange(7u, 9u), rc::gen::inRange(1u, 5u),
      rc::gen::element(1u, 4u, 64u), rc::gen::element(1u, 2u, 3u, 8u), rc::gen::inRange(0, 3));
}

// Small cases: the interesting interleavings (map, touch, unmap, touch again) are short.
rc::Gen<Case> smmu_case(bool lazy, const std::string& variant) {
  auto config = rc::gen::apply(
      [](u64 g, bool s2, unsigned ias, SmmuParams sp) {
        Config c;
        c.granule = g;
        c.format = s2 ? Format::arm64_lpae_s2 : Format::arm64_lpae_s1;
        c.ias = c.oas = ias;
        c.device.dma_mask = (ias >= 64 ? ~u64{0} : (u64{1} << ias) - 1);
        c.device.max_seg_size = 0xffffffff;
        c.smmu = sp;
        return c;
      },
      granule(), rc::gen::arbitrary<bool>(), rc::gen::element(40u, 44u, 48u), smmu_params(lazy));
  return rc::gen::mapcat(rc::gen::resize(100, config), [variant](const Config& cfg) {
    const auto ops = rc::gen::scale(0.15, rc::gen::container<std::vector<AbstractOp>>(rc::gen::resize(100, any_op(4096, cfg.granule))));
    return rc::gen::map(ops, [cfg, variant](const std::vector<AbstractOp>& a) { return build(cfg, a, variant); });
  });
}

}  // namespace iovet::gen
