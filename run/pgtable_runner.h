// Replays a case of target pgtable (corpus-format.md 1.4) on the page table its variant or
// config.pgtable selects, and judges every op with spec/pt_judge.
#pragma once
#include "case/case.h"
#include "run/run.h"
#include "run/variants.h"

namespace iovet {

// The table is the variant's: "impl", "ref", a kernel tree's io-pgtable-arm.c, or for a hand
// DMA model the one config.pgtable names. Throws InputError for an op of another target, or a
// config the table cannot be built with (the pointer names the field, /config/oas).
RunResult run_pgtable_case(const Case& c, const RunOptions& opt, const Variant& v);

}  // namespace iovet
