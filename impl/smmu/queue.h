// Index arithmetic of the SMMUv3 circular queues (arm-smmu-v3.c: Q_IDX, Q_WRP, Q_OVF,
// queue_full, queue_empty, queue_has_space, queue_consumed, queue_inc_prod_n). A PROD/CONS
// value holds the index in bits [shift-1:0], the wrap bit at bit `shift` and the overflow flag
// at bit 31; a queue has 2^shift entries.
#pragma once
#include "spec/types.h"

namespace iovet::smmu_queue {

inline constexpr u32 overflow_flag = 1u << 31;  // Q_OVERFLOW_FLAG

inline u32 idx(unsigned shift, u32 p) { return p & ((u32{1} << shift) - 1); }  // Q_IDX
inline u32 wrp(unsigned shift, u32 p) { return p & (u32{1} << shift); }        // Q_WRP
inline u32 ovf(u32 p) { return p & overflow_flag; }                             // Q_OVF

// queue_full(): same index, opposite wrap.
inline bool full(unsigned shift, u32 prod, u32 cons) {
  return idx(shift, prod) == idx(shift, cons) && wrp(shift, prod) != wrp(shift, cons);
}

// queue_empty(): same index, same wrap.
inline bool empty(unsigned shift, u32 prod, u32 cons) {
  return idx(shift, prod) == idx(shift, cons) && wrp(shift, prod) == wrp(shift, cons);
}

// queue_has_space(): free slots between prod and cons, at least n.
inline bool has_space(unsigned shift, u32 prod, u32 cons, u32 n) {
  const u32 p = idx(shift, prod), c = idx(shift, cons);
  const u32 space = wrp(shift, prod) == wrp(shift, cons) ? (u32{1} << shift) - (p - c) : c - p;
  return space >= n;
}

// queue_consumed(): cons has moved past the entry at prod_of_entry.
inline bool consumed(unsigned shift, u32 cons, u32 prod_of_entry) {
  const bool same_wrap = wrp(shift, cons) == wrp(shift, prod_of_entry);
  const u32 c = idx(shift, cons), p = idx(shift, prod_of_entry);
  return (same_wrap && c > p) || (!same_wrap && c <= p);
}

// queue_inc_prod_n(): advance by n, carrying into the wrap bit, keeping prod's overflow flag.
inline u32 inc_prod_n(unsigned shift, u32 prod, u32 n) {
  const u32 p = (wrp(shift, prod) | idx(shift, prod)) + n;
  return ovf(prod) | wrp(shift, p) | idx(shift, p);
}

}  // namespace iovet::smmu_queue
