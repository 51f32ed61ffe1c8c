#include "impl/smmu_hw/smmu_hw_cmd.h"

namespace iovet::smmu_hw {

using namespace cmd;
using Op = SmmuCommand::Op;

namespace {

constexpr u64 CFGI_0 = OP | CFGI_0_SID;
constexpr u64 PREFETCH_0 = OP | SSV | CFGI_0_SSID | CFGI_0_SID;
constexpr u64 TLBI_0_RANGE = TLBI_0_NUM | TLBI_0_SCALE;
constexpr u64 TLBI_1_RANGE = TLBI_1_LEAF | TLBI_1_TTL | TLBI_1_TG;

// The bits a command may set, per dword; everything else is reserved.
struct Layout {
  u64 d0, d1;
};

void decode_tlbi_range(u64 d0, u64 d1, SmmuCommand& c) {
  c.num = static_cast<unsigned>(field_get(TLBI_0_NUM, d0));
  c.scale = static_cast<unsigned>(field_get(TLBI_0_SCALE, d0));
  c.leaf = d1 & TLBI_1_LEAF;
  c.ttl = static_cast<unsigned>(field_get(TLBI_1_TTL, d1));
  c.tg = static_cast<unsigned>(field_get(TLBI_1_TG, d1));
}

}  // namespace

DecodedCommand decode_command(const SmmuHwParams& p, u64 d0, u64 d1) {
  DecodedCommand r;
  r.opcode = static_cast<unsigned>(field_get(OP, d0));
  SmmuCommand& c = r.cmd;
  const u32 sid = static_cast<u32>(field_get(CFGI_0_SID, d0));
  const u32 ssid = static_cast<u32>(field_get(CFGI_0_SSID, d0));
  const u32 vmid = static_cast<u32>(field_get(TLBI_0_VMID, d0));
  const u32 asid = static_cast<u32>(field_get(TLBI_0_ASID, d0));
  Layout l{};
  bool feature = true;  // the SMMU implements what the command acts on
  switch (r.opcode) {
    case OP_PREFETCH_CONFIG:
      l = {PREFETCH_0, 0};
      c.op = Op::prefetch_cfg, c.sid = sid, c.ssid = ssid;
      break;
    case OP_PREFETCH_ADDR:
      l = {PREFETCH_0, PREFETCH_1_SIZE | PREFETCH_1_ADDR};
      c.sid = sid, c.ssid = ssid, c.addr = d1 & PREFETCH_1_ADDR;
      break;
    case OP_CFGI_STE:
      l = {CFGI_0, CFGI_1_LEAF};
      c.op = Op::cfgi_ste, c.sid = sid, c.leaf = d1 & CFGI_1_LEAF;
      break;
    case OP_CFGI_STE_RANGE:
      l = {CFGI_0, CFGI_1_RANGE};
      r.range = static_cast<unsigned>(field_get(CFGI_1_RANGE, d1));
      c.sid = sid;
      if (r.range == CFGI_RANGE_ALL) c.op = Op::cfgi_all;
      break;
    case OP_CFGI_CD:
      l = {CFGI_0 | CFGI_0_SSID, CFGI_1_LEAF};
      c.op = Op::cfgi_cd, c.sid = sid, c.ssid = ssid, c.leaf = d1 & CFGI_1_LEAF;
      break;
    case OP_CFGI_CD_ALL:
      l = {CFGI_0, 0};
      c.sid = sid;
      break;
    case OP_TLBI_NH_ALL:
      l = {OP | TLBI_0_VMID, 0};
      c.op = Op::tlbi_nh_all, c.vmid = vmid;
      feature = p.s1;
      break;
    case OP_TLBI_NH_ASID:
      l = {OP | TLBI_0_VMID | TLBI_0_ASID, 0};
      c.op = Op::tlbi_nh_asid, c.vmid = vmid, c.asid = asid;
      feature = p.s1;
      break;
    case OP_TLBI_NH_VA:
    case OP_TLBI_NH_VAA:
      l = {OP | TLBI_0_RANGE | TLBI_0_VMID | (r.opcode == OP_TLBI_NH_VA ? TLBI_0_ASID : 0),
           TLBI_1_RANGE | TLBI_1_VA};
      c.op = r.opcode == OP_TLBI_NH_VA ? Op::tlbi_nh_va : Op::other;
      c.vmid = vmid, c.asid = r.opcode == OP_TLBI_NH_VA ? asid : 0, c.addr = d1 & TLBI_1_VA;
      decode_tlbi_range(d0, d1, c);
      feature = p.s1 && (p.ril || c.tg == 0);
      break;
    case OP_TLBI_S2_IPA:
      l = {OP | TLBI_0_RANGE | TLBI_0_VMID, TLBI_1_RANGE | TLBI_1_IPA};
      c.op = Op::tlbi_s2_ipa, c.vmid = vmid, c.addr = d1 & TLBI_1_IPA;
      decode_tlbi_range(d0, d1, c);
      feature = p.s2 && (p.ril || c.tg == 0);
      break;
    case OP_TLBI_S12_VMALL:
      l = {OP | TLBI_0_VMID, 0};
      c.op = Op::tlbi_s12_vmall, c.vmid = vmid;
      feature = p.s2;
      break;
    case OP_TLBI_NSNH_ALL:
      l = {OP, 0};
      c.op = Op::tlbi_nsnh_all;
      break;
    case OP_CMD_SYNC:
      l = {OP | SYNC_0_CS | SYNC_0_MSH | SYNC_0_MSIATTR | SYNC_0_MSIDATA, SYNC_1_MSIADDR};
      c.op = Op::sync;
      feature = field_get(SYNC_0_CS, d0) != SYNC_0_CS_RESERVED;
      break;
    default:  // unknown, or EL2 / ATS / PRI / stall commands this SMMU does not implement
      r.illegal = true;
      return r;
  }
  r.illegal = !feature || (d0 & ~l.d0) || (d1 & ~l.d1);
  return r;
}

}  // namespace iovet::smmu_hw
