// iommu_dma_map_sg() of each variant as Z3 terms over a bounded, symbolic scatterlist: the
// first loop's layout (what each entry's s->length becomes, where its granules sit in the one
// IOVA allocation) and __finalise_sg()'s step over the first two entries. Every field has the
// C type the variant's code gives it: s->offset, s->length, sg_dma_len() and the finalise
// locals are `unsigned int`, iova_len and dma_addr are size_t / dma_addr_t.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <z3++.h>

#include "smt/named_roundup.h"

namespace iovet::smt {

// The free variables of a map_sg query.
struct SgSymbols {
  z3::expr granule_mask;  // granule - 1
  z3::expr seg_mask;      // dma_get_seg_boundary(): 2^k - 1, ~0UL included
  z3::expr max_seg_size;  // dma_get_max_seg_size(): unsigned int
  z3::expr alloc_start;   // iova_dma_addr() of the allocation
  std::vector<z3::expr> offset;  // s->offset, unsigned int
  std::vector<z3::expr> length;  // s->length, unsigned int
};
SgSymbols make_sg_symbols(z3::context& ctx, int nents);
// Name/term pairs of the symbols, for counterexample models.
std::vector<std::pair<std::string, z3::expr>> sg_model_vars(const SgSymbols& s);

struct SgLayout {
  std::vector<z3::expr> iova_off;   // 64: iova_offset(s->offset), kept inside the granule
  std::vector<z3::expr> aligned;    // 64: iova_align(length + iova_off), the entry's granules
  std::vector<z3::expr> stash;      // 32: what sg_dma_address() hides for __finalise_sg's s_offset
  std::vector<z3::expr> sg_length;  // 32: s->length when iommu_map_sg() runs (padding included)
  std::vector<z3::expr> pos;        // 64: where entry i's granules start, from the allocation start
  z3::expr iova_len;                // 64: what is allocated
  z3::expr mapped;                  // 64: what iommu_map_sg() maps (the sum of s->length)
};
// variant: seed-v5, v4.4 or mainline.
SgLayout map_sg_layout(std::string_view variant, const SgSymbols& s);

// __finalise_sg() over entries 0 and 1: does entry 1 join the segment entry 0 opened, and
// what are that segment's sg_dma_address() and sg_dma_len() after the step.
struct SgMerge {
  z3::expr joins;
  z3::expr dma_address;  // 64
  z3::expr dma_length;   // 32
};
SgMerge finalise_first_two(std::string_view variant, const SgSymbols& s, const SgLayout& l);

// What every map_sg query assumes: the case format's ranges, a successful map (iommu_map_sg
// mapped iova_len bytes: no s->length was truncated) and a size-aligned allocation.
std::vector<std::pair<std::string, z3::expr>> sg_assumptions(const SgSymbols& s, const SgLayout& l);

// The roundup_pow_of_two() terms of a map_sg query, inner first, for name_roundups(): v4.4's
// padding target of each entry after the first, then the allocation's alignment.
std::vector<NamedRoundup> sg_roundups(std::string_view variant, const SgLayout& l);

// The exported pure helpers of ref/dma/*, term for term.
namespace v4_4 {
z3::expr sg_pad_len(const z3::expr& iova_len, const z3::expr& s_length);
}
namespace mainline {
z3::expr sg_pad_len(const z3::expr& iova_len, const z3::expr& mask);
z3::expr sg_pads(const z3::expr& pad_len, const z3::expr& s_length);
z3::expr finalise_can_merge(const z3::expr& cur_len, const z3::expr& s_iova_off, const z3::expr& dma_addr,
                            const z3::expr& seg_mask, const z3::expr& max_len, const z3::expr& s_length);
}  // namespace mainline
namespace seed_v5 {
z3::expr finalise_can_merge(const z3::expr& seg_dma, const z3::expr& seg_len, const z3::expr& dma_addr,
                            const z3::expr& s_offset, const z3::expr& s_length, const z3::expr& s_dma_len,
                            const z3::expr& max_len, const z3::expr& seg_mask);
}

}  // namespace iovet::smt
