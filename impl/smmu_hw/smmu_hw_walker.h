// The SMMU's translation table walker: VMSAv8-64 stage-1 and stage-2 walks over descriptors in
// system memory (Arm DDI 0487 D8, as SMMUv3 IHI 0070 3.4 uses them). No LPA2, no HTTU: the
// access flag faults unless the configuration disables that fault (CD.AFFD / STE.S2AFFD).
#pragma once
#include "impl/smmu_hw/smmu_hw_bits.h"
#include "impl/system_memory.h"

namespace iovet::smmu_hw {

inline constexpr int max_level = 3;

// Descriptor fields (VMSAv8-64 long descriptors).
namespace desc {
inline constexpr u64 VALID = bit(0);
inline constexpr u64 TABLE = bit(1);               // at levels 0-2; set on a level-3 page too
inline constexpr u64 ADDR_48 = genmask(47, 12);    // next-level table / output address
inline constexpr u64 ADDR_64K_HI = genmask(15, 12);  // 64K granule: OA[51:48] (FEAT_LPA)
inline constexpr unsigned ADDR_64K_HI_SHIFT = 48;
inline constexpr u64 AF = bit(10);
inline constexpr u64 S1_AP2_RDONLY = bit(7);       // AP[2]: read-only
inline constexpr u64 S1_NG = bit(11);              // not global: tagged with the ASID
inline constexpr u64 S2AP_READ = bit(6);           // S2AP[0]
inline constexpr u64 S2AP_WRITE = bit(7);          // S2AP[1]
}  // namespace desc

enum class Fault : unsigned char { none, translation, addr_size, access, permission, walk_eabt };

// What a walk needs, decoded from a CD (stage 1) or an STE (stage 2).
struct WalkCfg {
  u64 ttb = 0;
  unsigned ias = 0;        // input address bits: 64 - T0SZ
  unsigned pg_shift = 12;  // translation granule
  unsigned ps = 48;        // output address bits (IPS / S2PS capped at the SMMU's OAS)
  int start_level = 0;
  bool stage2 = false;
  bool affd = false;       // access flag faults disabled
  bool lpa = false;        // 52-bit OA: 64K level-1 blocks exist
};

struct WalkResult {
  Fault fault = Fault::none;
  int level = 0;             // leaf level, or the level whose descriptor faulted
  unsigned block_shift = 0;  // log2 of the leaf's size
  u64 in_base = 0;           // input address of the leaf's first byte
  u64 out_base = 0;          // output address of the leaf's first byte
  bool read = false, write = false;
  bool global = true;        // stage 1: nG clear
  u64 fetch_addr = 0;        // descriptor address of an external abort
};

// ARM_LPAE_LVL_SHIFT in architecture terms: the input bit a level's index starts at.
constexpr unsigned level_shift(unsigned pg_shift, int lvl) {
  return pg_shift + (pg_shift - 3) * static_cast<unsigned>(max_level - lvl);
}
// Stage 1: the start level follows from the input size (no concatenation).
int s1_start_level(unsigned pg_shift, unsigned ias);
// Stage 2: VTCR.SL0 as STE.S2SL0 holds it; -1 for an encoding this SMMU reserves.
int s2_start_level(unsigned pg_shift, unsigned sl0);
// The start level resolves at least one bit and, with concatenation (stage 2 only), at most
// 16 tables' worth.
bool start_level_consistent(const WalkCfg& c);

// Where a walk starts when a walk cache supplies a table, and the tables a walk passed through
// (table[l]: the table a level-l descriptor pointed to, 0 where the walk did not go).
struct WalkStart {
  int level = 0;
  u64 table = 0;
};
struct WalkTables {
  u64 table[max_level] = {};
};

WalkResult walk_tables(const SystemMemory& mem, const WalkCfg& c, u64 ia, const WalkStart* from = nullptr,
                       WalkTables* seen = nullptr);

}  // namespace iovet::smmu_hw
