#include "run/smmu_observe.h"

#include <algorithm>

#include "spec/smmu_tlbi.h"

namespace iovet {

using Op = SmmuCommand::Op;

void SmmuObserver::trace(const SmmuTrace& t) {
  const auto* c = std::get_if<SmmuTrace::Consumed>(&t.item);
  if (!c) return;
  const SmmuCommand& m = c->cmd;
  switch (m.op) {
    // CMD_SYNC only completes what came before (the rules judge that), PREFETCH_CFG is a hint
    // with no effect a transaction can see.
    case Op::sync:
    case Op::prefetch_cfg:
      return;
    case Op::tlbi_nh_va:
    case Op::tlbi_s2_ipa: {
      const std::string ctx = m.op == Op::tlbi_nh_va ? "asid " + std::to_string(m.asid) : "vmid " + std::to_string(m.vmid);
      ranges_[ctx + (m.leaf ? " leaf" : " leaf+walk")].push_back(*tlbi_address_range(m));
      return;
    }
    // CFGI_STE also drops the stream's CDs (smmu_hw.cpp): a CFGI_CD of the stream in the
    // same op adds nothing.
    case Op::cfgi_ste:
      ste_sids_.insert(m.sid);
      [[fallthrough]];
    default:
      commands_.insert({m.op == Op::cfgi_cd ? m.sid : ~0u, describe(m) + (c->illegal ? " (CERROR_ILL)" : "")});
  }
}

std::vector<std::string> SmmuObserver::take(const std::map<u32, StreamView>& views) {
  std::vector<std::string> out;
  for (const auto& [cd_sid, c] : commands_)
    if (!ste_sids_.count(cd_sid)) out.push_back("  smmu consumed " + c);
  for (auto& [ctx, rs] : ranges_) {
    // The pages covered, as merged ranges: how a driver split them does not show.
    for (const Range& r : merge_ranges(std::move(rs))) out.push_back("  smmu invalidated " + ctx + " [" + hex(r.first) + ", " + hex(r.last) + "]");
  }
  commands_.clear();
  ste_sids_.clear();
  ranges_.clear();
  for (const auto& [sid, v] : views) {
    const auto it = views_.find(sid);
    if (it != views_.end() && it->second == v) continue;
    views_[sid] = v;
    // Table addresses are each stack's own memory; the ASID or VMID names the domain.
    StreamView shown = v;
    shown.cd_table = shown.ttb = 0;
    // io-pgtable uses AttrIndx 0-3 only; Linux's MAIR has 0xff in 4-7 by sign extension
    // (ARM_LPAE_MAIR_ATTR_INC_OWBRWA << 24 is a negative int), iovet's has 0.
    shown.mair &= 0xffffffff;
    out.push_back("  stream " + std::to_string(sid) + " in memory: " + describe(shown));
  }
  return out;
}

std::string SmmuObserver::event_line(const SmmuEvent& e) {
  return "  event " + std::string(smmu_event_name(e.id)) + " sid " + std::to_string(e.sid) + " addr " + hex(e.input_addr) +
         (e.read ? " read" : " write") + (e.stage2 ? " stage 2" : "");
}

}  // namespace iovet
