// Turning an SMMU invalidation counterexample into a case of target smmu: the whole stack
// (mainline dma-iommu, impl/'s LPAE table, SMMUv3 driver and hardware model) maps one buffer,
// a device reaches it, the buffer is unmapped and the device tries again.
#pragma once
#include <string>

#include "case/case.h"
#include "spec/types.h"

namespace iovet::smt {

// The case's dma_mask (48 bits): an empty domain's top-down, size-aligned allocation of a
// power-of-two size puts the buffer at kSmmuWitnessDmaMask + 1 - size.
inline constexpr u64 kSmmuWitnessDmaMask = (u64{1} << 48) - 1;

// Stream 0 attached to the DMA domain; map_page of `size` bytes (a power of two, at a
// size-aligned physical page); an access to its middle that must reach it; unmap_page; the
// same access again, which the smmu rules judge.
Case smmu_unmap_case(const std::string& id, const std::string& description, u64 size);

}  // namespace iovet::smt
