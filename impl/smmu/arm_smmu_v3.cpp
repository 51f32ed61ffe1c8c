#include "impl/smmu/arm_smmu_v3.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "impl/smmu/arm_smmu_domain.h"
#include "impl/smmu/queue.h"

namespace iovet {

using namespace smmu;
namespace q = smmu_queue;

namespace {
// Linux errnos attach returns.
constexpr int kEinval = 22, kErange = 34, kEnomem = 12, kEtimedout = 110;
// Register polls before giving up (ARM_SMMU_POLL_TIMEOUT_US, counted in reads: the modelled
// hardware answers every read, so a live one never needs this many).
constexpr unsigned kPollLimit = 1u << 20;
constexpr u64 kSteBytes = entry_qwords * 8;
constexpr u32 kGerrorErrMask = 0x1fd;  // GERROR_ERR_MASK
}  // namespace

ArmSmmuDevice::ArmSmmuDevice(SmmuMmio& mmio, PhysMem& mem, SmmuTraceSink sink)
    : mmio_(mmio), mem_(mem), sink_(std::move(sink)) {
  hw_probe();
  init_structures();
  device_reset();
}

ArmSmmuDevice::~ArmSmmuDevice() = default;

// arm_smmu_device_hw_probe(): ID registers to features and sizes.
void ArmSmmuDevice::hw_probe() {
  u32 reg = mmio_.readl(ARM_SMMU_IDR0);
  if (field_get(IDR0_ST_LVL, reg) == IDR0_ST_LVL_2LVL) feat_.two_lvl_strtab = true;
  feat_.two_lvl_cdtab = reg & IDR0_CD2L;
  const u64 endian = field_get(IDR0_TTENDIAN, reg);
  if (endian != IDR0_TTENDIAN_MIXED && endian != IDR0_TTENDIAN_LE)
    throw std::runtime_error("smmu: unknown/unsupported TT endianness");
  feat_.ats = reg & IDR0_ATS;
  feat_.sev = reg & IDR0_SEV;
  feat_.hyp = reg & IDR0_HYP;  // no VHE host: E2H stays off
  feat_.coherent = reg & IDR0_COHACC;
  switch (field_get(IDR0_STALL_MODEL, reg)) {
    case IDR0_STALL_MODEL_FORCE:
      feat_.stall_force = true;
      [[fallthrough]];
    case IDR0_STALL_MODEL_STALL:
      feat_.stalls = true;
  }
  feat_.trans_s1 = reg & IDR0_S1P;
  feat_.trans_s2 = reg & IDR0_S2P;
  if (!feat_.trans_s1 && !feat_.trans_s2) throw std::runtime_error("smmu: no translation support");
  switch (field_get(IDR0_TTF, reg)) {
    case IDR0_TTF_AARCH32_64:
      feat_.ias = 40;
      [[fallthrough]];
    case IDR0_TTF_AARCH64:
      break;
    default:
      throw std::runtime_error("smmu: AArch64 table format not supported");
  }
  feat_.asid_bits = reg & IDR0_ASID16 ? 16 : 8;
  feat_.vmid_bits = reg & IDR0_VMID16 ? 16 : 8;

  reg = mmio_.readl(ARM_SMMU_IDR1);
  if (reg & (IDR1_TABLES_PRESET | IDR1_QUEUES_PRESET | IDR1_REL))
    throw std::runtime_error("smmu: embedded implementation not supported");
  feat_.attr_types_ovr = reg & IDR1_ATTR_TYPES_OVR;
  feat_.cmdq_shift = std::min<unsigned>(CMDQ_MAX_SZ_SHIFT, field_get(IDR1_CMDQS, reg));
  // One whole batch plus its SYNC must fit: batches are never split.
  if (feat_.cmdq_shift <= ilog2(CMDQ_BATCH_ENTRIES))
    throw std::runtime_error("smmu: command queue size <= 64 entries not supported");
  feat_.evtq_shift = std::min<unsigned>(EVTQ_MAX_SZ_SHIFT, field_get(IDR1_EVTQS, reg));
  feat_.ssid_bits = field_get(IDR1_SSIDSIZE, reg);
  feat_.sid_bits = field_get(IDR1_SIDSIZE, reg);
  constexpr unsigned max_sid_bits = 32;  // StreamIDs are at most 32 bits (IHI 0070 3.2)
  if (feat_.sid_bits > max_sid_bits) throw std::runtime_error("smmu: IDR1.SIDSIZE beyond 32");
  // Fewer SIDs than one L2 table holds: a linear table is smaller.
  if (feat_.sid_bits <= STRTAB_SPLIT) feat_.two_lvl_strtab = false;

  reg = mmio_.readl(ARM_SMMU_IDR3);
  feat_.ril = reg & IDR3_RIL;
  feat_.s2fwb = reg & IDR3_FWB;

  reg = mmio_.readl(ARM_SMMU_IDR5);
  if (reg & IDR5_GRAN64K) feat_.pgsize_bitmap |= (u64{1} << 16) | (u64{1} << 29);
  if (reg & IDR5_GRAN16K) feat_.pgsize_bitmap |= (u64{1} << 14) | (u64{1} << 25);
  if (reg & IDR5_GRAN4K) feat_.pgsize_bitmap |= (u64{1} << 12) | (u64{1} << 21) | (u64{1} << 30);
  feat_.vax = field_get(IDR5_VAX, reg) == IDR5_VAX_52_BIT;
  static constexpr unsigned oas_bits[] = {32, 36, 40, 42, 44, 48, 52};
  const u64 oas = field_get(IDR5_OAS, reg);
  feat_.oas = oas < std::size(oas_bits) ? oas_bits[oas] : 48;  // unknown: truncate to 48
  if (feat_.oas == 52) feat_.pgsize_bitmap |= u64{1} << 42;    // 4TB blocks with 64K pages
  feat_.ias = std::max(feat_.ias, feat_.oas);
}

// dma_alloc_coherent(): whole pages, naturally aligned; 0 when memory runs out.
u64 ArmSmmuDevice::alloc_coherent(u64 bytes) {
  const u64 pages = std::max<u64>(1, (bytes + mem_.page_size() - 1) / mem_.page_size());
  const u64 rounded = roundup_pow_of_two(pages);
  return rounded ? mem_.alloc(rounded) : 0;
}

// arm_smmu_init_one_queue(): halve the queue until it fits, down to one page.
void ArmSmmuDevice::init_queue(Queue& qu, unsigned ent_shift, const char* name) {
  for (;;) {
    const u64 qsz = u64{1} << (qu.shift + ent_shift);
    qu.base_dma = alloc_coherent(qsz);
    if (qu.base_dma || qsz <= mem_.page_size()) break;
    --qu.shift;
  }
  if (!qu.base_dma) throw std::runtime_error(std::string("smmu: failed to allocate ") + name);
  qu.prod = qu.cons = 0;
}

// arm_smmu_init_structures(): queues, then the stream table with every STE aborting.
void ArmSmmuDevice::init_structures() {
  cmdq_.shift = feat_.cmdq_shift;
  evtq_.shift = feat_.evtq_shift;
  init_queue(cmdq_, CMDQ_ENT_SZ_SHIFT, "cmdq");
  init_queue(evtq_, EVTQ_ENT_SZ_SHIFT, "evtq");
  feat_.cmdq_shift = cmdq_.shift;
  feat_.evtq_shift = evtq_.shift;

  const u64 num_sids = u64{1} << feat_.sid_bits;
  if (feat_.two_lvl_strtab) {  // arm_smmu_init_strtab_2lvl()
    const u64 last_sid_idx = (num_sids - 1) / STRTAB_NUM_L2_STES;
    num_l1_ents_ = static_cast<u32>(std::min<u64>(last_sid_idx + 1, STRTAB_MAX_L1_ENTRIES));
    strtab_dma_ = alloc_coherent(u64{num_l1_ents_} * 8);
    if (!strtab_dma_) throw std::runtime_error("smmu: failed to allocate l1 stream table");
    l2_dma_.assign(num_l1_ents_, 0);
  } else {  // arm_smmu_init_strtab_linear()
    strtab_dma_ = alloc_coherent(num_sids * kSteBytes);
    if (!strtab_dma_) throw std::runtime_error("smmu: failed to allocate linear stream table");
    const Entry abort = make_abort_ste();
    for (u64 sid = 0; sid < num_sids; ++sid)  // not live yet: plain stores
      for (unsigned i = 0; i < entry_qwords; ++i)
        mem_.write(strtab_dma_ + sid * kSteBytes + 8 * i, abort[i]);
  }
}

// arm_smmu_write_reg_sync(): write, then poll the ACK register until it agrees.
void ArmSmmuDevice::write_reg_sync(u32 val, u64 reg, u64 ack) {
  mmio_.writel(reg, val);
  for (unsigned i = 0; i < kPollLimit; ++i)
    if (mmio_.readl(ack) == val) return;
  throw std::runtime_error("smmu: register write not acknowledged");
}

void ArmSmmuDevice::write_strtab() {  // arm_smmu_write_strtab()
  u32 cfg;
  if (feat_.two_lvl_strtab)
    cfg = static_cast<u32>(
        field_prep(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_2LVL) |
        field_prep(STRTAB_BASE_CFG_LOG2SIZE, ilog2(num_l1_ents_) + STRTAB_SPLIT) |
        field_prep(STRTAB_BASE_CFG_SPLIT, STRTAB_SPLIT));
  else
    cfg = static_cast<u32>(field_prep(STRTAB_BASE_CFG_FMT, STRTAB_BASE_CFG_FMT_LINEAR) |
                           field_prep(STRTAB_BASE_CFG_LOG2SIZE, feat_.sid_bits));
  mmio_.writeq(ARM_SMMU_STRTAB_BASE, (strtab_dma_ & STRTAB_BASE_ADDR_MASK) | STRTAB_BASE_RA);
  mmio_.writel(ARM_SMMU_STRTAB_BASE_CFG, cfg);
}

// arm_smmu_device_reset(): disable, program tables and queues, invalidate, enable.
void ArmSmmuDevice::device_reset() {
  write_reg_sync(0, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
  mmio_.writel(ARM_SMMU_CR1, static_cast<u32>(
      field_prep(CR1_TABLE_SH, ARM_SMMU_SH_ISH) | field_prep(CR1_TABLE_OC, CR1_CACHE_WB) |
      field_prep(CR1_TABLE_IC, CR1_CACHE_WB) | field_prep(CR1_QUEUE_SH, ARM_SMMU_SH_ISH) |
      field_prep(CR1_QUEUE_OC, CR1_CACHE_WB) | field_prep(CR1_QUEUE_IC, CR1_CACHE_WB)));
  mmio_.writel(ARM_SMMU_CR2, CR2_PTM | CR2_RECINVSID);
  write_strtab();

  const auto q_base = [](const Queue& qu) {
    return Q_BASE_RWA | (qu.base_dma & Q_BASE_ADDR_MASK) | field_prep(Q_BASE_LOG2SIZE, qu.shift);
  };
  mmio_.writeq(ARM_SMMU_CMDQ_BASE, q_base(cmdq_));
  mmio_.writel(ARM_SMMU_CMDQ_PROD, cmdq_.prod);
  mmio_.writel(ARM_SMMU_CMDQ_CONS, cmdq_.cons);
  u32 enables = CR0_CMDQEN;
  write_reg_sync(enables, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);

  CmdqEnt cmd;
  cmd.opcode = cmdq_op::cfgi_all;
  issue_cmd(cmd, true);
  if (feat_.hyp) {
    cmd.opcode = cmdq_op::tlbi_el2_all;
    issue_cmd(cmd, true);
  }
  cmd.opcode = cmdq_op::tlbi_nsnh_all;
  issue_cmd(cmd, true);

  mmio_.writeq(ARM_SMMU_EVTQ_BASE, q_base(evtq_));
  mmio_.writel(ARM_SMMU_EVTQ_PROD, evtq_.prod);
  mmio_.writel(ARM_SMMU_EVTQ_CONS, evtq_.cons);
  enables |= CR0_EVTQEN;
  write_reg_sync(enables, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
  if (feat_.ats) {
    enables |= CR0_ATSCHK;
    write_reg_sync(enables, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
  }
  enables |= CR0_SMMUEN;
  write_reg_sync(enables, ARM_SMMU_CR0, ARM_SMMU_CR0ACK);
}

// --- Command queue ---

// CONS as the driver polls it; an error reported there is handled as the GERROR interrupt
// would (arm_smmu_gerror_handler), which this model runs synchronously.
u32 ArmSmmuDevice::read_cmdq_cons() {
  const u32 cons = mmio_.readl(ARM_SMMU_CMDQ_CONS);
  if (field_get(CMDQ_CONS_ERR, cons) != CMDQ_ERR_CERROR_NONE_IDX) gerror_handler();
  return cons;
}

void ArmSmmuDevice::gerror_handler() {  // arm_smmu_gerror_handler(), CMDQ part
  const u32 gerror = mmio_.readl(ARM_SMMU_GERROR);
  const u32 gerrorn = mmio_.readl(ARM_SMMU_GERRORN);
  const u32 active = gerror ^ gerrorn;
  if (!(active & kGerrorErrMask)) return;
  if (active & GERROR_CMDQ_ERR) cmdq_skip_err();
  mmio_.writel(ARM_SMMU_GERRORN, gerror);
}

// __arm_smmu_cmdq_skip_err(): turn an illegal command into a CMD_SYNC so the queue moves on.
void ArmSmmuDevice::cmdq_skip_err() {
  const u32 cons = mmio_.readl(ARM_SMMU_CMDQ_CONS);
  const u64 idx = field_get(CMDQ_CONS_ERR, cons);
  if (idx == CMDQ_ERR_CERROR_NONE_IDX || idx == CMDQ_ERR_CERROR_ABT_IDX) return;  // retried
  CmdqEnt sync;
  sync.opcode = cmdq_op::cmd_sync;
  const CmdqRaw raw = arm_smmu_cmdq_build_cmd(sync);
  const u64 slot = cmdq_.base_dma + u64{q::idx(cmdq_.shift, cons)} * (cmdq_ent_dwords * 8);
  for (unsigned i = 0; i < cmdq_ent_dwords; ++i) mem_.write(slot + 8 * i, raw[i]);
  trace({SmmuTrace::Issued{smmu_command_of(sync)}});
}

// Never overwrite an entry the SMMU has not consumed.
int ArmSmmuDevice::cmdq_poll_until_not_full(u32 n) {
  unsigned polls = 0;
  while (!q::has_space(cmdq_.shift, cmdq_.prod, cmdq_.cons, n)) {
    if (++polls > kPollLimit) {
      ++cmdq_timeouts_;
      return -kEtimedout;
    }
    cmdq_.cons = read_cmdq_cons();
  }
  return 0;
}

int ArmSmmuDevice::issue_cmdlist(std::span<const CmdqEnt> cmds, bool sync) {
  const unsigned shift = cmdq_.shift;
  const u32 n = static_cast<u32>(cmds.size()) + (sync ? 1 : 0);
  // 1. Wait for space.
  if (const int ret = cmdq_poll_until_not_full(n)) return ret;
  // 2. Write the commands (and the SYNC) into their slots.
  const auto write_slot = [&](u32 prod, const CmdqEnt& ent) {
    const CmdqRaw raw = arm_smmu_cmdq_build_cmd(ent);
    const u64 slot = cmdq_.base_dma + u64{q::idx(shift, prod)} * (cmdq_ent_dwords * 8);
    for (unsigned i = 0; i < cmdq_ent_dwords; ++i) mem_.write(slot + 8 * i, raw[i]);
    if (sink_) trace({SmmuTrace::Issued{smmu_command_of(ent)}});
  };
  for (u32 i = 0; i < cmds.size(); ++i) write_slot(q::inc_prod_n(shift, cmdq_.prod, i), cmds[i]);
  const u32 sync_prod = q::inc_prod_n(shift, cmdq_.prod, static_cast<u32>(cmds.size()));
  if (sync) {
    CmdqEnt ent;
    ent.opcode = cmdq_op::cmd_sync;
    write_slot(sync_prod, ent);
  }
  // 3. Publish them.
  cmdq_.prod = q::inc_prod_n(shift, cmdq_.prod, n);
  mmio_.writel(ARM_SMMU_CMDQ_PROD, cmdq_.prod);
  if (!sync) return 0;
  // 4. __arm_smmu_cmdq_poll_until_consumed(): CONS must pass the SYNC.
  unsigned polls = 0;
  while (!q::consumed(shift, cmdq_.cons, sync_prod)) {
    if (++polls > kPollLimit) {
      ++cmdq_timeouts_;
      return -kEtimedout;
    }
    cmdq_.cons = read_cmdq_cons();
  }
  return 0;
}

void ArmSmmuDevice::CmdqBatch::add(const CmdqEnt& ent) {
  if (cmds_.size() == CMDQ_BATCH_ENTRIES) {  // full: issue without waiting
    smmu_.issue_cmdlist(cmds_, false);
    cmds_.clear();
  }
  cmds_.push_back(ent);
}

int ArmSmmuDevice::CmdqBatch::submit() {
  const int ret = smmu_.issue_cmdlist(cmds_, true);
  cmds_.clear();
  return ret;
}

// --- Stream table, CDs and the hitless update ---

bool ArmSmmuDevice::sid_in_range(u32 sid) const {  // arm_smmu_sid_in_range()
  if (feat_.two_lvl_strtab) return sid / STRTAB_NUM_L2_STES < num_l1_ents_;
  return (u64{sid} >> feat_.sid_bits) == 0;
}

u64 ArmSmmuDevice::ste_pa(u32 sid) const {  // arm_smmu_get_step_for_sid()
  if (!sid_in_range(sid)) return 0;
  if (!feat_.two_lvl_strtab) return strtab_dma_ + u64{sid} * kSteBytes;
  const u64 l2 = l2_dma_[sid / STRTAB_NUM_L2_STES];
  return l2 ? l2 + u64{sid % STRTAB_NUM_L2_STES} * kSteBytes : 0;
}

u64 ArmSmmuDevice::cd_pa(u32 sid) const {
  const auto it = masters_.find(sid);
  return it == masters_.end() ? 0 : it->second.cdtab_dma;
}

int ArmSmmuDevice::init_sid_strtab(u32 sid) {  // arm_smmu_init_sid_strtab()
  if (!sid_in_range(sid)) return -kErange;
  if (!feat_.two_lvl_strtab) return 0;
  const u32 l1 = sid / STRTAB_NUM_L2_STES;
  if (l2_dma_[l1]) return 0;
  // arm_smmu_init_l2_strtab(): a table of aborting STEs, then the L1 descriptor to it.
  const u64 l2 = alloc_coherent(u64{STRTAB_NUM_L2_STES} * kSteBytes);
  if (!l2) return -kEnomem;
  const Entry abort = make_abort_ste();
  for (u32 s = 0; s < STRTAB_NUM_L2_STES; ++s)
    for (unsigned i = 0; i < entry_qwords; ++i) mem_.write(l2 + s * kSteBytes + 8 * i, abort[i]);
  l2_dma_[l1] = l2;
  mem_.write(strtab_dma_ + u64{l1} * 8, field_prep(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1) |
                                           (l2 & STRTAB_L1_DESC_L2PTR_MASK));
  // The SMMU may have cached the invalid L1 descriptor: invalidate it (non-leaf CFGI_STE).
  CmdqEnt cfgi;
  cfgi.opcode = cmdq_op::cfgi_ste;
  cfgi.cfgi.sid = sid;
  cfgi.cfgi.leaf = false;
  issue_cmd(cfgi, true);
  return 0;
}

Entry ArmSmmuDevice::read_entry(u64 entry_pa) const {
  Entry e;
  for (unsigned i = 0; i < entry_qwords; ++i) e[i] = mem_.read(entry_pa + 8 * i);
  return e;
}

void ArmSmmuDevice::store_qword(const EntryWriter& w, u64 entry_pa, unsigned i, u64 v) {
  mem_.write(entry_pa + 8 * i, v);  // the hardware sees 64-bit stores atomically
  if (on_entry_store) on_entry_store(w.sid);
}

void ArmSmmuDevice::entry_sync(const EntryWriter& w) {
  CmdqEnt cmd;
  if (w.kind == EntryWriter::Kind::ste) {  // arm_smmu_ste_writer_sync_entry()
    cmd.opcode = cmdq_op::cfgi_ste;
    cmd.cfgi.sid = w.sid;
    cmd.cfgi.leaf = true;
    issue_cmd(cmd, true);
    return;
  }
  cmd.opcode = cmdq_op::cfgi_cd;  // arm_smmu_sync_cd() over the master's one stream
  cmd.cfgi.sid = w.sid;
  cmd.cfgi.ssid = w.ssid;
  cmd.cfgi.leaf = true;
  CmdqBatch batch(*this);
  batch.add(cmd);
  batch.submit();
}

void ArmSmmuDevice::entry_set(const EntryWriter& w, u64 entry_pa, const Entry& target,
                              unsigned start, unsigned len) {
  bool changed = false;
  for (unsigned i = start; i < start + len; ++i) {
    if (mem_.read(entry_pa + 8 * i) == target[i]) continue;
    store_qword(w, entry_pa, i, target[i]);
    changed = true;
  }
  if (changed) entry_sync(w);
}

Entry ArmSmmuDevice::entry_used(const EntryWriter& w, const Entry& e) {
  return w.kind == EntryWriter::Kind::ste ? get_ste_used(e) : get_cd_used(e);
}

void ArmSmmuDevice::write_entry(const EntryWriter& w, u64 entry_pa, const Entry& target) {
  const Entry entry = read_entry(entry_pa);
  const Entry safe = w.kind == EntryWriter::Kind::ste ? get_ste_update_safe(entry, target)
                                                      : Entry{};
  Entry unused_update;
  const unsigned diff = entry_qword_diff(entry_used(w, entry), entry_used(w, target), safe,
                                         entry, target, &unused_update);
  if (std::popcount(diff) == 1) {
    // Hitless: fill what the current config ignores, flip the one critical qword, then
    // clear what the new config ignores.
    const unsigned critical = static_cast<unsigned>(std::countr_zero(diff));
    unused_update[critical] = entry[critical];
    entry_set(w, entry_pa, unused_update, 0, entry_qwords);
    entry_set(w, entry_pa, target, critical, 1);
    entry_set(w, entry_pa, target, 0, entry_qwords);
  } else if (diff) {
    // Breaking: V=0, the other qwords, then qword 0 with V=1 in one store.
    unused_update[0] = 0;
    entry_set(w, entry_pa, unused_update, 0, 1);
    entry_set(w, entry_pa, target, 1, entry_qwords - 1);
    entry_set(w, entry_pa, target, 0, 1);
  } else {
    entry_set(w, entry_pa, target, 0, entry_qwords);  // only unused or safe bits change
  }
}

void ArmSmmuDevice::write_ste(u32 sid, const Entry& target) {  // arm_smmu_write_ste()
  write_entry({EntryWriter::Kind::ste, sid, 0}, ste_pa(sid), target);
  CmdqEnt prefetch;  // the new STE is likely to be used soon
  prefetch.opcode = cmdq_op::prefetch_cfg;
  prefetch.prefetch.sid = sid;
  issue_cmd(prefetch, false);
}

Entry ArmSmmuDevice::make_s1_cd(const ArmSmmuDomain& domain) const {
  return smmu::make_s1_cd(domain.s1_cfg(), domain.asid(), entry_features());
}

Entry ArmSmmuDevice::make_bypass_ste() const { return smmu::make_bypass_ste(entry_features()); }

void ArmSmmuDevice::clear_cd(u32 sid, Master& m) {  // arm_smmu_clear_cd(master, 0)
  if (m.cdtab_dma) write_entry({EntryWriter::Kind::cd, sid, 0}, m.cdtab_dma, Entry{});
}

EntryFeatures ArmSmmuDevice::entry_features() const {
  return {feat_.attr_types_ovr, feat_.stalls, feat_.stall_force};
}

int ArmSmmuDevice::attach(u32 sid, SmmuDomainKind kind, ArmSmmuDomain* domain) {
  if (feat_.sid_bits < 32 && (u64{sid} >> feat_.sid_bits)) return -kEinval;
  const bool paging = kind == SmmuDomainKind::dma || kind == SmmuDomainKind::unmanaged;
  if (paging && (!domain || &domain->smmu_ != this)) return -kEinval;
  // arm_smmu_probe_device() on first use of the stream: its L2 stream table.
  auto it = masters_.find(sid);
  if (it == masters_.end()) {
    if (const int ret = init_sid_strtab(sid)) return ret;
    it = masters_.emplace(sid, Master{}).first;
  }
  Master& m = it->second;
  const EntryFeatures ef = entry_features();
  switch (kind) {
    case SmmuDomainKind::dma:
    case SmmuDomainKind::unmanaged:  // arm_smmu_attach_dev(): any paging domain
      if (domain->stage() == ArmSmmuDomain::Stage::s1) {
        // arm_smmu_alloc_cd_ptr(): a linear table of one CD (no PASIDs).
        if (!m.cdtab_dma && !(m.cdtab_dma = alloc_coherent(kSteBytes))) return -kEnomem;
        write_entry({EntryWriter::Kind::cd, sid, 0}, m.cdtab_dma, make_s1_cd(*domain));
        write_ste(sid, make_cdtable_ste({m.cdtab_dma, STRTAB_STE_0_S1FMT_LINEAR, 0},
                                        STRTAB_STE_1_S1DSS_SSID0, ef));
      } else {
        write_ste(sid, make_s2_domain_ste(domain->s2_cfg(), domain->vmid(), ef));
        clear_cd(sid, m);
      }
      break;
    case SmmuDomainKind::identity:
      write_ste(sid, make_bypass_ste());
      clear_cd(sid, m);
      break;
    case SmmuDomainKind::blocked:
      write_ste(sid, make_abort_ste());
      clear_cd(sid, m);
      break;
  }
  m.kind = kind;
  m.domain = paging ? domain : nullptr;
  return 0;
}

// --- Invalidation ---

void ArmSmmuDevice::tlb_inv_range(CmdqEnt cmd, u64 iova, u64 size, u64 granule,
                                  unsigned tg_shift) {
  if (!size) return;
  tlbi_range_plan(iova, size, granule, tg_shift, feat_.ril, cmd.tlbi.leaf, tlbi_plan_);
  CmdqBatch batch(*this);
  for (const TlbiRange& r : tlbi_plan_) {
    cmd.tlbi.addr = r.addr;
    cmd.tlbi.tg = static_cast<std::uint8_t>(r.tg);
    cmd.tlbi.scale = static_cast<std::uint8_t>(r.scale);
    cmd.tlbi.num = static_cast<std::uint8_t>(r.num);
    cmd.tlbi.ttl = static_cast<std::uint8_t>(r.ttl);
    batch.add(cmd);
  }
  batch.submit();
}

u32 ArmSmmuDevice::alloc_id(std::set<u32>& used, unsigned bits) {
  const u32 max = static_cast<u32>((u64{1} << bits) - 1);
  for (u32 id = 1; id <= max; ++id)
    if (used.insert(id).second) return id;
  return 0;
}

// --- Event queue ---

namespace {
SmmuEvent::Id event_id(unsigned raw) {
  using Id = SmmuEvent::Id;
  switch (raw) {
    case EVT_ID_TRANSLATION_FAULT: return Id::f_translation;
    case EVT_ID_ADDR_SIZE_FAULT: return Id::f_addr_size;
    case EVT_ID_ACCESS_FAULT: return Id::f_access;
    case EVT_ID_PERMISSION_FAULT: return Id::f_permission;
    case EVT_ID_BAD_STE_CONFIG: return Id::c_bad_ste;
    case EVT_ID_BAD_CD_CONFIG: return Id::c_bad_cd;
    case EVT_ID_BAD_STREAMID_CONFIG: return Id::c_bad_streamid;
    default: return Id::other;
  }
}
}  // namespace

SmmuEvent ArmSmmuDevice::decode_event(const EvtqRecord& raw) const { return arm_smmu_decode_event(raw); }

SmmuEvent arm_smmu_decode_event(const std::array<u64, smmu::evtq_ent_dwords>& raw) {
  SmmuEvent e;
  e.raw_id = static_cast<unsigned>(field_get(EVTQ_0_ID, raw[0]));
  e.id = event_id(e.raw_id);
  e.sid = static_cast<u32>(field_get(EVTQ_0_SID, raw[0]));
  e.read = raw[1] & EVTQ_1_RnW;
  e.stage2 = raw[1] & EVTQ_1_S2;
  e.input_addr = raw[2];  // EVTQ_2_ADDR: all 64 bits
  return e;
}

std::vector<SmmuEvent> ArmSmmuDevice::read_events() {
  std::vector<SmmuEvent> out;
  const unsigned shift = evtq_.shift;
  do {
    while (!q::empty(shift, evtq_.prod, evtq_.cons)) {  // queue_remove_raw()
      const u64 rec = evtq_.base_dma + u64{q::idx(shift, evtq_.cons)} * (evtq_ent_dwords * 8);
      EvtqRecord raw;
      for (unsigned i = 0; i < evtq_ent_dwords; ++i) raw[i] = mem_.read(rec + 8 * i);
      out.push_back(decode_event(raw));
      evtq_.cons = q::inc_prod_n(shift, evtq_.cons, 1);  // queue_inc_cons()
      mmio_.writel(ARM_SMMU_EVTQ_CONS, evtq_.cons);
    }
    const u32 prod = mmio_.readl(ARM_SMMU_EVTQ_PROD);  // queue_sync_prod_in()
    if (q::ovf(prod) != q::ovf(evtq_.prod)) ++evtq_overflows_;
    evtq_.prod = prod;
  } while (!q::empty(shift, evtq_.prod, evtq_.cons));
  // queue_sync_cons_ovf(): acknowledge the overflow now that we are up to date.
  if (q::ovf(evtq_.prod) != q::ovf(evtq_.cons)) {
    evtq_.cons = q::ovf(evtq_.prod) | q::wrp(shift, evtq_.cons) | q::idx(shift, evtq_.cons);
    mmio_.writel(ARM_SMMU_EVTQ_CONS, evtq_.cons);
  }
  return out;
}

}  // namespace iovet
