// Random io-pgtable workloads: map, unmap and lookup sequences as a case of target pgtable
// (corpus-format.md 1.4), over every format x granule x ias/oas combination.
#pragma once
#include <string>

#include <rapidcheck.h>

#include "case/case.h"

namespace iovet::gen {

// Stage 1 or 2; 4K, 16K or 64K; ias <= oas from {32, 36, 40, 42, 44, 48} (52 with 64K); both
// partial_unmap policies; config.pgtable = kind.
rc::Gen<Config> pgtable_config(PgtableKind kind);

// Up to 24 ops clustered in a window of a few of the largest blocks (at the bottom or the top
// of ias, so ranges cross it), with page sizes from the format's bitmap: overlapping maps,
// maps crossing table batches, partial unmaps of blocks, exact unmaps of earlier maps,
// lookups, a few malformed requests (unaligned, a size not in the bitmap, beyond ias or oas),
// and often an unmap of the whole window at the end (pt.leak). Steps name earlier maps by
// index modulo the maps so far, so every shrunk case is still valid. For a variant that
// trusts its caller (Variant::trusts_caller: the kernel's own io-pgtable-arm.c) the workload
// keeps to the IOMMU core's contract: no malformed request, no map over an earlier one, no
// unmap of what was not mapped.
rc::Gen<Case> pgtable_case(PgtableKind kind, const std::string& variant);

}  // namespace iovet::gen
