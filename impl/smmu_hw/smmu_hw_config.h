// Configuration structures (IHI 0070 chapter 5): the stream table (linear or 2-level through
// L1 descriptors), STEs and context descriptors, decoded and validated as the SMMU fetches
// them. This SMMU has SSIDSIZE = 0: a stage-1 STE points at exactly one CD (S1CDMax = 0).
#pragma once
#include "impl/smmu_hw/smmu_hw_params.h"
#include "impl/smmu_hw/smmu_hw_walker.h"
#include "spec/unit/smmu.h"

namespace iovet::smmu_hw {

namespace ste {
inline constexpr unsigned DWORDS = 8;
inline constexpr u64 SIZE = DWORDS * 8;
inline constexpr u64 L1_SIZE = 8;                   // L1STD
inline constexpr u64 L1_SPAN = genmask(4, 0);
inline constexpr u64 L1_L2PTR = genmask(51, 6);
// dword 0
inline constexpr u64 V = bit(0);
inline constexpr u64 CONFIG = genmask(3, 1);
inline constexpr u64 CONFIG_ABORT = 0;
inline constexpr u64 CONFIG_BYPASS = 4;
inline constexpr u64 CONFIG_S1 = 5;
inline constexpr u64 CONFIG_S2 = 6;
inline constexpr u64 S1CTXPTR = genmask(51, 6);
inline constexpr u64 S1CDMAX = genmask(63, 59);
// dword 2
inline constexpr u64 S2VMID = genmask(15, 0);
inline constexpr u64 S2T0SZ = genmask(37, 32);
inline constexpr u64 S2SL0 = genmask(39, 38);
inline constexpr u64 S2TG = genmask(47, 46);
inline constexpr u64 S2PS = genmask(50, 48);
inline constexpr u64 S2AA64 = bit(51);
inline constexpr u64 S2ENDI = bit(52);
inline constexpr u64 S2AFFD = bit(53);
// dword 3
inline constexpr u64 S2TTB = genmask(51, 4);
}  // namespace ste

namespace cd {
inline constexpr unsigned DWORDS = 8;
// dword 0
inline constexpr u64 T0SZ = genmask(5, 0);
inline constexpr u64 TG0 = genmask(7, 6);
inline constexpr u64 EPD0 = bit(14);
inline constexpr u64 ENDI = bit(15);
inline constexpr u64 EPD1 = bit(30);
inline constexpr u64 V = bit(31);
inline constexpr u64 IPS = genmask(34, 32);
inline constexpr u64 AFFD = bit(35);
inline constexpr u64 AA64 = bit(41);
inline constexpr u64 ASID = genmask(63, 48);
// dword 1
inline constexpr u64 TTB0 = genmask(51, 4);
// dword 3 is MAIR
inline constexpr unsigned T0SZ_MIN = 16;  // 48-bit VA (no VAX)
inline constexpr unsigned T0SZ_MAX = 39;  // no small translation tables (IDR3.STT = 0)
}  // namespace cd

// The stream table as SMMU_STRTAB_BASE / _CFG describe it.
struct StrtabRegs {
  u64 base = 0;
  u32 cfg = 0;
};

enum class CfgFault : unsigned char { none, bad_streamid, ste_fetch, bad_ste, cd_fetch, bad_cd };

struct SteConfig {
  StreamView::Kind kind = StreamView::Kind::invalid;
  u64 cd_ptr = 0;      // S1ContextPtr
  u32 vmid = 0;        // S2VMID, tagging stage-1 entries too
  WalkCfg s2;          // stage 2 only
  unsigned s2_t0sz = 0, s2_sl0 = 0, s2_ps_bits = 0;
};

struct CdConfig {
  u32 asid = 0;
  WalkCfg s1;
  bool epd0 = false;   // TTB0 walks disabled: every access is a translation fault
  bool epd1 = false;
  unsigned t0sz = 0, ips_bits = 0;
  u64 mair = 0;
};

struct SteFetch {
  CfgFault fault = CfgFault::none;
  u64 fetch_addr = 0;  // F_STE_FETCH
  SteConfig ste;
};
struct CdFetch {
  CfgFault fault = CfgFault::none;
  u64 fetch_addr = 0;  // F_CD_FETCH
  bool v = false;      // CD.V (a V=1 C_BAD_CD is ILLEGAL)
  CdConfig cd;
};

// Stream table walk and STE decode (IHI 0070 3.3.2, 5.2): C_BAD_STREAMID for a SID beyond the
// table or behind an invalid L1 descriptor, C_BAD_STE for V=0 or an ILLEGAL STE.
SteFetch fetch_ste(const SystemMemory& mem, const SmmuHwParams& p, const StrtabRegs& st, u32 sid);
// The CD at a stage-1 STE's S1ContextPtr (5.4): C_BAD_CD for V=0 or an ILLEGAL CD.
CdFetch fetch_cd(const SystemMemory& mem, const SmmuHwParams& p, u64 cd_ptr);

// The views the spec judges: STE fields in use and, for stage 1, the CD's.
StreamView make_stream_view(const SteFetch& s, const CdFetch* c);

// ASID and VMID width: with IDR0.ASID16 / VMID16 clear, bits [15:8] are ignored.
inline u32 asid_mask(const SmmuHwParams& p) { return p.asid16 ? 0xffff : 0xff; }
inline u32 vmid_mask(const SmmuHwParams& p) { return p.vmid16 ? 0xffff : 0xff; }

// IDR5.OAS / CD.IPS / STE.S2PS encodings as address widths; 0 for a reserved encoding.
unsigned ps_bits(unsigned encoding);
unsigned ps_encoding(unsigned bits);

}  // namespace iovet::smmu_hw
