// Turning a map_sg counterexample into a case: the constraints that make a model replayable
// (case-format ranges, an allocation where the top-down allocator really puts it) and the case.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <z3++.h>

#include "case/case.h"
#include "smt/obligation.h"
#include "smt/sg_terms.h"

namespace iovet::smt {

// The symbol the witness's dma_mask comes from.
z3::expr dma_mask_var(z3::context& ctx);

// 4 KiB granule and pages, small offsets and lengths, and alloc_start where an empty
// allocator puts iova_len below the dma_mask: dma_mask + 1 - roundup_pow_of_two(iova_len).
// within_max_seg_size: every entry is at most max_seg_size, as callers honouring dma_parms
// give them (which keeps mainline's u32 merge test from wrapping).
std::vector<z3::expr> sg_realise(const SgSymbols& s, const SgLayout& l, const z3::expr& dma_mask,
                                 bool within_max_seg_size);

// One map_sg op of the model's entries (each on its own granule-aligned page) under the
// model's granule, seg_boundary_mask, max_seg_size and dma_mask.
Case sg_case(const std::string& id, std::string_view variant, const std::string& description,
             const ModelValues& m, int nents);

}  // namespace iovet::smt
