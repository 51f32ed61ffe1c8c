#include "smt/tree_check.h"

#include <algorithm>
#include <cerrno>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>

#include "case/input_error.h"
#include "impl/lpae_geometry.h"
#include "kernel/kernel_dma.h"
#include "kernel/kernel_iova.h"
#include "kernel/kernel_pgtable.h"
#include "kernel/kernel_smmu.h"
#include "kernel/library.h"
#include "run/make_page_table.h"
#include "run/smmu_stack.h"
#include "smt/bv.h"
#include "smt/iova_terms.h"
#include "smt/lpae_terms.h"
#include "smt/sg_terms.h"
#include "smt/smmu_terms.h"

namespace iovet::smt {
namespace {

// std::mt19937_64's sequence is fixed by the standard, and the draws below use only its raw
// output: the same seed gives the same inputs with any standard library.
using Rng = std::mt19937_64;
u64 below(Rng& r, u64 n) { return r() % n; }
bool coin(Rng& r) { return r() & 1; }
// Arbitrary, small, and near the top of the 64-bit space (where iova_align wraps).
u64 any_u64(Rng& r) {
  switch (below(r, 3)) {
    case 0: return r();
    case 1: return below(r, u64{1} << 20);
    default: return ~u64{0} - below(r, 4096);
  }
}
// Below 2^bits, bits drawn uniformly from [lo, 64].
u64 below_pow(Rng& r, unsigned lo) {
  const unsigned bits = lo + static_cast<unsigned>(below(r, 65 - lo));
  return bits == 64 ? r() : below(r, u64{1} << bits);
}

// The encoding's terms at concrete values of their symbols.
class Binding {
 public:
  explicit Binding(z3::context& ctx) : from_(ctx), to_(ctx) {}
  void set(const z3::expr& sym, u64 v) {
    from_.push_back(sym);
    to_.push_back(sym.get_sort().bv_size() == 32 ? u32c(sym.ctx(), static_cast<u32>(v)) : u64c(sym.ctx(), v));
  }
  u64 value(const z3::expr& t) { return at(t).get_numeral_uint64(); }
  bool truth(const z3::expr& t) { return at(t).is_true(); }

 private:
  z3::expr at(const z3::expr& t) { return z3::expr(t).substitute(from_, to_).simplify(); }
  z3::expr_vector from_, to_;
};

// One input: no disagreement when encoding and tree agree, else the input and both values. A
// version difference is where the tree does otherwise than the encoding's model but into a
// case the encoding covers too (the input, and what differs).
struct Verdict {
  Verdict(const char* d) : disagreement(d) {}
  Verdict(std::string d) : disagreement(std::move(d)) {}
  Verdict(std::string d, std::string v) : disagreement(std::move(d)), version_difference(std::move(v)) {}
  std::string disagreement, version_difference;
};
using Probe = std::function<Verdict(Rng&)>;

// Obligations sharing one encoding, checked together against one function of the tree.
struct Family {
  std::vector<std::string> ids;
  std::string against;  // empty: not checked, `note` says why
  std::string note;     // checked: where the tree differs from the encoding's model ("" nowhere)
  std::function<Probe(const KernelTree&, z3::context&)> probe;
};

std::string differs(const std::string& what, u64 encoding, u64 tree) {
  return what + ": encoding " + hex(encoding) + ", tree " + hex(tree);
}

const KernelLibrary& library(const KernelTree& tree, u64 page_size) { return load_kernel_library(tree, ilog2(page_size)); }

// --- include/linux/iova.h: iova_offset(), iova_align() ---------------------------------------

Probe granule_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr gm = u64var(ctx, "granule_mask"), x = u64var(ctx, "x");
  const z3::expr off = iova_offset(gm, x), align = iova_align(gm, x);
  // One domain per granule 2^0 .. PAGE_SIZE (init_iova_domain() BUG()s above PAGE_SIZE).
  auto domains = std::make_shared<std::vector<std::unique_ptr<KernelIova>>>();
  for (unsigned s = 0; s <= 12; ++s) domains->push_back(std::make_unique<KernelIova>(library(tree, 4096), u64{1} << s, 1));
  return [=](Rng& r) -> Verdict {
    const unsigned shift = static_cast<unsigned>(below(r, domains->size()));
    const u64 xv = any_u64(r);
    Binding b(gm.ctx());
    b.set(gm, (u64{1} << shift) - 1);
    b.set(x, xv);
    const KernelIova::Arith t = (*domains)[shift]->arith(xv);
    const std::string in = "granule " + hex(u64{1} << shift) + ", x " + hex(xv) + ": ";
    if (b.value(off) != t.offset) return in + differs("iova_offset", b.value(off), t.offset);
    if (b.value(align) != t.align) return in + differs("iova_align", b.value(align), t.align);
    return "";
  };
}

// --- drivers/iommu/iova.c: alloc_iova(size_aligned = true) -----------------------------------

Probe size_aligned_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr n = u64var(ctx, "n"), pfn = u64var(ctx, "pfn");
  const z3::expr align = roundup_pow_of_two(n);
  const z3::expr aligned = (pfn & (align - u64c(ctx, 1))) == u64c(ctx, 0);  // the obligation's assumption
  return [=, &tree](Rng& r) -> Verdict {
    const u64 nv = 1 + below(r, u64{1} << below(r, 41));
    Binding b(n.ctx());
    b.set(n, nv);
    const u64 al = b.value(align);
    // A limit with room for two aligned blocks, below 2^52 pfns (a 64-bit space of 4K pages).
    const u64 limit = 2 * al + below(r, (u64{1} << 52) - 2 * al);
    KernelIova iova(library(tree, 4096), 4096, 1);
    const std::optional<IovaRange> got = iova.alloc(nv, limit, true);
    const std::string in = "n " + hex(nv) + ", limit_pfn " + hex(limit) + ": ";
    if (!got) return in + "the tree allocates nothing";
    b.set(pfn, got->pfn_lo);
    if (got->size() != nv) return in + differs("pfns allocated", nv, got->size());
    if (!b.truth(aligned))
      return in + "the tree's block at pfn " + hex(got->pfn_lo) + " is not a multiple of the encoding's roundup_pow_of_two(n) " + hex(al);
    // The top-down allocator on an empty domain takes the highest such multiple: the
    // alignment is the encoding's, not a coarser one.
    const u64 highest = (limit + 1 - nv) & ~(al - 1);
    if (got->pfn_lo != highest) return in + differs("pfn_lo (the highest multiple of roundup_pow_of_two(n))", highest, got->pfn_lo);
    return "";
  };
}

// --- drivers/iommu/dma-iommu.c: iommu_dma_map_sg() and its __finalise_sg() -------------------

// What the map_sg probe compares: the layout (where each entry's bytes are mapped) or the
// segment __finalise_sg() writes.
enum class SgPart { layout, finalise };

Probe sg_probe(const KernelTree& tree, z3::context& ctx, SgPart part) {
  const SgSymbols s = make_sg_symbols(ctx, 2);
  const SgLayout l = map_sg_layout("mainline", s);
  const SgMerge m = finalise_first_two("mainline", s, l);
  const auto assumptions = sg_assumptions(s, l);
  return [=, &tree](Rng& r) -> Verdict {
    Config cfg;
    cfg.granule = cfg.page_size = u64{4096} << (2 * below(r, 3));
    cfg.device.dma_mask = coin(r) ? 0xffffffff : (u64{1} << 48) - 1;
    constexpr u64 masks[] = {~u64{0}, 0xffffffff, 0xfffff, 0xffff, 0x3fff, 0xfff};
    cfg.device.seg_boundary_mask = masks[below(r, 6)];
    switch (below(r, 3)) {
      case 0: cfg.device.max_seg_size = 1 + below(r, u64{1} << 21); break;
      case 1: cfg.device.max_seg_size = cfg.granule * (1 + below(r, 64)); break;
      default: cfg.device.max_seg_size = 0xffffffff;
    }
    // Granule-aligned entries merge; others show the offsets and the padding.
    std::vector<Scatterlist> sg;
    for (u64 i = 0; i < 2; ++i) {
      const bool whole = coin(r);
      const u32 off = whole ? 0 : static_cast<u32>(below(r, 0x20000));
      const u32 len = static_cast<u32>(whole ? cfg.granule * (1 + below(r, 32)) : 1 + below(r, 0x100000));
      sg.push_back({(i + 1) << 32, off, len});
    }
    const std::vector<Scatterlist> in = sg;
    std::string input = "granule " + hex(cfg.granule) + ", dma_mask " + hex(cfg.device.dma_mask) +
                        ", seg_boundary_mask " + hex(cfg.device.seg_boundary_mask) + ", max_seg_size " +
                        hex(cfg.device.max_seg_size);
    for (std::size_t i = 0; i < in.size(); ++i)
      input += ", entry " + std::to_string(i) + " offset " + hex(in[i].offset) + " length " + hex(in[i].length);
    input += ": ";
    KernelDma dma(library(tree, cfg.page_size), cfg, pgtable_cfg(cfg));
    const int ret = dma.map_sg(sg, Dir::bidirectional);
    if (ret <= 0) return input + "the tree's iommu_dma_map_sg() returned " + std::to_string(ret);
    const IovaRange alloc = dma.iova().allocated().at(0);
    const u64 alloc_start = alloc.pfn_lo * cfg.granule;

    Binding b(s.granule_mask.ctx());
    b.set(s.granule_mask, cfg.granule - 1);
    b.set(s.seg_mask, cfg.device.seg_boundary_mask);
    b.set(s.max_seg_size, static_cast<u32>(cfg.device.max_seg_size));
    b.set(s.alloc_start, alloc_start);
    for (int i = 0; i < 2; ++i) {
      b.set(s.offset[i], in[i].offset);
      b.set(s.length[i], in[i].length);
    }
    input += "allocation at " + hex(alloc_start) + ": ";
    // The tree's run must be one the encoding describes (its allocation size-aligned, ...).
    for (const auto& [what, a] : assumptions)
      if (!b.truth(a)) return input + "the tree's run breaks the encoding's assumption: " + what;
    if (part == SgPart::finalise) {
      const int segments = b.truth(m.joins) ? 1 : 2;
      if (ret != segments) return input + differs("segments", static_cast<u64>(segments), static_cast<u64>(ret));
      if (sg[0].dma_address != b.value(m.dma_address))
        return input + differs("sg_dma_address(segment 0)", b.value(m.dma_address), sg[0].dma_address);
      if (sg[0].dma_length != b.value(m.dma_length))
        return input + differs("sg_dma_len(segment 0)", b.value(m.dma_length), sg[0].dma_length);
      return "";
    }
    const u64 iova_len = b.value(l.iova_len);
    // alloc_iova_fast() rounds small sizes up to a power of two for its rcache.
    if (alloc.size() * cfg.granule < iova_len || alloc.size() * cfg.granule > iovet::roundup_pow_of_two(iova_len))
      return input + differs("bytes allocated (encoding: iova_len, up to its roundup_pow_of_two)", iova_len,
                             alloc.size() * cfg.granule);
    // Each entry's first and last byte, where the encoding places them, reach its buffer.
    for (int i = 0; i < 2; ++i) {
      const u64 at = alloc_start + b.value(l.pos[i]) + b.value(l.iova_off[i]);
      const u64 phys = in[i].page + in[i].offset;
      for (const u64 k : {u64{0}, u64{in[i].length} - 1}) {
        const Translation t = dma.page_table().translate(at + k);
        if (!t.valid || t.phys != phys + k)
          return input + "entry " + std::to_string(i) + " byte " + hex(k) + ": the encoding places it at IOVA " +
                 hex(at + k) + ", which the tree maps to " + (t.valid ? hex(t.phys) : "nothing") + ", not " +
                 hex(phys + k);
      }
    }
    return "";
  };
}

// --- drivers/iommu/dma-iommu.c: iommu_dma_map_page() -----------------------------------------

Probe map_page_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr gm = u64var(ctx, "granule_mask"), base = u64var(ctx, "iova_base"), phys = u64var(ctx, "phys");
  const z3::expr handle = map_page_handle(gm, base, phys);
  return [=, &tree](Rng& r) -> Verdict {
    Config cfg;
    cfg.granule = cfg.page_size = u64{4096} << (2 * below(r, 3));
    cfg.device.dma_mask = (u64{1} << 48) - 1;
    const u64 page = (1 + below(r, u64{1} << 20)) * cfg.page_size, offset = below(r, 4 * cfg.page_size);
    const u64 size = 1 + below(r, u64{1} << 20);
    KernelDma dma(library(tree, cfg.page_size), cfg, pgtable_cfg(cfg));
    const u64 h = dma.map_page(page, offset, size, Dir::bidirectional);
    const std::string in = "granule " + hex(cfg.granule) + ", page " + hex(page) + ", offset " + hex(offset) +
                           ", size " + hex(size) + ": ";
    if (h == DMA_MAPPING_ERROR) return in + "the tree's iommu_dma_map_page() failed";
    Binding b(gm.ctx());
    b.set(gm, cfg.granule - 1);
    b.set(base, dma.iova().allocated().at(0).pfn_lo * cfg.granule);
    b.set(phys, page + offset);
    if (b.value(handle) != h) return in + differs("handle", b.value(handle), h);
    return "";
  };
}

// --- drivers/iommu/io-pgtable-arm.c: ARM_LPAE_LVL_IDX(), arm_lpae_map_pages()'s ias check -----

// The tree's tables for each geometry the encodings range over, built on first use.
class TreeTables {
 public:
  explicit TreeTables(const KernelTree& tree) : tree_(tree), tables_(lpae_geometries().size()) {}
  // Null when the tree refuses the geometry.
  KernelPgtable* get(std::size_t i) {
    if (!tables_[i] && !refused_.count(i)) {
      const LpaeGeometry& g = lpae_geometries()[i];
      try {
        tables_[i] = std::make_unique<KernelPgtable>(library(tree_, 4096),
                                                     PgtableCfg{g.fmt, lpae_pgsize_bitmap(g.granule(), g.oas), g.ias, g.oas});
      } catch (const std::invalid_argument&) {
        refused_.insert(i);
      }
    }
    return tables_[i].get();
  }

 private:
  const KernelTree& tree_;
  std::vector<std::unique_ptr<KernelPgtable>> tables_;
  std::set<std::size_t> refused_;
};

std::string geometry_name(const LpaeGeometry& g) {
  return std::string(format_name(g.fmt)) + " granule " + hex(g.granule()) + " ias " + std::to_string(g.ias) +
         " oas " + std::to_string(g.oas);
}

Probe lpae_index_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr iova = u64var(ctx, "iova");
  auto tables = std::make_shared<TreeTables>(tree);
  return [=](Rng& r) -> Verdict {
    const std::size_t gi = below(r, lpae_geometries().size());
    const LpaeGeometry& g = lpae_geometries()[gi];
    const u64 x = below_pow(r, g.pg_shift());
    const std::string in = geometry_name(g) + ", iova " + hex(x) + ": ";
    KernelPgtable* pt = tables->get(gi);
    if (!pt) return in + "the tree refuses the geometry";
    const kabi_lpae_index t = pt->lvl_idx(x);
    if (t.bits_per_level != static_cast<int>(g.bits_per_level))
      return in + differs("bits_per_level", g.bits_per_level, static_cast<u64>(t.bits_per_level));
    const auto shape = [](int start, int pgd_bits) {
      return "start level " + std::to_string(start) + ", pgd_bits " + std::to_string(pgd_bits);
    };
    const LpaeGeometry* eg = &g;
    std::string version;
    if (t.start_level != g.start_level || t.pgd_bits != static_cast<int>(g.pgd_bits)) {
      // Linux 6.1 concatenates stage-2 tables whenever the walk would start at level 0 and 16
      // pages suffice (arm_64_lpae_alloc_pgtable_s2()); impl, as later mainline, only where the
      // Arm ARM makes it mandatory (arm_lpae_concat_mandatory()). The claims hold for the
      // tree's tables if the encodings range over its geometry too: lpae_geometries() tells
      // them apart by granule, ias, start level and pgd_bits only (stage and oas play no part).
      const auto& all = lpae_geometries();
      const auto same = std::find_if(all.begin(), all.end(), [&](const LpaeGeometry& o) {
        return o.bits_per_level == g.bits_per_level && o.ias == g.ias &&
               o.start_level == t.start_level && static_cast<int>(o.pgd_bits) == t.pgd_bits;
      });
      const std::string both = "the tree builds " + shape(t.start_level, t.pgd_bits) + ", impl " +
                               shape(g.start_level, static_cast<int>(g.pgd_bits));
      if (same == all.end()) return in + both + ", a geometry the encodings do not range over";
      eg = &*same;
      version = in + both;
    }
    Binding b(iova.ctx());
    b.set(iova, x);
    for (int lvl = eg->start_level; lvl < lpae::ARM_LPAE_MAX_LEVELS; ++lvl) {
      const u64 e = b.value(lpae_lvl_idx(*eg, iova, lvl));
      if (e != t.idx[lvl]) return in + differs("ARM_LPAE_LVL_IDX at level " + std::to_string(lvl), e, t.idx[lvl]);
    }
    return {"", version};
  };
}

Probe lpae_ias_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr iova = u64var(ctx, "iova");
  auto tables = std::make_shared<TreeTables>(tree);
  return [=](Rng& r) -> Verdict {
    const std::size_t gi = below(r, lpae_geometries().size());
    const LpaeGeometry& g = lpae_geometries()[gi];
    const u64 x = below_pow(r, g.pg_shift()) & ~(g.granule() - 1);
    const std::string in = geometry_name(g) + ", one page at iova " + hex(x) + ": ";
    KernelPgtable* pt = tables->get(gi);
    if (!pt) return in + "the tree refuses the geometry";
    Binding b(iova.ctx());
    b.set(iova, x);
    const bool inside = b.truth(lpae_in_ias(iova, g.ias));
    u64 mapped = 0;
    const int ret = pt->map_pages(x, 0, g.granule(), 1, prot::read, &mapped);
    pt->take_warnings();  // the WARN_ON() of a refused iova
    if (ret == 0) pt->unmap_pages(x, g.granule(), 1, nullptr);
    if (ret != 0 && ret != -ERANGE) return in + "the tree's map_pages() returned " + std::to_string(ret);
    if (inside != (ret == 0))
      return in + "the encoding says iova >> ias is " + (inside ? "zero" : "not zero") + ", the tree " +
             (ret == 0 ? "maps it" : "refuses it (-ERANGE)");
    return "";
  };
}

// --- arm-smmu-v3.c: queue_full, queue_empty, queue_has_space, queue_consumed, queue_inc_prod_n

Probe smmu_queue_probe(const KernelTree& tree, z3::context& ctx) {
  const z3::expr shift = u32var(ctx, "shift"), prod = u32var(ctx, "prod"), cons = u32var(ctx, "cons"),
                 n = u32var(ctx, "n");
  const z3::expr full = smmu_queue_full(shift, prod, cons), empty = smmu_queue_empty(shift, prod, cons),
                 space = smmu_queue_has_space(shift, prod, cons, n), consumed = smmu_queue_consumed(shift, cons, prod),
                 inc = smmu_queue_inc_prod_n(shift, prod, n);
  const KernelLibrary& lib = library(tree, 4096);
  return [=, &lib](Rng& r) -> Verdict {
    const unsigned sh = 1 + static_cast<unsigned>(below(r, 19));  // IDR1.CMDQS/EVTQS: up to 19
    const u32 size = u32{1} << sh;
    const u32 pv = static_cast<u32>(r());
    // cons: the same index (full or empty), a few entries behind prod, or anywhere.
    u32 cv = static_cast<u32>(r());
    switch (below(r, 3)) {
      case 0: cv = pv ^ (coin(r) ? size : 0); break;
      case 1: cv = pv - static_cast<u32>(below(r, size + 1)); break;
      default: break;
    }
    const u32 nv = static_cast<u32>(below(r, size + 2));
    kabi_smmu_queue_arith t{};
    lib.ops->smmu_queue_arith(sh, pv, cv, nv, &t);
    Binding b(shift.ctx());
    b.set(shift, sh);
    b.set(prod, pv);
    b.set(cons, cv);
    b.set(n, nv);
    const std::string in = "shift " + std::to_string(sh) + ", prod " + hex(pv) + ", cons " + hex(cv) + ", n " + hex(nv) + ": ";
    if (b.truth(full) != (t.full != 0)) return in + differs("queue_full", b.truth(full), t.full != 0);
    if (b.truth(empty) != (t.empty != 0)) return in + differs("queue_empty", b.truth(empty), t.empty != 0);
    if (b.truth(space) != (t.has_space != 0)) return in + differs("queue_has_space", b.truth(space), t.has_space != 0);
    if (b.truth(consumed) != (t.consumed != 0))
      return in + differs("queue_consumed", b.truth(consumed), t.consumed != 0);
    if (b.value(inc) != t.inc_prod_n) return in + differs("queue_inc_prod_n", b.value(inc), t.inc_prod_n);
    return "";
  };
}

// --- arm-smmu-v3.c: __arm_smmu_tlb_inv_range()'s plan ------------------------------------

// The TLBI_NH_VA commands arm_smmu_tlb_inv_range_domain() issues for a 4K stage-1 domain, read
// off the simulated SMMU's queue, against the encoding's plan run to its end: with RIL
// (smmu_tlbi_ril_pages, then smmu_tlbi_ril_step while it issues) and without (one command per
// granule, smmu_tlbi_granule_step). Ranges stay below 2^48 and clear of a wrap; TTL, a lookup
// hint the encoding leaves out, is not compared.
Probe smmu_tlbi_probe(const KernelTree& tree, z3::context& ctx) {
  constexpr unsigned tg_shift = 12;
  const z3::expr size = u64var(ctx, "size"), iova = u64var(ctx, "iova"), end = u64var(ctx, "end"),
                 pages = u64var(ctx, "num_pages"), granule = u64var(ctx, "granule");
  const z3::expr leaf_pages = smmu_tlbi_ril_pages(size, tg_shift, true), walk_pages = smmu_tlbi_ril_pages(size, tg_shift, false);
  const SmmuTlbiRilStep ril = smmu_tlbi_ril_step(iova, end, pages, tg_shift);
  const SmmuTlbiGranuleStep gran = smmu_tlbi_granule_step(iova, end, granule);
  auto stacks = std::make_shared<std::vector<std::unique_ptr<KernelSmmuStack>>>();
  for (bool ril_on : {false, true}) {
    Config c;
    c.smmu.ril = ril_on;
    SmmuHwParams hw = smmu_hw_params(c);
    hw.gran16k = hw.gran64k = false;  // the driver's domain then has 4K pages
    stacks->push_back(std::make_unique<KernelSmmuStack>(library(tree, 4096), c, hw, true));
  }
  return [=](Rng& r) -> Verdict {
    const bool with_ril = coin(r), leaf = coin(r);
    // Without RIL one command per page: a few pages. With it, up to 2^36 pages.
    const u64 npages = 1 + below(r, with_ril ? u64{1} << below(r, 37) : 40);
    const u64 sz = npages << tg_shift, start = below(r, (u64{1} << 48) - sz) & ~u64{0xfff};
    KernelSmmuStack& s = *(*stacks)[with_ril];
    s.take_trace();
    s.tlb_inv_range(start, sz, u64{1} << tg_shift, leaf);
    std::vector<SmmuCommand> tree_cmds;
    for (const SmmuTrace& t : s.take_trace())
      if (auto* i = std::get_if<SmmuTrace::Issued>(&t.item); i && i->cmd.op == SmmuCommand::Op::tlbi_nh_va)
        tree_cmds.push_back(i->cmd);
    const std::string in = std::string(with_ril ? "RIL" : "no RIL") + (leaf ? ", leaf" : ", non-leaf") + ", iova " +
                           hex(start) + ", size " + hex(sz) + ": ";
    // The encoding's plan.
    std::vector<SmmuCommand> plan;
    Binding b(size.ctx());
    b.set(size, sz);
    u64 x = start, left = b.value(leaf ? leaf_pages : walk_pages);
    const u64 e = start + sz;
    for (std::size_t k = 0; k <= tree_cmds.size(); ++k) {
      Binding step(size.ctx());
      step.set(iova, x);
      step.set(end, e);
      step.set(pages, left);
      step.set(granule, u64{1} << tg_shift);
      if (!step.truth(with_ril ? ril.cmd.issued : gran.issued)) break;
      SmmuCommand c;
      c.addr = x;
      if (with_ril) {
        if (step.truth(ril.cmd.throws)) return in + "the encoding's plan runs out of pages before the end";
        c.tg = static_cast<unsigned>(step.value(ril.cmd.tg));
        // As the command's 5-bit SCALE field carries it: above 2^32 pages the plan's SCALE
        // overflows it in the tree as in impl (impl.smmu.tlbi_range_exact's counterexample).
        c.scale = static_cast<unsigned>(step.value(ril.cmd.scale)) & 31;
        c.num = static_cast<unsigned>(step.value(ril.cmd.num));
        x = step.value(ril.next_iova);
        left = step.value(ril.next_pages);
      } else {
        x = step.value(gran.next);
      }
      plan.push_back(c);
    }
    if (plan.size() != tree_cmds.size())
      return in + differs("commands", plan.size(), tree_cmds.size());
    for (std::size_t k = 0; k < plan.size(); ++k) {
      const SmmuCommand& t = tree_cmds[k];
      const std::string at = in + "command " + std::to_string(k) + " ";
      if ((t.addr & ~u64{0xfff}) != plan[k].addr) return at + differs("addr", plan[k].addr, t.addr);
      if (t.tg != plan[k].tg) return at + differs("tg", plan[k].tg, t.tg);
      if (t.scale != plan[k].scale) return at + differs("scale", plan[k].scale, t.scale);
      if (t.num != plan[k].num) return at + differs("num", plan[k].num, t.num);
      if (t.leaf != leaf) return at + "the tree's Leaf is " + std::to_string(t.leaf);
    }
    return "";
  };
}

const std::vector<Family>& families() {
  static const std::vector<Family> all = {
      {{"common.granule.offset_within_granule", "common.granule.align_aligned", "common.granule.align_bounds",
        "common.granule.align_wraps_exactly", "common.granule.align_idempotent"},
       "include/linux/iova.h:iova_offset, iova_align",
       "",
       granule_probe},
      {{"common.log2.roundup_pow_of_two_bounds"},
       "",
       "roundup_pow_of_two() in the compiled objects is iovet's shim (kernel/shim/include/linux/log2.h), "
       "not the tree's",
       nullptr},
      {{"common.iova.size_aligned_window"},
       "drivers/iommu/iova.c:alloc_iova",
       "",
       size_aligned_probe},
      {{"mainline.map_sg.slot_within_boundary"},
       "drivers/iommu/dma-iommu.c:iommu_dma_map_sg",
       "",
       [](const KernelTree& t, z3::context& c) { return sg_probe(t, c, SgPart::layout); }},
      {{"mainline.finalise.merge_within_max_seg_size", "mainline.finalise.merge_within_boundary",
        "mainline.finalise.merge_length_exact", "mainline.finalise.merge_address_exact",
        "mainline.finalise.no_merge_after_oversized_entry"},
       "drivers/iommu/dma-iommu.c:__finalise_sg",
       "",
       [](const KernelTree& t, z3::context& c) { return sg_probe(t, c, SgPart::finalise); }},
      {{"mainline.map_page.offset_kept"},
       "drivers/iommu/dma-iommu.c:iommu_dma_map_page",
       "",
       map_page_probe},
      {{"impl.lpae.index_partition", "impl.lpae.index_fits_table"},
       "drivers/iommu/io-pgtable-arm.c:ARM_LPAE_LVL_IDX",
       "6.1 concatenates stage-2 tables whenever the walk would start at level 0, impl only where mandatory: "
       "there the tree's geometry is one the encodings cover for another oas, and the indices are checked on it",
       lpae_index_probe},
      {{"impl.lpae.ias_check_exact"},
       "drivers/iommu/io-pgtable-arm.c:arm_lpae_map_pages",
       "the tree checks only the range's first iova (iova >> ias): the encoding's check of the range's end "
       "is impl's own and has no counterpart in the tree",
       lpae_ias_probe},
      {{"impl.smmu.queue_occupancy", "impl.smmu.queue_inc_prod", "impl.smmu.queue_consumed"},
       "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c:queue_full, queue_empty, queue_has_space, queue_consumed, "
       "queue_inc_prod_n",
       "",
       smmu_queue_probe},
      {{"impl.smmu.tlbi_range_exact", "impl.smmu.tlbi_range_exact_below_4g_pages", "impl.smmu.tlbi_granule_exact"},
       "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c:__arm_smmu_tlb_inv_range",
       "",
       smmu_tlbi_probe},
  };
  return all;
}

}  // namespace

bool tree_covers(const std::string& v) { return v == "common" || v == "mainline" || v == "impl"; }

std::vector<std::string> tree_check_ids() {
  std::vector<std::string> ids;
  for (const Family& f : families()) ids.insert(ids.end(), f.ids.begin(), f.ids.end());
  return ids;
}

std::map<std::string, TreeAgreement> check_against_tree(const KernelTree& tree, const std::vector<std::string>& ids,
                                                         const TreeCheckOptions& opt) {
  std::map<std::string, TreeAgreement> out;
  for (std::size_t k = 0; k < families().size(); ++k) {
    const Family& f = families()[k];
    std::vector<std::string> wanted;
    for (const std::string& id : f.ids)
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) wanted.push_back(id);
    if (wanted.empty()) continue;
    TreeAgreement a;
    a.against = f.against;
    a.note = f.note;
    if (f.probe) {
      z3::context ctx;
      const Probe probe = f.probe(tree, ctx);
      // Each family its own stream: selecting fewer obligations changes no family's inputs.
      Rng rng(opt.seed * 0x9e3779b97f4a7c15ULL + k);
      for (unsigned i = 0; i < opt.inputs; ++i) {
        Verdict v("");
        try {
          v = probe(rng);
        } catch (const InputError&) {
          throw;  // the tree does not build
        } catch (const std::exception& e) {
          v = std::string("the tree's code failed: ") + e.what();  // an oops, BUG() or hang
        }
        ++a.inputs;
        if (v.disagreement.empty()) ++a.agree;
        else if (a.disagreement.empty()) a.disagreement = v.disagreement;
        if (!v.version_difference.empty() && a.version_differences++ == 0) a.version_difference = v.version_difference;
      }
    }
    for (const std::string& id : wanted) out[id] = a;
  }
  for (const std::string& id : ids)
    if (!out.count(id)) out[id].note = "no tree check is defined for this obligation";
  return out;
}

}  // namespace iovet::smt
