// SMMUv3 register, stream table, context descriptor, command and event layouts as the driver
// programs them (the definitions of Linux's arm-smmu-v3.h; IHI 0070 chapters 5-7).
#pragma once
#include <array>

#include "spec/types.h"

namespace iovet::smmu {

// GENMASK_ULL(hi, lo), BIT(n), FIELD_PREP / FIELD_GET.
constexpr u64 genmask(unsigned hi, unsigned lo) {
  return (hi == 63 ? ~u64{0} : (u64{1} << (hi + 1)) - 1) & ~((u64{1} << lo) - 1);
}
constexpr u64 bit(unsigned n) { return u64{1} << n; }
constexpr u64 field_prep(u64 mask, u64 v) { return (v << __builtin_ctzll(mask)) & mask; }
constexpr u64 field_get(u64 mask, u64 v) { return (v & mask) >> __builtin_ctzll(mask); }

// STE and CD are eight 64-bit words; a command two; an event record four.
inline constexpr unsigned entry_qwords = 8;
using Entry = std::array<u64, entry_qwords>;
inline constexpr unsigned cmdq_ent_dwords = 2;
inline constexpr unsigned evtq_ent_dwords = 4;

// --- MMIO registers (page 1 registers at +0x10000) ---
inline constexpr u64 ARM_SMMU_IDR0 = 0x0;
inline constexpr u64 IDR0_ST_LVL = genmask(28, 27);
inline constexpr u64 IDR0_ST_LVL_2LVL = 1;
inline constexpr u64 IDR0_STALL_MODEL = genmask(25, 24);
inline constexpr u64 IDR0_STALL_MODEL_STALL = 0;
inline constexpr u64 IDR0_STALL_MODEL_FORCE = 2;
inline constexpr u64 IDR0_TTENDIAN = genmask(22, 21);
inline constexpr u64 IDR0_TTENDIAN_MIXED = 0;
inline constexpr u64 IDR0_TTENDIAN_LE = 2;
inline constexpr u64 IDR0_CD2L = bit(19);
inline constexpr u64 IDR0_VMID16 = bit(18);
inline constexpr u64 IDR0_SEV = bit(14);
inline constexpr u64 IDR0_ASID16 = bit(12);
inline constexpr u64 IDR0_ATS = bit(10);
inline constexpr u64 IDR0_HYP = bit(9);
inline constexpr u64 IDR0_COHACC = bit(4);
inline constexpr u64 IDR0_TTF = genmask(3, 2);
inline constexpr u64 IDR0_TTF_AARCH64 = 2;
inline constexpr u64 IDR0_TTF_AARCH32_64 = 3;
inline constexpr u64 IDR0_S1P = bit(1);
inline constexpr u64 IDR0_S2P = bit(0);

inline constexpr u64 ARM_SMMU_IDR1 = 0x4;
inline constexpr u64 IDR1_TABLES_PRESET = bit(30);
inline constexpr u64 IDR1_QUEUES_PRESET = bit(29);
inline constexpr u64 IDR1_REL = bit(28);
inline constexpr u64 IDR1_ATTR_TYPES_OVR = bit(27);
inline constexpr u64 IDR1_CMDQS = genmask(25, 21);
inline constexpr u64 IDR1_EVTQS = genmask(20, 16);
inline constexpr u64 IDR1_SSIDSIZE = genmask(10, 6);
inline constexpr u64 IDR1_SIDSIZE = genmask(5, 0);

inline constexpr u64 ARM_SMMU_IDR3 = 0xc;
inline constexpr u64 IDR3_RIL = bit(10);
inline constexpr u64 IDR3_FWB = bit(8);

inline constexpr u64 ARM_SMMU_IDR5 = 0x14;
inline constexpr u64 IDR5_VAX = genmask(11, 10);
inline constexpr u64 IDR5_VAX_52_BIT = 1;
inline constexpr u64 IDR5_GRAN64K = bit(6);
inline constexpr u64 IDR5_GRAN16K = bit(5);
inline constexpr u64 IDR5_GRAN4K = bit(4);
inline constexpr u64 IDR5_OAS = genmask(2, 0);

inline constexpr u64 ARM_SMMU_CR0 = 0x20;
inline constexpr u32 CR0_ATSCHK = 1u << 4;
inline constexpr u32 CR0_CMDQEN = 1u << 3;
inline constexpr u32 CR0_EVTQEN = 1u << 2;
inline constexpr u32 CR0_SMMUEN = 1u << 0;
inline constexpr u64 ARM_SMMU_CR0ACK = 0x24;

inline constexpr u64 ARM_SMMU_CR1 = 0x28;
inline constexpr u64 CR1_TABLE_SH = genmask(11, 10);
inline constexpr u64 CR1_TABLE_OC = genmask(9, 8);
inline constexpr u64 CR1_TABLE_IC = genmask(7, 6);
inline constexpr u64 CR1_QUEUE_SH = genmask(5, 4);
inline constexpr u64 CR1_QUEUE_OC = genmask(3, 2);
inline constexpr u64 CR1_QUEUE_IC = genmask(1, 0);
inline constexpr u64 CR1_CACHE_WB = 1;

inline constexpr u64 ARM_SMMU_CR2 = 0x2c;
inline constexpr u32 CR2_PTM = 1u << 2;
inline constexpr u32 CR2_RECINVSID = 1u << 1;

inline constexpr u64 ARM_SMMU_GERROR = 0x60;
inline constexpr u32 GERROR_CMDQ_ERR = 1u << 0;
inline constexpr u64 ARM_SMMU_GERRORN = 0x64;

inline constexpr u64 ARM_SMMU_STRTAB_BASE = 0x80;
inline constexpr u64 STRTAB_BASE_RA = bit(62);
inline constexpr u64 STRTAB_BASE_ADDR_MASK = genmask(51, 6);
inline constexpr u64 ARM_SMMU_STRTAB_BASE_CFG = 0x88;
inline constexpr u64 STRTAB_BASE_CFG_FMT = genmask(17, 16);
inline constexpr u64 STRTAB_BASE_CFG_FMT_LINEAR = 0;
inline constexpr u64 STRTAB_BASE_CFG_FMT_2LVL = 1;
inline constexpr u64 STRTAB_BASE_CFG_SPLIT = genmask(10, 6);
inline constexpr u64 STRTAB_BASE_CFG_LOG2SIZE = genmask(5, 0);

inline constexpr u64 ARM_SMMU_CMDQ_BASE = 0x90;
inline constexpr u64 ARM_SMMU_CMDQ_PROD = 0x98;
inline constexpr u64 ARM_SMMU_CMDQ_CONS = 0x9c;
inline constexpr u64 ARM_SMMU_EVTQ_BASE = 0xa0;
inline constexpr u64 ARM_SMMU_EVTQ_PROD = 0x100a8;
inline constexpr u64 ARM_SMMU_EVTQ_CONS = 0x100ac;

inline constexpr u64 ARM_SMMU_SH_ISH = 3;
inline constexpr u64 ARM_SMMU_MEMATTR_OIWB = 0xf;

// Queue base registers.
inline constexpr u64 Q_BASE_RWA = bit(62);
inline constexpr u64 Q_BASE_ADDR_MASK = genmask(51, 5);
inline constexpr u64 Q_BASE_LOG2SIZE = genmask(4, 0);
// Q_MAX_SZ_SHIFT with 4K pages and MAX_PAGE_ORDER 10: queues of at most 4MB.
inline constexpr unsigned Q_MAX_SZ_SHIFT = 12 + 10;
inline constexpr unsigned CMDQ_ENT_SZ_SHIFT = 4;
inline constexpr unsigned CMDQ_MAX_SZ_SHIFT = Q_MAX_SZ_SHIFT - CMDQ_ENT_SZ_SHIFT;
inline constexpr unsigned EVTQ_ENT_SZ_SHIFT = 5;
inline constexpr unsigned EVTQ_MAX_SZ_SHIFT = Q_MAX_SZ_SHIFT - EVTQ_ENT_SZ_SHIFT;
inline constexpr u64 CMDQ_CONS_ERR = genmask(30, 24);
inline constexpr u64 CMDQ_ERR_CERROR_NONE_IDX = 0;
inline constexpr u64 CMDQ_ERR_CERROR_ILL_IDX = 1;
inline constexpr u64 CMDQ_ERR_CERROR_ABT_IDX = 2;
inline constexpr unsigned CMDQ_BATCH_ENTRIES = 64;  // BITS_PER_LONG

// --- Stream table ---
inline constexpr unsigned STRTAB_SPLIT = 8;
inline constexpr unsigned STRTAB_NUM_L2_STES = 1u << STRTAB_SPLIT;
inline constexpr unsigned STRTAB_MAX_L1_ENTRIES = 1u << 17;
inline constexpr u64 STRTAB_L1_DESC_SPAN = genmask(4, 0);
inline constexpr u64 STRTAB_L1_DESC_L2PTR_MASK = genmask(51, 6);

inline constexpr u64 STRTAB_STE_0_V = bit(0);
inline constexpr u64 STRTAB_STE_0_CFG = genmask(3, 1);
inline constexpr u64 STRTAB_STE_0_CFG_ABORT = 0;
inline constexpr u64 STRTAB_STE_0_CFG_BYPASS = 4;
inline constexpr u64 STRTAB_STE_0_CFG_S1_TRANS = 5;
inline constexpr u64 STRTAB_STE_0_CFG_S2_TRANS = 6;
inline constexpr u64 STRTAB_STE_0_S1FMT = genmask(5, 4);
inline constexpr u64 STRTAB_STE_0_S1FMT_LINEAR = 0;
inline constexpr u64 STRTAB_STE_0_S1CTXPTR_MASK = genmask(51, 6);
inline constexpr u64 STRTAB_STE_0_S1CDMAX = genmask(63, 59);

inline constexpr u64 STRTAB_STE_1_S1DSS = genmask(1, 0);
inline constexpr u64 STRTAB_STE_1_S1DSS_TERMINATE = 0;
inline constexpr u64 STRTAB_STE_1_S1DSS_BYPASS = 1;
inline constexpr u64 STRTAB_STE_1_S1DSS_SSID0 = 2;
inline constexpr u64 STRTAB_STE_1_S1C_CACHE_WBRA = 1;
inline constexpr u64 STRTAB_STE_1_S1CIR = genmask(3, 2);
inline constexpr u64 STRTAB_STE_1_S1COR = genmask(5, 4);
inline constexpr u64 STRTAB_STE_1_S1CSH = genmask(7, 6);
inline constexpr u64 STRTAB_STE_1_MEV = bit(19);
inline constexpr u64 STRTAB_STE_1_S2FWB = bit(25);
inline constexpr u64 STRTAB_STE_1_S1STALLD = bit(27);
inline constexpr u64 STRTAB_STE_1_EATS = genmask(29, 28);
inline constexpr u64 STRTAB_STE_1_EATS_TRANS = 1;
inline constexpr u64 STRTAB_STE_1_EATS_S1CHK = 2;
inline constexpr u64 STRTAB_STE_1_STRW = genmask(31, 30);
inline constexpr u64 STRTAB_STE_1_STRW_NSEL1 = 0;
inline constexpr u64 STRTAB_STE_1_SHCFG = genmask(45, 44);
inline constexpr u64 STRTAB_STE_1_SHCFG_INCOMING = 1;

inline constexpr u64 STRTAB_STE_2_S2VMID = genmask(15, 0);
inline constexpr u64 STRTAB_STE_2_VTCR = genmask(50, 32);
inline constexpr u64 STRTAB_STE_2_VTCR_S2T0SZ = genmask(5, 0);
inline constexpr u64 STRTAB_STE_2_VTCR_S2SL0 = genmask(7, 6);
inline constexpr u64 STRTAB_STE_2_VTCR_S2IR0 = genmask(9, 8);
inline constexpr u64 STRTAB_STE_2_VTCR_S2OR0 = genmask(11, 10);
inline constexpr u64 STRTAB_STE_2_VTCR_S2SH0 = genmask(13, 12);
inline constexpr u64 STRTAB_STE_2_VTCR_S2TG = genmask(15, 14);
inline constexpr u64 STRTAB_STE_2_VTCR_S2PS = genmask(18, 16);
inline constexpr u64 STRTAB_STE_2_S2AA64 = bit(51);
inline constexpr u64 STRTAB_STE_2_S2ENDI = bit(52);
inline constexpr u64 STRTAB_STE_2_S2PTW = bit(54);
inline constexpr u64 STRTAB_STE_2_S2S = bit(57);
inline constexpr u64 STRTAB_STE_2_S2R = bit(58);
inline constexpr u64 STRTAB_STE_3_S2TTB_MASK = genmask(51, 4);

// --- Context descriptors ---
inline constexpr u64 CTXDESC_CD_0_TCR_T0SZ = genmask(5, 0);
inline constexpr u64 CTXDESC_CD_0_TCR_TG0 = genmask(7, 6);
inline constexpr u64 CTXDESC_CD_0_TCR_IRGN0 = genmask(9, 8);
inline constexpr u64 CTXDESC_CD_0_TCR_ORGN0 = genmask(11, 10);
inline constexpr u64 CTXDESC_CD_0_TCR_SH0 = genmask(13, 12);
inline constexpr u64 CTXDESC_CD_0_TCR_EPD0 = bit(14);
inline constexpr u64 CTXDESC_CD_0_TCR_EPD1 = bit(30);
inline constexpr u64 CTXDESC_CD_0_V = bit(31);
inline constexpr u64 CTXDESC_CD_0_TCR_IPS = genmask(34, 32);
inline constexpr u64 CTXDESC_CD_0_AA64 = bit(41);
inline constexpr u64 CTXDESC_CD_0_TCR_HD = bit(42);
inline constexpr u64 CTXDESC_CD_0_TCR_HA = bit(43);
inline constexpr u64 CTXDESC_CD_0_S = bit(44);
inline constexpr u64 CTXDESC_CD_0_R = bit(45);
inline constexpr u64 CTXDESC_CD_0_A = bit(46);
inline constexpr u64 CTXDESC_CD_0_ASET = bit(47);
inline constexpr u64 CTXDESC_CD_0_ASID = genmask(63, 48);
inline constexpr u64 CTXDESC_CD_1_TTB0_MASK = genmask(51, 4);
inline constexpr unsigned CTXDESC_CD_MAIR_QWORD = 3;

// --- Commands ---
inline constexpr u64 CMDQ_0_OP = genmask(7, 0);
inline constexpr u64 CMDQ_PREFETCH_0_SID = genmask(63, 32);
inline constexpr u64 CMDQ_CFGI_0_SSID = genmask(31, 12);
inline constexpr u64 CMDQ_CFGI_0_SID = genmask(63, 32);
inline constexpr u64 CMDQ_CFGI_1_LEAF = bit(0);
inline constexpr u64 CMDQ_CFGI_1_RANGE = genmask(4, 0);
inline constexpr u64 CMDQ_CFGI_RANGE_ALL = 31;  // CFGI_ALL covers the whole SID space
inline constexpr u64 CMDQ_TLBI_0_NUM = genmask(16, 12);
inline constexpr u64 CMDQ_TLBI_0_SCALE = genmask(24, 20);
inline constexpr u64 CMDQ_TLBI_0_VMID = genmask(47, 32);
inline constexpr u64 CMDQ_TLBI_0_ASID = genmask(63, 48);
inline constexpr u64 CMDQ_TLBI_1_LEAF = bit(0);
inline constexpr u64 CMDQ_TLBI_1_TTL = genmask(9, 8);
inline constexpr u64 CMDQ_TLBI_1_TG = genmask(11, 10);
inline constexpr u64 CMDQ_TLBI_1_VA_MASK = genmask(63, 12);
inline constexpr u64 CMDQ_TLBI_1_IPA_MASK = genmask(51, 12);
inline constexpr u64 CMDQ_SYNC_0_CS = genmask(13, 12);
inline constexpr u64 CMDQ_SYNC_0_CS_SEV = 2;
inline constexpr u64 CMDQ_SYNC_0_MSH = genmask(23, 22);
inline constexpr u64 CMDQ_SYNC_0_MSIATTR = genmask(27, 24);

// --- Event records ---
inline constexpr u64 EVTQ_0_ID = genmask(7, 0);
inline constexpr u64 EVTQ_0_SID = genmask(63, 32);
inline constexpr u64 EVTQ_1_RnW = bit(35);
inline constexpr u64 EVTQ_1_S2 = bit(39);
inline constexpr unsigned EVT_ID_BAD_STREAMID_CONFIG = 0x02;
inline constexpr unsigned EVT_ID_BAD_STE_CONFIG = 0x04;
inline constexpr unsigned EVT_ID_BAD_CD_CONFIG = 0x0a;
inline constexpr unsigned EVT_ID_TRANSLATION_FAULT = 0x10;
inline constexpr unsigned EVT_ID_ADDR_SIZE_FAULT = 0x11;
inline constexpr unsigned EVT_ID_ACCESS_FAULT = 0x12;
inline constexpr unsigned EVT_ID_PERMISSION_FAULT = 0x13;

// --- io-pgtable-arm's TCR/VTCR field values (ARM_LPAE_TCR_*) ---
inline constexpr u64 ARM_LPAE_TCR_TG0_4K = 0;
inline constexpr u64 ARM_LPAE_TCR_TG0_64K = 1;
inline constexpr u64 ARM_LPAE_TCR_TG0_16K = 2;
inline constexpr u64 ARM_LPAE_TCR_SH_OS = 2;
inline constexpr u64 ARM_LPAE_TCR_SH_IS = 3;
inline constexpr u64 ARM_LPAE_TCR_RGN_NC = 0;
inline constexpr u64 ARM_LPAE_TCR_RGN_WBWA = 1;
inline constexpr u64 ARM_LPAE_VTCR_SL0_MASK = 3;
// MAIR attributes per index (ARM_LPAE_MAIR_ATTR_*: NC, WBRWA, DEVICE, INC_OWBRWA).
inline constexpr u64 ARM_LPAE_MAIR_ATTR_NC = 0x44;
inline constexpr u64 ARM_LPAE_MAIR_ATTR_WBRWA = 0xff;
inline constexpr u64 ARM_LPAE_MAIR_ATTR_DEVICE = 0x04;
inline constexpr u64 ARM_LPAE_MAIR_ATTR_INC_OWBRWA = 0xf4;
inline constexpr unsigned ARM_LPAE_MAIR_ATTR_IDX_INC_OCACHE = 3;

// The PS/IPS encoding of an address width (ARM_LPAE_TCR_PS_*); -1 when it has none.
constexpr int arm_lpae_tcr_ps(unsigned bits) {
  switch (bits) {
    case 32: return 0;
    case 36: return 1;
    case 40: return 2;
    case 42: return 3;
    case 44: return 4;
    case 48: return 5;
    case 52: return 6;
    default: return -1;
  }
}

}  // namespace iovet::smmu
