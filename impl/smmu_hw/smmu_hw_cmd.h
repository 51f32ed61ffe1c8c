// Command queue entries (IHI 0070 4.1-4.7): a 16-byte command decoded into SmmuCommand and
// checked. An unknown opcode, a set reserved bit, a reserved CMD_SYNC.CS or a command for a
// feature this SMMU lacks (EL2, ATS, PRI, stalls, a missing stage, range TLBI without RIL) is
// ILLEGAL (CERROR_ILL).
#pragma once
#include "impl/smmu_hw/smmu_hw_bits.h"
#include "impl/smmu_hw/smmu_hw_params.h"
#include "spec/unit/smmu.h"

namespace iovet::smmu_hw {

namespace cmd {
inline constexpr u64 ENT_SIZE = 16;
inline constexpr u64 OP = genmask(7, 0);
inline constexpr u64 SSV = bit(11);

inline constexpr unsigned OP_PREFETCH_CONFIG = 0x01;
inline constexpr unsigned OP_PREFETCH_ADDR = 0x02;
inline constexpr unsigned OP_CFGI_STE = 0x03;
inline constexpr unsigned OP_CFGI_STE_RANGE = 0x04;  // CFGI_ALL is RANGE = 31
inline constexpr unsigned OP_CFGI_CD = 0x05;
inline constexpr unsigned OP_CFGI_CD_ALL = 0x06;
inline constexpr unsigned OP_TLBI_NH_ALL = 0x10;
inline constexpr unsigned OP_TLBI_NH_ASID = 0x11;
inline constexpr unsigned OP_TLBI_NH_VA = 0x12;
inline constexpr unsigned OP_TLBI_NH_VAA = 0x13;
inline constexpr unsigned OP_TLBI_S12_VMALL = 0x28;
inline constexpr unsigned OP_TLBI_S2_IPA = 0x2a;
inline constexpr unsigned OP_TLBI_NSNH_ALL = 0x30;
inline constexpr unsigned OP_CMD_SYNC = 0x46;

// CFGI_* and PREFETCH_*
inline constexpr u64 CFGI_0_SSID = genmask(31, 12);
inline constexpr u64 CFGI_0_SID = genmask(63, 32);
inline constexpr u64 CFGI_1_LEAF = bit(0);
inline constexpr u64 CFGI_1_RANGE = genmask(4, 0);
inline constexpr u64 CFGI_RANGE_ALL = 31;
inline constexpr u64 PREFETCH_1_SIZE = genmask(4, 0);
inline constexpr u64 PREFETCH_1_ADDR = genmask(63, 12);

// TLBI_*
inline constexpr u64 TLBI_0_NUM = genmask(16, 12);
inline constexpr u64 TLBI_0_SCALE = genmask(24, 20);
inline constexpr u64 TLBI_0_VMID = genmask(47, 32);
inline constexpr u64 TLBI_0_ASID = genmask(63, 48);
inline constexpr u64 TLBI_1_LEAF = bit(0);
inline constexpr u64 TLBI_1_TTL = genmask(9, 8);
inline constexpr u64 TLBI_1_TG = genmask(11, 10);
inline constexpr u64 TLBI_1_VA = genmask(63, 12);
inline constexpr u64 TLBI_1_IPA = genmask(51, 12);

// CMD_SYNC
inline constexpr u64 SYNC_0_CS = genmask(13, 12);
inline constexpr u64 SYNC_0_CS_RESERVED = 3;  // 0 SIG_NONE, 1 SIG_IRQ, 2 SIG_SEV
inline constexpr u64 SYNC_0_MSH = genmask(23, 22);
inline constexpr u64 SYNC_0_MSIATTR = genmask(27, 24);
inline constexpr u64 SYNC_0_MSIDATA = genmask(63, 32);
inline constexpr u64 SYNC_1_MSIADDR = genmask(51, 2);
}  // namespace cmd

struct DecodedCommand {
  unsigned opcode = 0;
  SmmuCommand cmd;      // what the trace reports
  unsigned range = 0;   // CFGI_STE_RANGE: 2^(RANGE+1) StreamIDs
  bool illegal = false;
};

DecodedCommand decode_command(const SmmuHwParams& p, u64 d0, u64 d1);

}  // namespace iovet::smmu_hw
