// The Z3 terms and the C++ they describe, on the same random inputs: every term is
// instantiated with constants, simplified to a value and compared with the ref/ function, so
// an encoding cannot drift from the code it claims to model.
#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include "impl/io_pgtable_arm.h"
#include "impl/smmu/queue.h"
#include "impl/smmu/tlbi_range.h"
#include "ref/dma/mainline.h"
#include "ref/dma/seed_v5.h"
#include "ref/dma/v4_4.h"
#include "ref/env/iova_helpers.h"
#include "ref/models.h"
#include "run/make_page_table.h"
#include "smt/bv.h"
#include "smt/iova_terms.h"
#include "smt/lpae_terms.h"
#include "smt/named_roundup.h"
#include "smt/sg_terms.h"
#include "smt/smmu_terms.h"

using namespace iovet;

namespace {

u64 value(const z3::expr& e) { return e.simplify().get_numeral_uint64(); }
bool truth(const z3::expr& e) { return e.simplify().is_true(); }

// Powers of two with their exponent drawn uniformly, and values near interesting edges.
rc::Gen<u64> any_u64() {
  return rc::gen::oneOf(rc::gen::arbitrary<u64>(), rc::gen::inRange<u64>(0, 1 << 20),
                        rc::gen::map(rc::gen::inRange<u64>(0, 4096), [](u64 d) { return ~u64{0} - d; }));
}
rc::Gen<u64> low_mask() {
  return rc::gen::map(rc::gen::inRange<unsigned>(0, 65), [](unsigned k) { return k == 64 ? ~u64{0} : (u64{1} << k) - 1; });
}

}  // namespace

TEST_CASE("iova_offset and iova_align terms agree with ref/env/iova_helpers.h", "[smt][terms]") {
  rc::prop("iova helpers", [] {
    z3::context ctx;
    const unsigned shift = *rc::gen::inRange<unsigned>(0, 64);
    const u64 g = u64{1} << shift, x = *any_u64();
    const z3::expr gm = smt::u64c(ctx, g - 1), xe = smt::u64c(ctx, x);
    RC_ASSERT(value(smt::iova_offset(gm, xe)) == kernel::iova_offset(g, x));
    RC_ASSERT(value(smt::iova_align(gm, xe)) == kernel::iova_align(g, x));
  });
}

TEST_CASE("bit-vector vocabulary agrees with spec/types.h", "[smt][terms]") {
  rc::prop("roundup_pow_of_two, is_low_mask, crosses", [] {
    z3::context ctx;
    const u64 x = *any_u64(), m = *low_mask(), len = *rc::gen::inRange<u64>(1, 1 << 24);
    RC_ASSERT(value(smt::roundup_pow_of_two(smt::u64c(ctx, x))) == roundup_pow_of_two(x));
    RC_ASSERT(truth(smt::is_low_mask(smt::u64c(ctx, m))));
    RC_ASSERT(truth(smt::is_low_mask(smt::u64c(ctx, x))) == (x == ~u64{0} || is_pow2(x + 1)));
    // The spec's window index: addr >> log2(mask + 1), one window for ~0.
    const auto window = [m](u64 a) { return m == ~u64{0} ? 0 : a >> ilog2(m + 1); };
    RC_ASSERT(truth(smt::crosses(smt::u64c(ctx, x), smt::u64c(ctx, len), smt::u64c(ctx, m))) ==
              (window(x) != window(x + len - 1)));
  });
}

TEST_CASE("is_roundup_pow_of_two holds for roundup_pow_of_two's value and no other", "[smt][terms]") {
  rc::prop("is_roundup_pow_of_two", [] {
    z3::context ctx;
    // Around powers of two too, where the bounds are tight.
    const u64 x = *rc::gen::oneOf(any_u64(), rc::gen::map(rc::gen::pair(rc::gen::inRange<unsigned>(0, 64),
                                                                        rc::gen::inRange<int>(-1, 2)),
                                                          [](std::pair<unsigned, int> p) {
                                                            return (u64{1} << p.first) + static_cast<u64>(p.second);
                                                          }));
    const u64 r = roundup_pow_of_two(x);
    const u64 other = *rc::gen::oneOf(rc::gen::element<u64>(r << 1, r >> 1, r + 1, r - 1, 0, 1), any_u64());
    const z3::expr xe = smt::u64c(ctx, x);
    RC_ASSERT(truth(smt::is_roundup_pow_of_two(smt::u64c(ctx, r), xe)));
    RC_ASSERT(truth(smt::is_roundup_pow_of_two(smt::u64c(ctx, other), xe)) == (other == r));
  });
}

TEST_CASE("name_roundups renames exactly the roundup_pow_of_two terms", "[smt][terms]") {
  rc::prop("v4.4 and mainline map_sg: same values with the symbols at the roundups' values", [] {
    const std::string variant = *rc::gen::element<std::string>("v4.4", "mainline");
    z3::context ctx;
    const smt::SgSymbols s = smt::make_sg_symbols(ctx, 2);
    const smt::SgLayout l = smt::map_sg_layout(variant, s);
    z3::expr goal = ctx.bool_val(true);
    for (int i = 0; i < 2; ++i)
      goal = goal && !smt::crosses_in_aligned_block(l.pos[i], l.aligned[i], l.iova_len, s.seg_mask);
    const smt::Encoding plain{smt::sg_assumptions(s, l), goal, {}, {smt::roundup_pow_of_two(l.iova_len) != 0}, {}};
    smt::Encoding named = plain;
    const std::vector<smt::NamedRoundup> roundups = smt::sg_roundups(variant, l);
    smt::name_roundups(named, roundups);

    z3::expr_vector from(ctx), to(ctx);
    auto bind = [&](const z3::expr& sym, u64 v) {
      from.push_back(sym);
      to.push_back(sym.get_sort().bv_size() == 32 ? smt::u32c(ctx, static_cast<u32>(v)) : smt::u64c(ctx, v));
    };
    bind(s.granule_mask, (u64{1} << *rc::gen::inRange<unsigned>(9, 31)) - 1);
    bind(s.seg_mask, *low_mask());
    bind(s.max_seg_size, *rc::gen::arbitrary<u32>());
    bind(s.alloc_start, *any_u64());
    for (int i = 0; i < 2; ++i) {
      bind(s.offset[i], *rc::gen::oneOf(rc::gen::arbitrary<u32>(), rc::gen::inRange<u32>(0, 0x20000)));
      bind(s.length[i], *rc::gen::oneOf(rc::gen::arbitrary<u32>(), rc::gen::inRange<u32>(1, 0x100000)));
    }
    auto at = [&](const z3::expr& t) { return z3::expr(t).substitute(from, to); };
    // Each symbol takes the value of the term it names, inner ones first.
    for (const smt::NamedRoundup& r : roundups)
      bind(smt::u64var(ctx, r.name.c_str()), value(at(smt::roundup_pow_of_two(r.x))));
    RC_ASSERT(named.assumptions.size() == plain.assumptions.size() + roundups.size());
    for (std::size_t i = 0; i < named.assumptions.size(); ++i) {
      const bool holds = truth(at(named.assumptions[i].second));
      if (i < plain.assumptions.size()) RC_ASSERT(holds == truth(at(plain.assumptions[i].second)));
      else RC_ASSERT(holds);  // the definitions hold at those values
    }
    RC_ASSERT(truth(at(named.goal)) == truth(at(plain.goal)));
    RC_ASSERT(truth(at(named.realise.at(0))) == truth(at(plain.realise.at(0))));
    // And none of the named roundup_pow_of_two terms is left (each x with the earlier ones
    // renamed): replacing them changes no term.
    z3::expr_vector renamed_from(ctx), renamed_to(ctx);
    for (const smt::NamedRoundup& r : roundups) {
      z3::expr_vector term(ctx), fresh(ctx);
      term.push_back(smt::roundup_pow_of_two(z3::expr(r.x).substitute(renamed_from, renamed_to)));
      fresh.push_back(smt::u64var(ctx, "left_over"));
      const auto untouched = [&](const z3::expr& t) { return z3::eq(z3::expr(t).substitute(term, fresh), t); };
      RC_ASSERT(untouched(named.goal));
      RC_ASSERT(untouched(named.realise.at(0)));
      for (const auto& [what, a] : named.assumptions) RC_ASSERT(untouched(a));
      renamed_from.push_back(term[0]);
      renamed_to.push_back(smt::u64var(ctx, r.name.c_str()));
    }
  });
  // A name the encoding already uses would tie that symbol to the roundup.
  z3::context ctx;
  const smt::SgSymbols s = smt::make_sg_symbols(ctx, 2);
  const smt::SgLayout l = smt::map_sg_layout("mainline", s);
  smt::Encoding e{smt::sg_assumptions(s, l), ctx.bool_val(true), {}, {}, {}};
  REQUIRE_THROWS_AS(smt::name_roundups(e, {{"alloc_start", "iova_len", l.iova_len}}), std::invalid_argument);
}

TEST_CASE("map_sg padding terms agree with the exported ref helpers", "[smt][terms]") {
  rc::prop("v4_4::sg_pad_len, mainline::sg_pad_len, mainline::sg_pads", [] {
    z3::context ctx;
    const u64 iova_len = *rc::gen::inRange<u64>(0, u64{1} << 36) & ~u64{0xfff};
    const u64 s_length = (*rc::gen::inRange<u64>(1, u64{1} << 21)) << 12;
    const u64 mask = *low_mask();
    const z3::expr il = smt::u64c(ctx, iova_len), sl = smt::u64c(ctx, s_length), me = smt::u64c(ctx, mask);
    RC_ASSERT(value(smt::v4_4::sg_pad_len(il, sl)) == v4_4::sg_pad_len(iova_len, s_length));
    const u64 pad = mainline::sg_pad_len(iova_len, mask);
    RC_ASSERT(value(smt::mainline::sg_pad_len(il, me)) == pad);
    RC_ASSERT(truth(smt::mainline::sg_pads(smt::u64c(ctx, pad), sl)) == mainline::sg_pads(pad, s_length));
  });
}

TEST_CASE("__finalise_sg merge tests agree with the exported ref helpers", "[smt][terms]") {
  rc::prop("seed_v5::finalise_can_merge, mainline::finalise_can_merge", [] {
    z3::context ctx;
    const auto u32s = rc::gen::oneOf(rc::gen::arbitrary<u32>(), rc::gen::inRange<u32>(0, 0x3000));
    const u32 a = *u32s, b = *u32s, c = *u32s, d = *u32s, e = *u32s, max_len = *u32s;
    const u64 dma_addr = *rc::gen::oneOf(rc::gen::just<u64>(u64{a} + b), any_u64());
    const u64 mask = *low_mask();
    const auto u = [&](u32 v) { return smt::u32c(ctx, v); };
    RC_ASSERT(truth(smt::seed_v5::finalise_can_merge(u(a), u(b), smt::u64c(ctx, dma_addr), u(c), u(d), u(e),
                                                     u(max_len), smt::u64c(ctx, mask))) ==
              seed_v5::finalise_can_merge(a, b, dma_addr, c, d, e, max_len, mask));
    RC_ASSERT(truth(smt::mainline::finalise_can_merge(u(a), u(c), smt::u64c(ctx, dma_addr), smt::u64c(ctx, mask),
                                                      u(max_len), u(d))) ==
              mainline::finalise_can_merge(a, c, dma_addr, mask, max_len, d));
  });
}

TEST_CASE("map_sg layout and finalise terms predict what each variant's map_sg returns", "[smt][terms]") {
  for (const char* variant : {"seed-v5", "v4.4", "mainline"}) {
    rc::prop(variant, [variant] {
      Config cfg;
      cfg.granule = *rc::gen::element<u64>(4096, 16384, 65536);
      cfg.device.seg_boundary_mask = *rc::gen::element<u64>(~u64{0}, 0xffffffff, 0xfffff, 0xffff, 0x3fff, 0xfff);
      cfg.device.max_seg_size = *rc::gen::inRange<u64>(1, u64{1} << 21);
      std::vector<Scatterlist> sg;
      for (u64 i = 0; i < 2; ++i)
        sg.push_back({(i + 1) << 32, *rc::gen::inRange<u32>(0, 0x20000), *rc::gen::inRange<u32>(1, 0x100000)});
      const std::vector<Scatterlist> in = sg;
      auto dma = find_dma_model(variant)->make(cfg, make_page_table(cfg));
      const int ret = dma->map_sg(sg, Dir::bidirectional);
      RC_ASSERT(ret > 0);
      const IovaRange alloc = dma->iova().allocated().at(0);

      z3::context ctx;
      const smt::SgSymbols s = smt::make_sg_symbols(ctx, 2);
      const smt::SgLayout l = smt::map_sg_layout(variant, s);
      const smt::SgMerge m = smt::finalise_first_two(variant, s, l);
      z3::expr_vector from(ctx), to(ctx);
      auto bind = [&](const z3::expr& sym, const z3::expr& v) { from.push_back(sym); to.push_back(v); };
      bind(s.granule_mask, smt::u64c(ctx, cfg.granule - 1));
      bind(s.seg_mask, smt::u64c(ctx, cfg.device.seg_boundary_mask));
      bind(s.max_seg_size, smt::u32c(ctx, static_cast<u32>(cfg.device.max_seg_size)));
      bind(s.alloc_start, smt::u64c(ctx, alloc.pfn_lo * cfg.granule));
      for (int i = 0; i < 2; ++i) {
        bind(s.offset[i], smt::u32c(ctx, in[i].offset));
        bind(s.length[i], smt::u32c(ctx, in[i].length));
      }
      auto at = [&](const z3::expr& t) { return z3::expr(t).substitute(from, to); };
      // mainline's alloc_iova_fast() rounds small sizes up to a power of two for its rcache.
      const u64 iova_len = value(at(l.iova_len));
      RC_ASSERT(alloc.size() * cfg.granule >= iova_len);
      RC_ASSERT(alloc.size() * cfg.granule <= roundup_pow_of_two(iova_len));
      RC_ASSERT(ret == (truth(at(m.joins)) ? 1 : 2));
      RC_ASSERT(sg[0].dma_address == value(at(m.dma_address)));
      RC_ASSERT(sg[0].dma_length == value(at(m.dma_length)));
    });
  }
}

TEST_CASE("LPAE index and ias terms agree with impl/lpae_geometry.h and the page table", "[smt][terms]") {
  const std::vector<LpaeGeometry>& geoms = smt::lpae_geometries();
  REQUIRE(geoms.size() > 100);
  rc::prop("lpae_lvl_idx, lpae_in_ias", [&geoms] {
    z3::context ctx;
    const LpaeGeometry& g = *rc::gen::elementOf(geoms);
    const unsigned bits = *rc::gen::inRange<unsigned>(g.pg_shift(), 65);
    const u64 iova = (bits == 64 ? *rc::gen::arbitrary<u64>() : *rc::gen::inRange<u64>(0, u64{1} << bits)) &
                     ~(g.granule() - 1);
    const z3::expr x = smt::u64c(ctx, iova);
    for (int l = g.start_level; l < lpae::ARM_LPAE_MAX_LEVELS; ++l)
      RC_ASSERT(value(smt::lpae_lvl_idx(g, x, l)) == g.lvl_idx(iova, l));
    // The page table itself refuses a page outside ias and maps one inside.
    PgtableCfg cfg{g.fmt, lpae_pgsize_bitmap(g.granule(), g.oas), g.ias, g.oas};
    ArmLpaePgtable pt(cfg);
    RC_ASSERT(pt.geometry().start_level == g.start_level && pt.geometry().pgd_bits == g.pgd_bits);
    u64 mapped = 0;
    const int ret = pt.map_pages(iova, 0, g.granule(), 1, prot::read, &mapped);
    RC_ASSERT(truth(smt::lpae_in_ias(x, g.ias)) == (ret == 0));
  });
}

TEST_CASE("SMMU queue terms agree with impl/smmu/queue.h", "[smt][terms]") {
  rc::prop("idx, wrp, ovf, full, empty, has_space, consumed, inc_prod_n", [] {
    z3::context ctx;
    const unsigned shift = *rc::gen::inRange<unsigned>(1, 20);
    // Values near each other in the queue, so full/empty/consumed are hit, and arbitrary ones.
    const u32 prod = *rc::gen::arbitrary<u32>();
    const auto near = rc::gen::oneOf(rc::gen::arbitrary<u32>(),
                                     rc::gen::map(rc::gen::inRange<u32>(0, (u32{2} << shift) + 2),
                                                  [prod](u32 d) { return prod - d; }));
    const u32 cons = *near, n = *rc::gen::inRange<u32>(0, (u32{1} << shift) + 2);
    const z3::expr sh = smt::u32c(ctx, shift), p = smt::u32c(ctx, prod), c = smt::u32c(ctx, cons),
                   ne = smt::u32c(ctx, n);
    RC_ASSERT(value(smt::smmu_q_idx(sh, p)) == smmu_queue::idx(shift, prod));
    RC_ASSERT(value(smt::smmu_q_wrp(sh, p)) == smmu_queue::wrp(shift, prod));
    RC_ASSERT(value(smt::smmu_q_ovf(p)) == smmu_queue::ovf(prod));
    RC_ASSERT(truth(smt::smmu_queue_full(sh, p, c)) == smmu_queue::full(shift, prod, cons));
    RC_ASSERT(truth(smt::smmu_queue_empty(sh, p, c)) == smmu_queue::empty(shift, prod, cons));
    RC_ASSERT(truth(smt::smmu_queue_has_space(sh, p, c, ne)) == smmu_queue::has_space(shift, prod, cons, n));
    RC_ASSERT(truth(smt::smmu_queue_consumed(sh, c, p)) == smmu_queue::consumed(shift, cons, prod));
    RC_ASSERT(value(smt::smmu_queue_inc_prod_n(sh, p, ne)) == smmu_queue::inc_prod_n(shift, prod, n));
  });
}

namespace {

// A command's terms against the planned TlbiRange, tlbi_range_bytes() included.
void check_cmd(z3::context& ctx, const smt::SmmuTlbiCmd& c, const TlbiRange& r, u64 granule, unsigned tg_shift) {
  RC_ASSERT(truth(c.issued));
  RC_ASSERT(!truth(c.throws));
  RC_ASSERT(value(c.addr) == r.addr);
  RC_ASSERT(value(c.tg) == r.tg);
  RC_ASSERT(value(c.scale) == r.scale);
  RC_ASSERT(value(c.num) == r.num);
  RC_ASSERT(value(smt::smmu_tlbi_range_bytes(c.tg, c.scale, c.num, smt::u64c(ctx, granule),
                                             smt::u32c(ctx, tg_shift))) == tlbi_range_bytes(r, granule, tg_shift));
}

}  // namespace

TEST_CASE("SMMU TLBI range terms agree with impl/smmu/tlbi_range.h", "[smt][terms]") {
  rc::prop("with RIL: smmu_tlbi_ril_pages, smmu_tlbi_ril_step", [] {
    z3::context ctx;
    const unsigned tg = *rc::gen::element(12u, 14u, 16u);
    const bool leaf = *rc::gen::arbitrary<bool>();
    // Below 2^48 (the largest ias) so nothing wraps; page counts of every shape, large ones too.
    const u64 pages = *rc::gen::oneOf(rc::gen::inRange<u64>(1, 1 << 12), rc::gen::inRange<u64>(1, u64{1} << (48 - tg)));
    const u64 iova = *rc::gen::inRange<u64>(0, u64{1} << (48 - tg)) << tg, size = pages << tg;
    const std::vector<TlbiRange> plan = tlbi_range_plan(iova, size, u64{1} << tg, tg, true, leaf);
    const z3::expr end = smt::u64c(ctx, iova + size);
    z3::expr cur = smt::u64c(ctx, iova), left = smt::smmu_tlbi_ril_pages(smt::u64c(ctx, size), tg, leaf);
    for (const TlbiRange& r : plan) {
      const smt::SmmuTlbiRilStep s = smt::smmu_tlbi_ril_step(cur, end, left, tg);
      check_cmd(ctx, s.cmd, r, u64{1} << tg, tg);
      cur = s.next_iova.simplify();
      left = s.next_pages.simplify();
    }
    RC_ASSERT(!truth(smt::smmu_tlbi_ril_step(cur, end, left, tg).cmd.issued));
  });
  rc::prop("without RIL: smmu_tlbi_granule_step", [] {
    z3::context ctx;
    const unsigned tg = *rc::gen::element(12u, 14u, 16u);
    const u64 granule = u64{1} << *rc::gen::inRange<unsigned>(tg, 40);
    // Near the top of the address space too, where iova + size wraps (no command).
    const u64 iova = *rc::gen::oneOf(rc::gen::map(rc::gen::inRange<u64>(0, u64{1} << 20), [granule](u64 i) { return i * granule; }),
                                     rc::gen::just(0 - 40 * granule));
    const u64 size = *rc::gen::inRange<u64>(1, 65) * granule;
    const std::vector<TlbiRange> plan = tlbi_range_plan(iova, size, granule, tg, false, true);
    const z3::expr end = smt::u64c(ctx, iova + size), g = smt::u64c(ctx, granule);
    z3::expr x = smt::u64c(ctx, iova);
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const smt::SmmuTlbiGranuleStep s = smt::smmu_tlbi_granule_step(x, end, g);
      RC_ASSERT(truth(s.issued));
      RC_ASSERT(value(x) == plan[i].addr);
      RC_ASSERT(value(smt::smmu_tlbi_range_bytes(smt::u32c(ctx, plan[i].tg), smt::u32c(ctx, 0), smt::u32c(ctx, 0), g,
                                                 smt::u32c(ctx, tg))) == tlbi_range_bytes(plan[i], granule, tg));
      // The plan stops after a command whose next position wraps, or when the next is not below end.
      const bool last = i + 1 == plan.size();
      RC_ASSERT(last == (truth(s.breaks) || !truth(smt::smmu_tlbi_granule_step(s.next, end, g).issued)));
      x = s.next.simplify();
    }
  });
}
