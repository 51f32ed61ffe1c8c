#include "smt/sg_terms.h"

#include <stdexcept>

#include "smt/bv.h"
#include "smt/iova_terms.h"

namespace iovet::smt {

SgSymbols make_sg_symbols(z3::context& ctx, int nents) {
  SgSymbols s{u64var(ctx, "granule_mask"), u64var(ctx, "seg_boundary_mask"), u32var(ctx, "max_seg_size"),
              u64var(ctx, "alloc_start"), {}, {}};
  for (int i = 0; i < nents; ++i) {
    s.offset.push_back(u32var(ctx, ("offset" + std::to_string(i)).c_str()));
    s.length.push_back(u32var(ctx, ("length" + std::to_string(i)).c_str()));
  }
  return s;
}

std::vector<std::pair<std::string, z3::expr>> sg_model_vars(const SgSymbols& s) {
  std::vector<std::pair<std::string, z3::expr>> v{{"granule_mask", s.granule_mask},
                                                  {"seg_boundary_mask", s.seg_mask},
                                                  {"max_seg_size", s.max_seg_size},
                                                  {"alloc_start", s.alloc_start}};
  for (std::size_t i = 0; i < s.offset.size(); ++i) {
    v.emplace_back("offset" + std::to_string(i), s.offset[i]);
    v.emplace_back("length" + std::to_string(i), s.length[i]);
  }
  return v;
}

z3::expr v4_4::sg_pad_len(const z3::expr& iova_len, const z3::expr& s_length) {
  const z3::expr pad = roundup_pow_of_two(s_length);
  return (pad - iova_len) & (pad - u64c(iova_len.ctx(), 1));
}

z3::expr mainline::sg_pad_len(const z3::expr& iova_len, const z3::expr& mask) {
  return (mask - iova_len + u64c(mask.ctx(), 1)) & mask;
}

z3::expr mainline::sg_pads(const z3::expr& pad_len, const z3::expr& s_length) {
  z3::context& ctx = pad_len.ctx();
  return pad_len != u64c(ctx, 0) && z3::ult(pad_len, s_length - u64c(ctx, 1));
}

z3::expr mainline::finalise_can_merge(const z3::expr& cur_len, const z3::expr& s_iova_off, const z3::expr& dma_addr,
                                      const z3::expr& seg_mask, const z3::expr& max_len, const z3::expr& s_length) {
  z3::context& ctx = cur_len.ctx();
  return cur_len != u32c(ctx, 0) && s_iova_off == u32c(ctx, 0) && (dma_addr & seg_mask) != u64c(ctx, 0) &&
         z3::uge(max_len - cur_len, s_length);
}

z3::expr seed_v5::finalise_can_merge(const z3::expr& seg_dma, const z3::expr& seg_len, const z3::expr& dma_addr,
                                     const z3::expr& s_offset, const z3::expr& s_length, const z3::expr& s_dma_len,
                                     const z3::expr& max_len, const z3::expr& seg_mask) {
  z3::context& ctx = seg_dma.ctx();
  return seg_len != u32c(ctx, 0) && widen(seg_dma + seg_len) == dma_addr + widen(s_offset) &&
         z3::ule(seg_len + s_dma_len, max_len) &&
         z3::ule(widen(seg_dma) & seg_mask, seg_mask - widen(seg_len + s_length));
}

SgLayout map_sg_layout(std::string_view variant, const SgSymbols& s) {
  if (variant != "seed-v5" && variant != "v4.4" && variant != "mainline")
    throw std::invalid_argument("no map_sg terms for variant " + std::string(variant));
  z3::context& ctx = s.granule_mask.ctx();
  const z3::expr& mask = s.seg_mask;
  SgLayout l{{}, {}, {}, {}, {}, u64c(ctx, 0), u64c(ctx, 0)};
  for (std::size_t i = 0; i < s.offset.size(); ++i) {
    const z3::expr off = iova_offset(s.granule_mask, widen(s.offset[i]));
    const z3::expr aligned = iova_align(s.granule_mask, widen(s.length[i]) + off);
    // seed-v5 hides the whole s->offset; later variants only its in-granule part.
    l.stash.push_back(variant == "seed-v5" ? s.offset[i] : narrow(off));
    l.iova_off.push_back(off);
    l.aligned.push_back(aligned);
    if (i > 0 && variant != "seed-v5") {
      // The padding goes onto the previous entry's s->length (an unsigned int).
      z3::expr pad = variant == "v4.4" ? v4_4::sg_pad_len(l.iova_len, aligned) : mainline::sg_pad_len(l.iova_len, mask);
      if (variant == "mainline") pad = z3::ite(mainline::sg_pads(pad, aligned), pad, u64c(ctx, 0));
      l.sg_length[i - 1] = narrow(widen(l.sg_length[i - 1]) + pad);
      l.iova_len = l.iova_len + pad;
    }
    l.sg_length.push_back(narrow(aligned));
    l.iova_len = l.iova_len + aligned;
  }
  z3::expr pos = u64c(ctx, 0);
  for (const z3::expr& len : l.sg_length) {
    l.pos.push_back(pos);
    pos = pos + widen(len);
  }
  l.mapped = pos;
  return l;
}

SgMerge finalise_first_two(std::string_view variant, const SgSymbols& s, const SgLayout& l) {
  z3::context& ctx = s.granule_mask.ctx();
  const z3::expr& mask = s.seg_mask;
  const z3::expr& a = s.alloc_start;
  // Entry 0 always opens segment 0 at its stashed offset.
  const z3::expr dma_address = a + widen(l.stash[0]);
  const z3::expr dma_addr1 = a + widen(l.sg_length[0]);
  if (variant == "seed-v5") {
    const z3::expr seg_len = l.stash[0] + s.length[0];
    const z3::expr seg_dma = narrow(dma_address);
    const z3::expr joins = seed_v5::finalise_can_merge(seg_dma, seg_len, dma_addr1, l.stash[1], s.length[1],
                                                       l.sg_length[1], s.max_seg_size, mask);
    const z3::expr first = l.sg_length[0] - l.stash[0];
    return {joins, dma_address, z3::ite(joins, first + l.sg_length[1], first)};
  }
  if (variant == "mainline") {
    // cur_len is cleared when entry 0 does not fill its granules (and padding).
    const z3::expr cur_len = z3::ite(z3::ult(s.length[0] + l.stash[0], l.sg_length[0]), u32c(ctx, 0), s.length[0]);
    const z3::expr joins =
        mainline::finalise_can_merge(cur_len, l.stash[1], dma_addr1, mask, s.max_seg_size, s.length[1]);
    return {joins, dma_address, z3::ite(joins, cur_len + s.length[1], s.length[0])};
  }
  return {ctx.bool_val(false), dma_address, s.length[0]};  // v4.4: one segment per entry
}

std::vector<std::pair<std::string, z3::expr>> sg_assumptions(const SgSymbols& s, const SgLayout& l) {
  z3::context& ctx = s.granule_mask.ctx();
  const z3::expr one = u64c(ctx, 1);
  z3::expr lengths = ctx.bool_val(true);
  for (const z3::expr& len : s.length) lengths = lengths && len != u32c(ctx, 0);
  const z3::expr align = roundup_pow_of_two(l.iova_len);
  return {
      {"the granule is a power of two from 512 bytes to 1 GiB",
       is_low_mask(s.granule_mask) && z3::uge(s.granule_mask, u64c(ctx, 511)) &&
           z3::ule(s.granule_mask, u64c(ctx, (u64{1} << 30) - 1))},
      {"seg_boundary_mask is 2^k - 1 (0 <= k <= 64)", is_low_mask(s.seg_mask)},
      {"max_seg_size >= 1", s.max_seg_size != u32c(ctx, 0)},
      {"every s->length > 0", lengths},
      {"iommu_map_sg() maps iova_len bytes (no s->length was truncated), so map_sg reaches __finalise_sg",
       l.mapped == l.iova_len},
      {"the allocation starts at a multiple of roundup_pow_of_two(iova_len) (alloc_iova size_aligned)",
       align != u64c(ctx, 0) && (s.alloc_start & (align - one)) == u64c(ctx, 0)},
      {"the allocation does not wrap the 64-bit IOVA space",
       z3::ule(s.alloc_start, s.alloc_start + l.iova_len - one)},
  };
}

std::vector<NamedRoundup> sg_roundups(std::string_view variant, const SgLayout& l) {
  std::vector<NamedRoundup> v;
  if (variant == "v4.4")
    for (std::size_t i = 1; i < l.aligned.size(); ++i)
      v.push_back({"pad_pow" + std::to_string(i), "entry " + std::to_string(i) + "'s aligned length", l.aligned[i]});
  v.push_back({"alloc_align", "iova_len", l.iova_len});
  return v;
}

}  // namespace iovet::smt
