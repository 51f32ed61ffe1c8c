// The SMMUv3 register file (IHI 0070 chapter 6): offsets and the ID / control fields this model
// implements. Page 1 registers sit at +0x10000.
#pragma once
#include "impl/smmu_hw/smmu_hw_bits.h"

namespace iovet::smmu_hw::reg {

inline constexpr u64 IDR0 = 0x0;
inline constexpr u64 IDR0_ST_LVL = genmask(28, 27);
inline constexpr u64 IDR0_ST_LVL_2LVL = 1;
inline constexpr u64 IDR0_STALL_MODEL = genmask(25, 24);
inline constexpr u64 IDR0_STALL_MODEL_NONE = 1;  // terminate only, no stalling
inline constexpr u64 IDR0_TTENDIAN = genmask(22, 21);
inline constexpr u64 IDR0_TTENDIAN_LE = 2;
inline constexpr u64 IDR0_VMID16 = bit(18);
inline constexpr u64 IDR0_ASID16 = bit(12);
inline constexpr u64 IDR0_COHACC = bit(4);
inline constexpr u64 IDR0_TTF = genmask(3, 2);
inline constexpr u64 IDR0_TTF_AARCH64 = 2;
inline constexpr u64 IDR0_S1P = bit(1);
inline constexpr u64 IDR0_S2P = bit(0);

inline constexpr u64 IDR1 = 0x4;
inline constexpr u64 IDR1_CMDQS = genmask(25, 21);
inline constexpr u64 IDR1_EVTQS = genmask(20, 16);
inline constexpr u64 IDR1_SSIDSIZE = genmask(10, 6);
inline constexpr u64 IDR1_SIDSIZE = genmask(5, 0);

inline constexpr u64 IDR2 = 0x8;
inline constexpr u64 IDR3 = 0xc;
inline constexpr u64 IDR3_RIL = bit(10);
inline constexpr u64 IDR4 = 0x10;

inline constexpr u64 IDR5 = 0x14;
inline constexpr u64 IDR5_GRAN64K = bit(6);
inline constexpr u64 IDR5_GRAN16K = bit(5);
inline constexpr u64 IDR5_GRAN4K = bit(4);
inline constexpr u64 IDR5_OAS = genmask(2, 0);

inline constexpr u64 IIDR = 0x18;
inline constexpr u64 AIDR = 0x1c;
inline constexpr u64 AIDR_SMMUV3_2 = 0x02;  // ArchMajorRev 0 (v3), ArchMinorRev 2: RIL exists

inline constexpr u64 CR0 = 0x20;
inline constexpr u64 CR0_SMMUEN = bit(0);
inline constexpr u64 CR0_EVTQEN = bit(2);
inline constexpr u64 CR0_CMDQEN = bit(3);
inline constexpr u64 CR0_IMPLEMENTED = CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN;
inline constexpr u64 CR0ACK = 0x24;
inline constexpr u64 CR1 = 0x28;
inline constexpr u64 CR2 = 0x2c;

inline constexpr u64 GBPA = 0x44;
inline constexpr u64 GBPA_UPDATE = bit(31);
inline constexpr u64 GBPA_ABORT = bit(20);

inline constexpr u64 IRQ_CTRL = 0x50;
inline constexpr u64 IRQ_CTRLACK = 0x54;

inline constexpr u64 GERROR = 0x60;
inline constexpr u64 GERRORN = 0x64;
inline constexpr u64 GERROR_CMDQ_ERR = bit(0);
inline constexpr u64 GERROR_EVTQ_ABT_ERR = bit(2);

inline constexpr u64 STRTAB_BASE = 0x80;
inline constexpr u64 STRTAB_BASE_ADDR = genmask(51, 6);
inline constexpr u64 STRTAB_BASE_CFG = 0x88;
inline constexpr u64 STRTAB_BASE_CFG_FMT = genmask(17, 16);
inline constexpr u64 STRTAB_BASE_CFG_FMT_LINEAR = 0;
inline constexpr u64 STRTAB_BASE_CFG_FMT_2LVL = 1;
inline constexpr u64 STRTAB_BASE_CFG_SPLIT = genmask(10, 6);
inline constexpr u64 STRTAB_BASE_CFG_LOG2SIZE = genmask(5, 0);

// SMMU_CMDQ_BASE / SMMU_EVTQ_BASE
inline constexpr u64 Q_BASE_ADDR = genmask(51, 5);
inline constexpr u64 Q_BASE_LOG2SIZE = genmask(4, 0);

inline constexpr u64 CMDQ_BASE = 0x90;
inline constexpr u64 CMDQ_PROD = 0x98;
inline constexpr u64 CMDQ_CONS = 0x9c;
inline constexpr u64 CMDQ_CONS_ERR = genmask(30, 24);
inline constexpr u64 CERROR_NONE = 0;
inline constexpr u64 CERROR_ILL = 1;
inline constexpr u64 CERROR_ABT = 2;

inline constexpr u64 EVTQ_BASE = 0xa0;
inline constexpr u64 EVTQ_PROD = 0x100a8;
inline constexpr u64 EVTQ_CONS = 0x100ac;
inline constexpr u64 Q_OVERFLOW_FLAG = bit(31);  // EVTQ_PROD.OVFLG / EVTQ_CONS.OVACKFLG

}  // namespace iovet::smmu_hw::reg
