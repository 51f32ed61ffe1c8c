#include "impl/smmu_hw/smmu_hw.h"

namespace iovet {

using namespace smmu_hw;

namespace {

IotlbReplacement iotlb_replacement(SmmuHwParams::Replacement r) {
  switch (r) {
    case SmmuHwParams::Replacement::fifo: return IotlbReplacement::fifo;
    case SmmuHwParams::Replacement::random: return IotlbReplacement::random;
    default: return IotlbReplacement::lru;
  }
}

// A 64-bit register accessed as two 32-bit halves (off & 4 selects the upper one).
void write_half(u64& r, u64 off, u32 v) {
  const unsigned shift = (off & 4) ? 32 : 0;
  r = (r & ~(genmask(31, 0) << shift)) | (u64{v} << shift);
}
u32 read_half(u64 r, u64 off) { return static_cast<u32>(r >> ((off & 4) ? 32 : 0)); }

constexpr u64 half_base(u64 off) { return off & ~u64{4}; }

unsigned fault_event_id(Fault f) {
  switch (f) {
    case Fault::translation: return evt::F_TRANSLATION;
    case Fault::addr_size: return evt::F_ADDR_SIZE;
    case Fault::access: return evt::F_ACCESS;
    case Fault::permission: return evt::F_PERMISSION;
    default: return evt::F_WALK_EABT;
  }
}

}  // namespace

SmmuHw::SmmuHw(const SmmuHwParams& p, const SystemMemory& mem, SmmuTraceSink sink)
    : p_(p), mem_(mem), sink_(std::move(sink)), cfg_(p.cfg_cache_entries),
      iotlb_(p.iotlb_entries, iotlb_replacement(p.replacement), p.seed),
      walk_cache_(p.walk_cache_entries),
      gbpa_(static_cast<u32>(reg::GBPA_ABORT)) {}

u32 SmmuHw::idr(u64 off) const {
  u64 v = 0;
  switch (off) {
    case reg::IDR0:
      v = field_prep(reg::IDR0_ST_LVL, p_.st_2lvl ? reg::IDR0_ST_LVL_2LVL : 0) |
          field_prep(reg::IDR0_STALL_MODEL, reg::IDR0_STALL_MODEL_NONE) |
          field_prep(reg::IDR0_TTENDIAN, reg::IDR0_TTENDIAN_LE) |
          (p_.vmid16 ? reg::IDR0_VMID16 : 0) | (p_.asid16 ? reg::IDR0_ASID16 : 0) |
          reg::IDR0_COHACC | field_prep(reg::IDR0_TTF, reg::IDR0_TTF_AARCH64) |
          (p_.s1 ? reg::IDR0_S1P : 0) | (p_.s2 ? reg::IDR0_S2P : 0);
      break;
    case reg::IDR1:
      v = field_prep(reg::IDR1_CMDQS, p_.cmdq_log2) | field_prep(reg::IDR1_EVTQS, p_.evtq_log2) |
          field_prep(reg::IDR1_SIDSIZE, p_.sidsize);  // SSIDSIZE = 0
      break;
    case reg::IDR3: v = p_.ril ? reg::IDR3_RIL : 0; break;
    case reg::IDR5:
      v = field_prep(reg::IDR5_OAS, ps_encoding(p_.oas)) | (p_.gran4k ? reg::IDR5_GRAN4K : 0) |
          (p_.gran16k ? reg::IDR5_GRAN16K : 0) | (p_.gran64k ? reg::IDR5_GRAN64K : 0);
      break;
    case reg::AIDR: v = reg::AIDR_SMMUV3_2; break;
  }
  return static_cast<u32>(v);
}

u32 SmmuHw::readl(u64 off) {
  switch (off) {
    case reg::IDR0: case reg::IDR1: case reg::IDR3: case reg::IDR5: case reg::AIDR:
      return idr(off);
    case reg::CR0: return cr0_;
    case reg::CR0ACK: return cr0_;  // every CR0 change completes at once
    case reg::CR1: return cr1_;
    case reg::CR2: return cr2_;
    case reg::GBPA: return gbpa_;
    case reg::IRQ_CTRL: case reg::IRQ_CTRLACK: return irq_ctrl_;
    case reg::GERROR: return gerror_;
    case reg::GERRORN: return gerrorn_;
    case reg::STRTAB_BASE: case reg::STRTAB_BASE + 4: return read_half(strtab_base_, off);
    case reg::STRTAB_BASE_CFG: return strtab_cfg_;
    case reg::CMDQ_BASE: case reg::CMDQ_BASE + 4: return read_half(cmdq_.q.base, off);
    case reg::CMDQ_PROD: return cmdq_.q.prod;
    case reg::CMDQ_CONS: return read_cmdq_cons();
    case reg::EVTQ_BASE: case reg::EVTQ_BASE + 4: return read_half(evtq_.q.base, off);
    case reg::EVTQ_PROD: return evtq_.q.prod;
    case reg::EVTQ_CONS: return evtq_.q.cons;
  }
  return 0;  // unimplemented registers read as zero
}

void SmmuHw::writel(u64 off, u32 v) {
  const bool cmdq_on = cr0_ & reg::CR0_CMDQEN, evtq_on = cr0_ & reg::CR0_EVTQEN;
  switch (off) {
    case reg::CR0: write_cr0(v); return;
    case reg::CR1: cr1_ = v; return;
    case reg::CR2: cr2_ = v; return;
    case reg::GBPA: gbpa_ = v & ~static_cast<u32>(reg::GBPA_UPDATE); return;  // updates at once
    case reg::IRQ_CTRL: irq_ctrl_ = v; return;
    case reg::GERRORN: write_gerrorn(v); return;
    case reg::STRTAB_BASE: case reg::STRTAB_BASE + 4: write_half(strtab_base_, off, v); return;
    case reg::STRTAB_BASE_CFG: strtab_cfg_ = v; return;
    // Queue bases and the hardware-owned pointers are writable only while the queue is off.
    case reg::CMDQ_BASE: case reg::CMDQ_BASE + 4:
      if (!cmdq_on) write_half(cmdq_.q.base, off, v);
      return;
    case reg::CMDQ_PROD: write_cmdq_prod(v); return;
    case reg::CMDQ_CONS:
      if (!cmdq_on) cmdq_.q.cons = v & (QueuePtrs::ptr_mask(cmdq_.q.log2size(p_.cmdq_log2)) |
                                        static_cast<u32>(reg::CMDQ_CONS_ERR));
      return;
    case reg::EVTQ_BASE: case reg::EVTQ_BASE + 4:
      if (!evtq_on) write_half(evtq_.q.base, off, v);
      return;
    case reg::EVTQ_PROD:
      if (!evtq_on) evtq_.q.prod = v;
      return;
    case reg::EVTQ_CONS: evtq_.q.cons = v; return;
  }
  // Everything else (ID registers, IRQ_CFG, unimplemented) ignores writes.
}

u64 SmmuHw::readq(u64 off) {
  return readl(half_base(off)) | (u64{readl(half_base(off) + 4)} << 32);
}

void SmmuHw::writeq(u64 off, u64 v) {
  writel(half_base(off), static_cast<u32>(v));
  writel(half_base(off) + 4, static_cast<u32>(v >> 32));
}

void SmmuHw::write_cr0(u32 v) { cr0_ = v & static_cast<u32>(reg::CR0_IMPLEMENTED); }

void SmmuHw::write_gerrorn(u32 v) {
  gerrorn_ = v;
  if (!((gerror_ ^ gerrorn_) & reg::GERROR_CMDQ_ERR)) cmdq_.resume();
}

void SmmuHw::write_cmdq_prod(u32 v) {
  const unsigned log2 = cmdq_.q.log2size(p_.cmdq_log2);
  cmdq_.q.prod = v & QueuePtrs::ptr_mask(log2);
  if (QueuePtrs::used(cmdq_.q.prod, cmdq_.q.cons, log2) > (1u << log2))
    trace({SmmuTrace::QueueOverflow{cmdq_.q.prod, cmdq_.q.cons}});
}

u32 SmmuHw::read_cmdq_cons() {
  if (cr0_ & reg::CR0_CMDQEN) {
    const bool err = cmdq_.consume(
        mem_, p_, p_.cmdq_per_poll, [&](const DecodedCommand& c) { execute(c); },
        [&](const DecodedCommand& c) { trace({SmmuTrace::Consumed{c.cmd, true}}); });
    if (err) gerror_ ^= static_cast<u32>(reg::GERROR_CMDQ_ERR);
  }
  return cmdq_.q.cons;
}

// The effect of one legal command (IHI 0070 4.3-4.7), after it left the queue.
void SmmuHw::execute(const DecodedCommand& d) {
  const SmmuCommand& c = d.cmd;
  trace({SmmuTrace::Consumed{c, false}});
  const u32 asid = c.asid & asid_mask(p_), vmid = c.vmid & vmid_mask(p_);
  const TlbiRange range{c.addr, c.tg, c.scale, c.num, c.ttl};
  switch (d.opcode) {
    // IHI 0070 4.3.1: CFGI_STE removes the STE and the CDs fetched through it (as
    // CFGI_STE_RANGE does); Leaf = 1 only lets an L1STD stay, which this cache never holds.
    // Linux relies on it: 6.1 moves a stream to another domain's CD table with CFGI_STE alone
    // (arm_smmu_write_strtab_ent(), arm_smmu_sync_ste_for_sid()).
    case cmd::OP_CFGI_STE:
      cfg_.inv_ste_range(c.sid, c.sid, true);
      fetch_config(c.sid);
      break;
    case cmd::OP_CFGI_STE_RANGE: {
      const u64 span = u64{2} << d.range;  // 2^(RANGE+1) StreamIDs, aligned
      const u64 first = c.sid & ~(span - 1);
      cfg_.inv_ste_range(static_cast<u32>(first),
                         static_cast<u32>(std::min<u64>(first + span - 1, UINT32_MAX)), true);
      break;
    }
    case cmd::OP_CFGI_CD:
      cfg_.inv_cd(c.sid, c.ssid);
      fetch_config(c.sid);
      break;
    case cmd::OP_CFGI_CD_ALL: cfg_.inv_cds_of(c.sid); break;
    // By address, Leaf = 1 removes leaves only; walk-cache entries need Leaf = 0.
    case cmd::OP_TLBI_NH_ALL: iotlb_.inv_s1_vmid(vmid), walk_cache_.inv_s1_vmid(vmid); break;
    case cmd::OP_TLBI_NH_ASID: iotlb_.inv_s1_asid(asid, vmid), walk_cache_.inv_s1_asid(asid, vmid); break;
    case cmd::OP_TLBI_NH_VA:
      iotlb_.inv_s1_va(asid, false, vmid, range);
      if (!c.leaf) walk_cache_.inv_range(false, asid, false, vmid, range);
      break;
    case cmd::OP_TLBI_NH_VAA:
      iotlb_.inv_s1_va(0, true, vmid, range);
      if (!c.leaf) walk_cache_.inv_range(false, 0, true, vmid, range);
      break;
    case cmd::OP_TLBI_S2_IPA:
      iotlb_.inv_s2_ipa(vmid, range);
      if (!c.leaf) walk_cache_.inv_range(true, 0, false, vmid, range);
      break;
    case cmd::OP_TLBI_S12_VMALL: iotlb_.inv_vmid(vmid), walk_cache_.inv_vmid(vmid); break;
    case cmd::OP_TLBI_NSNH_ALL: iotlb_.inv_all(), walk_cache_.inv_all(); break;
    case cmd::OP_CMD_SYNC: trace({SmmuTrace::SyncDone{}}); break;
    default: break;  // PREFETCH_*: nothing to fetch ahead in this model
  }
}

void SmmuHw::record(const EventRecord& e) {
  if (!(cr0_ & reg::CR0_EVTQEN)) return;  // events are discarded while the queue is off
  if (evtq_.push(mem_, p_.evtq_log2, e) == EventQueue::Push::abort)
    gerror_ ^= static_cast<u32>(reg::GERROR_EVTQ_ABT_ERR);
}

void SmmuHw::record_cfg_fault(u32 sid, CfgFault f, u64 fetch_addr) {
  EventRecord e;
  e.sid = sid;
  e.fetch_addr = fetch_addr;
  switch (f) {
    case CfgFault::bad_streamid: e.id = evt::C_BAD_STREAMID; break;
    case CfgFault::ste_fetch: e.id = evt::F_STE_FETCH; break;
    case CfgFault::bad_ste: e.id = evt::C_BAD_STE; break;
    case CfgFault::cd_fetch: e.id = evt::F_CD_FETCH; break;
    default: e.id = evt::C_BAD_CD; break;
  }
  record(e);
}

void SmmuHw::record_fault(u32 sid, Fault f, bool stage2, u64 ia, bool write, u64 fetch_addr) {
  EventRecord e;
  e.id = fault_event_id(f);
  e.sid = sid;
  e.translation = true;
  e.read = !write;
  e.stage2 = stage2;
  e.input_addr = ia;
  e.ipa = ia;  // a stage-2-only stream's input address is the IPA
  e.fetch_addr = fetch_addr;
  record(e);
}

// The IOTLB lookup, then the walk on a miss; the entry used becomes the stream's micro-TLB.
DeviceAccessResult SmmuHw::translate(StreamFast& f, u64 ia, bool write) {
  const bool stage2 = f.kind == StreamView::Kind::s2;
  if (const IotlbEntry* e = iotlb_.lookup(stage2, f.asid, f.vmid, ia)) {
    ++stats_.iotlb_hits;
    f.utlb = iotlb_.index_of(*e);
    f.utlb_epoch = iotlb_.epoch();
    if (e->allows(write)) return {true, e->output(ia), true};
    record_fault(f.sid, Fault::permission, stage2, ia, write, 0);
    return {};
  }
  return walk_and_fill(f, ia, write);
}

DeviceAccessResult SmmuHw::walk_and_fill(StreamFast& f, u64 ia, bool write) {
  const bool stage2 = f.kind == StreamView::Kind::s2;
  ++stats_.iotlb_misses;
  ++stats_.walks;
  WalkResult r;
  if (f.disabled) {
    r.fault = Fault::translation;
  } else {
    // Start at the deepest table the walk cache holds; cache the tables passed through.
    const u32 asid = stage2 ? 0 : f.asid;
    const WalkCacheEntry* w = walk_cache_.lookup(stage2, asid, f.vmid, ia);
    const WalkStart from{w ? w->level + 1 : 0, w ? w->table : 0};
    WalkTables seen;
    r = walk_tables(mem_, *f.walk, ia, w ? &from : nullptr, &seen);
    const unsigned pg = f.walk->pg_shift;
    for (int l = from.level ? from.level : f.walk->start_level; l < max_level; ++l)
      if (seen.table[l]) {
        const unsigned shift = level_shift(pg, l);
        walk_cache_.insert({ia & ~((u64{1} << shift) - 1), seen.table[l], asid, f.vmid, static_cast<unsigned char>(l),
                            static_cast<unsigned char>(shift), static_cast<unsigned char>(pg), true, stage2});
      }
  }
  if (r.fault != Fault::none) {
    record_fault(f.sid, r.fault, stage2, ia, write, r.fetch_addr);
    return {};
  }
  IotlbEntry e;
  e.in_base = r.in_base;
  e.out_base = r.out_base;
  e.asid = stage2 ? 0 : f.asid;
  e.vmid = f.vmid;
  e.block_shift = static_cast<unsigned char>(r.block_shift);
  e.level = static_cast<unsigned char>(r.level);
  e.pg_shift = static_cast<unsigned char>(f.walk->pg_shift);
  e.stage2 = stage2;
  e.global = !stage2 && r.global;
  e.read = r.read;
  e.write = r.write;
  f.utlb = iotlb_.insert(e);
  f.utlb_epoch = iotlb_.epoch();
  if (!(write ? r.write : r.read)) {
    record_fault(f.sid, Fault::permission, stage2, ia, write, 0);
    return {};
  }
  return {true, r.out_base + (ia - r.in_base), false};
}

DeviceAccessResult SmmuHw::access_slow(u32 sid, u64 iova, bool write) {
  if (!(cr0_ & reg::CR0_SMMUEN)) {
    if (gbpa_ & reg::GBPA_ABORT) return {};
    return {true, iova, false};
  }
  StreamFast& f = fast_[sid % fast_slots];
  if (f.gen == cfg_.generation() && f.sid == sid)
    stats_.cfg_hits += f.lookups;
  else if (!lookup_stream(sid, f))
    return {};
  switch (f.kind) {
    case StreamView::Kind::bypass: return {true, iova, false};
    case StreamView::Kind::s1:
    case StreamView::Kind::s2:
      return translate(f, iova, write);
    default: return {};  // STE.Config = abort: terminated without an event
  }
}

// The STE (and for stage 1 the CD) through the configuration cache, fetched on a miss; false
// after recording the event of a configuration fault.
bool SmmuHw::lookup_stream(u32 sid, StreamFast& f) {
  const SteConfig* ste = cfg_.find_ste(sid);
  if (ste) {
    ++stats_.cfg_hits;
  } else {
    ++stats_.cfg_misses;
    const SteFetch s = fetch_ste(mem_, p_, strtab(), sid);
    if (s.fault != CfgFault::none) {
      record_cfg_fault(sid, s.fault, s.fetch_addr);
      return false;
    }
    cfg_.insert_ste(sid, s.ste);
    ste = cfg_.find_ste(sid);
  }
  f = StreamFast{};
  f.sid = sid;
  f.kind = ste->kind;
  f.lookups = 1;
  f.vmid = ste->vmid;
  if (f.kind == StreamView::Kind::s2) f.walk = &ste->s2;
  if (f.kind == StreamView::Kind::s1) {
    const u64 cd_ptr = ste->cd_ptr;  // inserting the CD may evict the STE's entry
    const CdConfig* cd = cfg_.find_cd(sid, 0);
    if (cd) {
      ++stats_.cfg_hits;
    } else {
      ++stats_.cfg_misses;
      const CdFetch c = fetch_cd(mem_, p_, cd_ptr);
      if (c.fault != CfgFault::none) {
        record_cfg_fault(sid, c.fault, c.fetch_addr);
        return false;
      }
      cfg_.insert_cd(sid, 0, c.cd);
      cd = cfg_.find_cd(sid, 0);
    }
    f.lookups = 2;
    f.asid = cd->asid;
    f.walk = &cd->s1;
    f.disabled = cd->epd0;
    // Reuse only while both entries stay cached: a full cache may have evicted the STE.
    if (!cfg_.find_ste(sid)) return true;
  }
  f.gen = cfg_.generation();
  return true;
}

void SmmuHw::fetch_config(u32 sid) {
  if (!(cr0_ & reg::CR0_SMMUEN)) return;
  const SteConfig* ste = cfg_.find_ste(sid);
  if (!ste) {
    const SteFetch s = fetch_ste(mem_, p_, strtab(), sid);
    if (s.fault != CfgFault::none) return;
    cfg_.insert_ste(sid, s.ste);
    ste = cfg_.find_ste(sid);
  }
  if (ste->kind != StreamView::Kind::s1 || cfg_.find_cd(sid, 0)) return;
  const CdFetch c = fetch_cd(mem_, p_, ste->cd_ptr);
  if (c.fault == CfgFault::none) cfg_.insert_cd(sid, 0, c.cd);
}

StreamView SmmuHw::config_in_use(u32 sid) const {
  SteFetch s;
  if (const SteConfig* ste = cfg_.peek_ste(sid)) s.ste = *ste;
  else s = fetch_ste(mem_, p_, strtab(), sid);
  if (s.fault != CfgFault::none || s.ste.kind != StreamView::Kind::s1) return make_stream_view(s, nullptr);
  CdFetch c;
  if (const CdConfig* cd = cfg_.peek_cd(sid, 0)) c.cd = *cd, c.v = true;
  else c = fetch_cd(mem_, p_, s.ste.cd_ptr);
  return make_stream_view(s, &c);
}

StreamView SmmuHw::stream_view(u32 sid) const {
  const SteFetch s = fetch_ste(mem_, p_, strtab(), sid);
  if (s.fault != CfgFault::none || s.ste.kind != StreamView::Kind::s1)
    return make_stream_view(s, nullptr);
  const CdFetch c = fetch_cd(mem_, p_, s.ste.cd_ptr);
  return make_stream_view(s, &c);
}

std::vector<IotlbLine> SmmuHw::iotlb() const {
  std::vector<IotlbLine> v;
  for (const smmu_hw::IotlbEntry& e : iotlb_.live())
    v.push_back({e.stage2, e.asid, e.vmid, e.in_base, u64{1} << e.block_shift, e.out_base, e.read, e.write});
  return v;
}

Translation SmmuHw::walk(u32 sid, u64 iova) const {
  const SteFetch s = fetch_ste(mem_, p_, strtab(), sid);
  if (s.fault != CfgFault::none) return {};
  WalkResult r;
  switch (s.ste.kind) {
    case StreamView::Kind::bypass: return {true, iova, true, true};
    case StreamView::Kind::s2: r = walk_tables(mem_, s.ste.s2, iova); break;
    case StreamView::Kind::s1: {
      const CdFetch c = fetch_cd(mem_, p_, s.ste.cd_ptr);
      if (c.fault != CfgFault::none || c.cd.epd0) return {};
      r = walk_tables(mem_, c.cd.s1, iova);
      break;
    }
    default: return {};
  }
  if (r.fault != Fault::none) return {};
  return {true, r.out_base + (iova - r.in_base), r.read, r.write};
}

}  // namespace iovet
