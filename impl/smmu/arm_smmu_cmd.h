// Command queue entries as the driver describes them (struct arm_smmu_cmdq_ent) and their
// 16-byte encoding (arm_smmu_cmdq_build_cmd()).
#pragma once
#include <array>
#include <cstdint>

#include "impl/smmu/arm_smmu_v3_defs.h"
#include "spec/unit/smmu.h"

namespace iovet::smmu {

// CMDQ_OP_* opcodes the driver issues.
namespace cmdq_op {
inline constexpr std::uint8_t prefetch_cfg = 0x1;
inline constexpr std::uint8_t cfgi_ste = 0x3;
inline constexpr std::uint8_t cfgi_all = 0x4;
inline constexpr std::uint8_t cfgi_cd = 0x5;
inline constexpr std::uint8_t tlbi_nh_asid = 0x11;
inline constexpr std::uint8_t tlbi_nh_va = 0x12;
inline constexpr std::uint8_t tlbi_el2_all = 0x20;
inline constexpr std::uint8_t tlbi_s12_vmall = 0x28;
inline constexpr std::uint8_t tlbi_s2_ipa = 0x2a;
inline constexpr std::uint8_t tlbi_nsnh_all = 0x30;
inline constexpr std::uint8_t cmd_sync = 0x46;
}  // namespace cmdq_op

// struct arm_smmu_cmdq_ent, with the kernel's field widths (u8 num/scale wrap as there).
struct CmdqEnt {
  std::uint8_t opcode = 0;
  struct {
    u32 sid = 0;
  } prefetch;
  struct {
    u32 sid = 0, ssid = 0;
    bool leaf = false;
  } cfgi;
  struct {
    std::uint8_t num = 0, scale = 0;
    std::uint16_t asid = 0, vmid = 0;
    bool leaf = false;
    std::uint8_t ttl = 0, tg = 0;
    u64 addr = 0;
  } tlbi;
};

using CmdqRaw = std::array<u64, cmdq_ent_dwords>;

// arm_smmu_cmdq_build_cmd(); throws std::invalid_argument for an opcode it does not know.
CmdqRaw arm_smmu_cmdq_build_cmd(const CmdqEnt& ent);

// What the command carries, for SmmuTrace::Issued: from the entry, not from the bytes.
SmmuCommand smmu_command_of(const CmdqEnt& ent);

}  // namespace iovet::smmu
