// Replays a case of target pgtable (corpus-format.md 1.4) on the page table its variant or
// config.pgtable selects, and judges every op with spec/pt_judge.
#pragma once
#include "case/case.h"
#include "run/run.h"

namespace iovet {

// The table: --variant (else the case's variant) "impl", "ref" or a registered planted one;
// "mainline" or a dma variant's name leaves the choice to config.pgtable. Throws InputError
// for an unknown variant, an op of another target, or a config the table cannot be built
// with (the pointer names the field, /config/oas).
RunResult run_pgtable_case(const Case& c, const RunOptions& opt);

}  // namespace iovet
