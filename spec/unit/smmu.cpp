#include "spec/unit/smmu.h"

namespace iovet {

std::string_view stream_kind_name(StreamView::Kind k) {
  switch (k) {
    case StreamView::Kind::invalid: return "invalid";
    case StreamView::Kind::abort: return "abort";
    case StreamView::Kind::bypass: return "bypass";
    case StreamView::Kind::s1: return "s1";
    case StreamView::Kind::s2: return "s2";
  }
  return "?";
}

std::string describe(const StreamView& v) {
  std::string s(stream_kind_name(v.kind));
  if (v.kind == StreamView::Kind::s1)
    s += " cd_table=" + hex(v.cd_table) + (v.cd_valid ? "" : " cd_invalid") + " asid=" + std::to_string(v.asid) +
         " ttb0=" + hex(v.ttb) + " t0sz=" + std::to_string(v.tsz) + " tg=" + std::to_string(v.tg) +
         " ips=" + std::to_string(v.ps) + " mair=" + hex(v.mair) + (v.epd1 ? " epd1" : "");
  if (v.kind == StreamView::Kind::s2)
    s += " vmid=" + std::to_string(v.vmid) + " s2ttb=" + hex(v.ttb) + " s2t0sz=" + std::to_string(v.tsz) +
         " tg=" + std::to_string(v.tg) + " sl0=" + std::to_string(v.sl0) + " ps=" + std::to_string(v.ps);
  return s;
}

std::string_view smmu_command_name(SmmuCommand::Op op) {
  using O = SmmuCommand::Op;
  switch (op) {
    case O::prefetch_cfg: return "PREFETCH_CFG";
    case O::cfgi_ste: return "CFGI_STE";
    case O::cfgi_cd: return "CFGI_CD";
    case O::cfgi_all: return "CFGI_ALL";
    case O::tlbi_nh_asid: return "TLBI_NH_ASID";
    case O::tlbi_nh_va: return "TLBI_NH_VA";
    case O::tlbi_s2_ipa: return "TLBI_S2_IPA";
    case O::tlbi_s12_vmall: return "TLBI_S12_VMALL";
    case O::tlbi_nh_all: return "TLBI_NH_ALL";
    case O::tlbi_nsnh_all: return "TLBI_NSNH_ALL";
    case O::sync: return "CMD_SYNC";
    case O::other: return "other";
  }
  return "?";
}

std::string describe(const SmmuCommand& c) {
  using O = SmmuCommand::Op;
  std::string s(smmu_command_name(c.op));
  switch (c.op) {
    case O::prefetch_cfg: return s + " sid=" + std::to_string(c.sid);
    case O::cfgi_ste: return s + " sid=" + std::to_string(c.sid) + (c.leaf ? " leaf" : "");
    case O::cfgi_cd: return s + " sid=" + std::to_string(c.sid) + " ssid=" + std::to_string(c.ssid);
    case O::tlbi_nh_asid: return s + " asid=" + std::to_string(c.asid) + " vmid=" + std::to_string(c.vmid);
    case O::tlbi_s12_vmall: return s + " vmid=" + std::to_string(c.vmid);
    case O::tlbi_nh_va:
    case O::tlbi_s2_ipa:
      s += (c.op == O::tlbi_nh_va ? " asid=" + std::to_string(c.asid) + " vmid=" : " vmid=") + std::to_string(c.vmid) +
           " addr=" + hex(c.addr) + (c.leaf ? " leaf" : "");
      if (c.tg) s += " tg=" + std::to_string(c.tg) + " scale=" + std::to_string(c.scale) + " num=" + std::to_string(c.num);
      if (c.ttl) s += " ttl=" + std::to_string(c.ttl);
      return s;
    default: return s;
  }
}

std::string_view smmu_event_name(SmmuEvent::Id id) {
  using I = SmmuEvent::Id;
  switch (id) {
    case I::f_translation: return "F_TRANSLATION";
    case I::f_addr_size: return "F_ADDR_SIZE";
    case I::f_access: return "F_ACCESS";
    case I::f_permission: return "F_PERMISSION";
    case I::c_bad_ste: return "C_BAD_STE";
    case I::c_bad_cd: return "C_BAD_CD";
    case I::c_bad_streamid: return "C_BAD_STREAMID";
    case I::other: return "other";
  }
  return "?";
}

std::string_view smmu_domain_kind_name(SmmuDomainKind k) {
  switch (k) {
    case SmmuDomainKind::dma: return "dma";
    case SmmuDomainKind::identity: return "identity";
    case SmmuDomainKind::blocked: return "blocked";
    case SmmuDomainKind::unmanaged: return "unmanaged";
  }
  return "?";
}

}  // namespace iovet
