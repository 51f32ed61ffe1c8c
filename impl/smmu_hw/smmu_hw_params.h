// What an SMMUv3 instance implements (its ID registers and the model's cache shapes), and the
// counters it keeps. Part of the public API of impl/smmu_hw/smmu_hw.h.
#pragma once
#include "spec/types.h"

namespace iovet {

struct SmmuHwParams {
  unsigned sidsize = 8;           // IDR1.SIDSIZE
  bool st_2lvl = false;           // IDR0.ST_LVL = 2-level supported
  bool ril = true;                // IDR3.RIL
  bool asid16 = true, vmid16 = true;
  bool s1 = true, s2 = true;      // IDR0.S1P/S2P
  unsigned oas = 48;              // IDR5.OAS as bits (32,36,40,42,44,48,52)
  bool gran4k = true, gran16k = true, gran64k = true;
  unsigned cmdq_log2 = 8;         // IDR1.CMDQS
  unsigned evtq_log2 = 7;         // IDR1.EVTQS
  unsigned cmdq_per_poll = 4;     // commands consumed per CMDQ_CONS read
  unsigned iotlb_entries = 64;
  enum class Replacement { lru, fifo, random } replacement = Replacement::lru;
  u64 seed = 1;                   // random replacement, deterministic
  unsigned cfg_cache_entries = 16;  // STE/CD configuration cache
  unsigned walk_cache_entries = 16; // intermediate table descriptors
};

struct SmmuHwStats {
  u64 iotlb_hits = 0, iotlb_misses = 0, cfg_hits = 0, cfg_misses = 0, walks = 0;
};

}  // namespace iovet
