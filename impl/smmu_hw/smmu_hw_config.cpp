#include "impl/smmu_hw/smmu_hw_config.h"

#include <algorithm>

#include "impl/smmu_hw/smmu_hw_regs.h"

namespace iovet::smmu_hw {

namespace {

constexpr unsigned ps_widths[] = {32, 36, 40, 42, 44, 48, 52};

// TCR.TG0 / VTCR.TG0 encodings: 0 4K, 1 64K, 2 16K.
unsigned tg0_shift(u64 tg) {
  switch (tg) {
    case 0: return 12;
    case 1: return 16;
    case 2: return 14;
  }
  return 0;
}

bool granule_supported(const SmmuHwParams& p, unsigned shift) {
  return (shift == 12 && p.gran4k) || (shift == 14 && p.gran16k) || (shift == 16 && p.gran64k);
}

bool read_dwords(const SystemMemory& mem, u64 pa, u64* d, unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    if (!mem.read64(pa + 8 * i, &d[i])) return false;
  return true;
}

// STRTAB_BASE_CFG.SPLIT: L2 tables of 4K, 16K or 64K (2^6, 2^8, 2^10 STEs).
bool split_valid(unsigned split) { return split == 6 || split == 8 || split == 10; }

// Where STE sid lives; 0 with *fault set when the stream table has no entry for it.
u64 locate_ste(const SystemMemory& mem, const SmmuHwParams& p, const StrtabRegs& st, u32 sid,
               SteFetch& out) {
  const unsigned log2size = std::min<unsigned>(
      static_cast<unsigned>(field_get(reg::STRTAB_BASE_CFG_LOG2SIZE, st.cfg)), p.sidsize);
  const u64 base = st.base & reg::STRTAB_BASE_ADDR;
  if (log2size < 32 && (u64{sid} >> log2size)) return out.fault = CfgFault::bad_streamid, 0;
  const u64 fmt = field_get(reg::STRTAB_BASE_CFG_FMT, st.cfg);
  if (fmt == reg::STRTAB_BASE_CFG_FMT_LINEAR) return base + u64{sid} * ste::SIZE;
  // A 2-level format the SMMU does not implement, or a reserved SPLIT, reaches no STE.
  const unsigned split = static_cast<unsigned>(field_get(reg::STRTAB_BASE_CFG_SPLIT, st.cfg));
  if (fmt != reg::STRTAB_BASE_CFG_FMT_2LVL || !p.st_2lvl || !split_valid(split))
    return out.fault = CfgFault::bad_streamid, 0;
  const u64 l1_pa = base + (u64{sid} >> split) * ste::L1_SIZE;
  u64 l1;
  if (!mem.read64(l1_pa, &l1)) return out.fetch_addr = l1_pa, out.fault = CfgFault::ste_fetch, 0;
  // SPAN 0: invalid; the L2 table holds 2^(SPAN-1) STEs, SPAN above SPLIT+1 is ILLEGAL.
  const unsigned span = static_cast<unsigned>(field_get(ste::L1_SPAN, l1));
  const u64 l2_idx = sid & ((u64{1} << split) - 1);
  if (span == 0 || span > split + 1 || l2_idx >= (u64{1} << (span - 1)))
    return out.fault = CfgFault::bad_streamid, 0;
  return (l1 & ste::L1_L2PTR) + l2_idx * ste::SIZE;
}

// STE.Config with its ILLEGAL cases (5.2): reserved encodings, a stage the SMMU lacks, and
// nested translation, which this model does not implement.
bool decode_ste(const SmmuHwParams& p, const u64* d, SteConfig& s) {
  if (!(d[0] & ste::V)) return false;
  switch (field_get(ste::CONFIG, d[0])) {
    case ste::CONFIG_ABORT: s.kind = StreamView::Kind::abort; return true;
    case ste::CONFIG_BYPASS: s.kind = StreamView::Kind::bypass; return true;
    case ste::CONFIG_S1:
      if (!p.s1 || field_get(ste::S1CDMAX, d[0]) != 0) return false;  // SSIDSIZE = 0
      s.kind = StreamView::Kind::s1;
      s.cd_ptr = d[0] & ste::S1CTXPTR;
      // Stage-1 entries are tagged with STE.S2VMID when stage 2 is implemented.
      if (p.s2) s.vmid = static_cast<u32>(field_get(ste::S2VMID, d[2])) & vmid_mask(p);
      return true;
    case ste::CONFIG_S2: break;
    default: return false;
  }
  if (!p.s2 || !(d[2] & ste::S2AA64) || (d[2] & ste::S2ENDI)) return false;
  s.kind = StreamView::Kind::s2;
  s.vmid = static_cast<u32>(field_get(ste::S2VMID, d[2])) & vmid_mask(p);
  s.s2_t0sz = static_cast<unsigned>(field_get(ste::S2T0SZ, d[2]));
  s.s2_sl0 = static_cast<unsigned>(field_get(ste::S2SL0, d[2]));
  s.s2_ps_bits = ps_bits(static_cast<unsigned>(field_get(ste::S2PS, d[2])));
  WalkCfg& w = s.s2;
  w.stage2 = true;
  w.pg_shift = tg0_shift(field_get(ste::S2TG, d[2]));
  if (!w.pg_shift || !granule_supported(p, w.pg_shift) || !s.s2_ps_bits) return false;
  w.ias = 64 - s.s2_t0sz;
  w.ps = std::min(s.s2_ps_bits, p.oas);
  w.start_level = s2_start_level(w.pg_shift, s.s2_sl0);
  w.affd = d[2] & ste::S2AFFD;
  w.lpa = p.oas == 52;
  w.ttb = d[3] & ste::S2TTB;
  return start_level_consistent(w);
}

// CD validity (5.4): AArch64 little-endian tables, an implemented granule, T0SZ in range.
bool decode_cd(const SmmuHwParams& p, const u64* d, CdConfig& c) {
  if (!(d[0] & cd::AA64) || (d[0] & cd::ENDI)) return false;
  c.asid = static_cast<u32>(field_get(cd::ASID, d[0])) & asid_mask(p);
  c.t0sz = static_cast<unsigned>(field_get(cd::T0SZ, d[0]));
  c.ips_bits = ps_bits(static_cast<unsigned>(field_get(cd::IPS, d[0])));
  c.epd0 = d[0] & cd::EPD0;
  c.epd1 = d[0] & cd::EPD1;
  c.mair = d[3];
  WalkCfg& w = c.s1;
  w.pg_shift = tg0_shift(field_get(cd::TG0, d[0]));
  if (!w.pg_shift || !granule_supported(p, w.pg_shift) || !c.ips_bits) return false;
  if (c.t0sz < cd::T0SZ_MIN || c.t0sz > cd::T0SZ_MAX) return false;
  w.ias = 64 - c.t0sz;
  w.ps = std::min(c.ips_bits, p.oas);
  w.start_level = s1_start_level(w.pg_shift, w.ias);
  w.affd = d[0] & cd::AFFD;
  w.lpa = p.oas == 52;
  w.ttb = d[1] & cd::TTB0;
  return true;
}

}  // namespace

unsigned ps_bits(unsigned encoding) {
  return encoding < std::size(ps_widths) ? ps_widths[encoding] : 0;
}

unsigned ps_encoding(unsigned bits) {
  for (unsigned i = 0; i < std::size(ps_widths); ++i)
    if (ps_widths[i] == bits) return i;
  return 0;
}

SteFetch fetch_ste(const SystemMemory& mem, const SmmuHwParams& p, const StrtabRegs& st, u32 sid) {
  SteFetch out;
  const u64 pa = locate_ste(mem, p, st, sid, out);
  if (out.fault != CfgFault::none) return out;
  u64 d[4];
  if (!read_dwords(mem, pa, d, 4)) return out.fetch_addr = pa, out.fault = CfgFault::ste_fetch, out;
  if (!decode_ste(p, d, out.ste)) out.fault = CfgFault::bad_ste, out.ste = SteConfig{};
  return out;
}

CdFetch fetch_cd(const SystemMemory& mem, const SmmuHwParams& p, u64 cd_ptr) {
  CdFetch out;
  u64 d[4];
  if (!read_dwords(mem, cd_ptr, d, 4))
    return out.fetch_addr = cd_ptr, out.fault = CfgFault::cd_fetch, out;
  out.v = d[0] & cd::V;
  if (!out.v || !decode_cd(p, d, out.cd)) out.fault = CfgFault::bad_cd, out.cd = CdConfig{};
  return out;
}

StreamView make_stream_view(const SteFetch& s, const CdFetch* c) {
  StreamView v;
  if (s.fault != CfgFault::none) return v;
  v.kind = s.ste.kind;
  switch (v.kind) {
    case StreamView::Kind::s1:
      v.cd_table = s.ste.cd_ptr;
      v.vmid = s.ste.vmid;
      if (!c || c->fault == CfgFault::cd_fetch || (c->fault == CfgFault::bad_cd && c->v))
        return StreamView{};  // no CD to read, or an ILLEGAL one
      v.cd_valid = c->v;
      if (!v.cd_valid) return v;
      v.asid = c->cd.asid;
      v.ttb = c->cd.s1.ttb;
      v.tsz = c->cd.t0sz;
      v.tg = c->cd.s1.pg_shift;
      v.ps = c->cd.ips_bits;
      v.mair = c->cd.mair;
      v.epd1 = c->cd.epd1;
      return v;
    case StreamView::Kind::s2:
      v.vmid = s.ste.vmid;
      v.ttb = s.ste.s2.ttb;
      v.tsz = s.ste.s2_t0sz;
      v.tg = s.ste.s2.pg_shift;
      v.ps = s.ste.s2_ps_bits;
      v.sl0 = s.ste.s2_sl0;
      return v;
    default: return v;
  }
}

}  // namespace iovet::smmu_hw
