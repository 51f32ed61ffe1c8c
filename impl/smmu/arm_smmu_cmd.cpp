#include "impl/smmu/arm_smmu_cmd.h"

#include <stdexcept>

namespace iovet::smmu {

CmdqRaw arm_smmu_cmdq_build_cmd(const CmdqEnt& ent) {
  CmdqRaw cmd{};
  cmd[0] = field_prep(CMDQ_0_OP, ent.opcode);
  switch (ent.opcode) {
    case cmdq_op::tlbi_el2_all:
    case cmdq_op::tlbi_nsnh_all:
      break;
    case cmdq_op::prefetch_cfg:
      cmd[0] |= field_prep(CMDQ_PREFETCH_0_SID, ent.prefetch.sid);
      break;
    case cmdq_op::cfgi_cd:
      cmd[0] |= field_prep(CMDQ_CFGI_0_SSID, ent.cfgi.ssid);
      [[fallthrough]];
    case cmdq_op::cfgi_ste:
      cmd[0] |= field_prep(CMDQ_CFGI_0_SID, ent.cfgi.sid);
      cmd[1] |= field_prep(CMDQ_CFGI_1_LEAF, ent.cfgi.leaf);
      break;
    case cmdq_op::cfgi_all:
      cmd[1] |= field_prep(CMDQ_CFGI_1_RANGE, CMDQ_CFGI_RANGE_ALL);
      break;
    case cmdq_op::tlbi_nh_va:
      cmd[0] |= field_prep(CMDQ_TLBI_0_VMID, ent.tlbi.vmid);
      cmd[0] |= field_prep(CMDQ_TLBI_0_NUM, ent.tlbi.num);
      cmd[0] |= field_prep(CMDQ_TLBI_0_SCALE, ent.tlbi.scale);
      cmd[0] |= field_prep(CMDQ_TLBI_0_ASID, ent.tlbi.asid);
      cmd[1] |= field_prep(CMDQ_TLBI_1_LEAF, ent.tlbi.leaf);
      cmd[1] |= field_prep(CMDQ_TLBI_1_TTL, ent.tlbi.ttl);
      cmd[1] |= field_prep(CMDQ_TLBI_1_TG, ent.tlbi.tg);
      cmd[1] |= ent.tlbi.addr & CMDQ_TLBI_1_VA_MASK;
      break;
    case cmdq_op::tlbi_s2_ipa:
      cmd[0] |= field_prep(CMDQ_TLBI_0_NUM, ent.tlbi.num);
      cmd[0] |= field_prep(CMDQ_TLBI_0_SCALE, ent.tlbi.scale);
      cmd[0] |= field_prep(CMDQ_TLBI_0_VMID, ent.tlbi.vmid);
      cmd[1] |= field_prep(CMDQ_TLBI_1_LEAF, ent.tlbi.leaf);
      cmd[1] |= field_prep(CMDQ_TLBI_1_TTL, ent.tlbi.ttl);
      cmd[1] |= field_prep(CMDQ_TLBI_1_TG, ent.tlbi.tg);
      cmd[1] |= ent.tlbi.addr & CMDQ_TLBI_1_IPA_MASK;
      break;
    case cmdq_op::tlbi_nh_asid:
      cmd[0] |= field_prep(CMDQ_TLBI_0_ASID, ent.tlbi.asid);
      [[fallthrough]];
    case cmdq_op::tlbi_s12_vmall:
      cmd[0] |= field_prep(CMDQ_TLBI_0_VMID, ent.tlbi.vmid);
      break;
    case cmdq_op::cmd_sync:
      // No MSI polling: completion is signalled by CONS passing the SYNC (and an event).
      cmd[0] |= field_prep(CMDQ_SYNC_0_CS, CMDQ_SYNC_0_CS_SEV);
      cmd[0] |= field_prep(CMDQ_SYNC_0_MSH, ARM_SMMU_SH_ISH);
      cmd[0] |= field_prep(CMDQ_SYNC_0_MSIATTR, ARM_SMMU_MEMATTR_OIWB);
      break;
    default:
      throw std::invalid_argument("arm_smmu_cmdq_build_cmd: unknown opcode");
  }
  return cmd;
}

SmmuCommand smmu_command_of(const CmdqEnt& ent) {
  using Op = SmmuCommand::Op;
  SmmuCommand c;
  // What the command encodes: a field wider than its slot is cut as field_prep() cuts it
  // (NUM = num - 1 of a zero num is 255 in the struct but 31 in the command).
  const auto encoded = [](u64 mask, unsigned v) { return static_cast<unsigned>(field_get(mask, field_prep(mask, v))); };
  const auto tlbi_range = [&] {
    c.leaf = ent.tlbi.leaf;
    c.tg = encoded(CMDQ_TLBI_1_TG, ent.tlbi.tg);
    c.scale = encoded(CMDQ_TLBI_0_SCALE, ent.tlbi.scale);
    c.num = encoded(CMDQ_TLBI_0_NUM, ent.tlbi.num);
    c.ttl = encoded(CMDQ_TLBI_1_TTL, ent.tlbi.ttl);
  };
  switch (ent.opcode) {
    case cmdq_op::cfgi_ste:
      c.op = Op::cfgi_ste;
      c.sid = ent.cfgi.sid;
      c.leaf = ent.cfgi.leaf;
      break;
    case cmdq_op::cfgi_cd:
      c.op = Op::cfgi_cd;
      c.sid = ent.cfgi.sid;
      c.ssid = ent.cfgi.ssid;
      c.leaf = ent.cfgi.leaf;
      break;
    case cmdq_op::cfgi_all:
      c.op = Op::cfgi_all;
      break;
    case cmdq_op::tlbi_nh_asid:
      c.op = Op::tlbi_nh_asid;
      c.asid = ent.tlbi.asid;
      c.vmid = ent.tlbi.vmid;
      break;
    case cmdq_op::tlbi_nh_va:
      c.op = Op::tlbi_nh_va;
      c.asid = ent.tlbi.asid;
      c.vmid = ent.tlbi.vmid;
      c.addr = ent.tlbi.addr & CMDQ_TLBI_1_VA_MASK;
      tlbi_range();
      break;
    case cmdq_op::tlbi_s2_ipa:
      c.op = Op::tlbi_s2_ipa;
      c.vmid = ent.tlbi.vmid;
      c.addr = ent.tlbi.addr & CMDQ_TLBI_1_IPA_MASK;
      tlbi_range();
      break;
    case cmdq_op::tlbi_s12_vmall:
      c.op = Op::tlbi_s12_vmall;
      c.vmid = ent.tlbi.vmid;
      break;
    case cmdq_op::tlbi_nsnh_all:
      c.op = Op::tlbi_nsnh_all;
      break;
    case cmdq_op::cmd_sync:
      c.op = Op::sync;
      break;
    case cmdq_op::prefetch_cfg:
      c.op = Op::prefetch_cfg;
      c.sid = ent.prefetch.sid;
      break;
    default:  // anything the trace has no name for
      c.op = Op::other;
      break;
  }
  return c;
}

}  // namespace iovet::smmu
