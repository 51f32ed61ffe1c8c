// Circular queue pointers (IHI 0070 3.5): an index of LOG2SIZE bits with a wrap bit above it.
// Empty when index and wrap are equal; full when the index is equal and the wrap differs.
#pragma once
#include <algorithm>

#include "impl/smmu_hw/smmu_hw_regs.h"

namespace iovet::smmu_hw {

struct QueuePtrs {
  u64 base = 0;  // SMMU_*Q_BASE as written
  u32 prod = 0, cons = 0;

  // LOG2SIZE, capped at what the SMMU implements (IDR1.CMDQS / EVTQS).
  unsigned log2size(unsigned max_log2) const {
    return std::min(static_cast<unsigned>(field_get(reg::Q_BASE_LOG2SIZE, base)), max_log2);
  }
  u64 entry_pa(u32 ptr, unsigned log2, u64 ent_size) const {
    return (base & reg::Q_BASE_ADDR) + u64{index(ptr, log2)} * ent_size;
  }
  static u32 ptr_mask(unsigned log2) { return (2u << log2) - 1; }  // index and wrap bit
  static u32 index(u32 ptr, unsigned log2) { return ptr & ((1u << log2) - 1); }
  static u32 inc(u32 ptr, unsigned log2) { return (ptr + 1) & ptr_mask(log2); }
  static bool empty(u32 prod, u32 cons, unsigned log2) {
    return ((prod ^ cons) & ptr_mask(log2)) == 0;
  }
  static bool full(u32 prod, u32 cons, unsigned log2) {
    return ((prod ^ cons) & ptr_mask(log2)) == (1u << log2);
  }
  // Entries between cons and prod, as the wrap bits count them.
  static u32 used(u32 prod, u32 cons, unsigned log2) {
    return ((prod & ptr_mask(log2)) - (cons & ptr_mask(log2))) & ptr_mask(log2);
  }
};

}  // namespace iovet::smmu_hw
