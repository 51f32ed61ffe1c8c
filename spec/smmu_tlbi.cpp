#include "spec/smmu_tlbi.h"

namespace iovet {

using Op = SmmuCommand::Op;

std::optional<Range> tlbi_address_range(const SmmuCommand& c) {
  if (c.op != Op::tlbi_nh_va && c.op != Op::tlbi_s2_ipa) return std::nullopt;
  const u64 addr = c.addr & ~u64{0xfff};
  if (c.tg == 0) return Range{addr, addr};
  const unsigned tg_shift = 12 + 2 * (c.tg - 1);  // TG: 1 = 4K, 2 = 16K, 3 = 64K
  const u64 base = addr & ~((u64{1} << tg_shift) - 1);
  const u64 bytes = (u64{c.num} + 1) << (c.scale + tg_shift);
  return Range{base, base + bytes - 1};
}

namespace {
// The translation level whose entries map `bytes` with granule 2^g; 0 when none does.
unsigned level_of(u64 bytes, unsigned g) {
  for (unsigned lvl = 3, shift = g; lvl > 0 && shift < 64; --lvl, shift += g - 3)
    if (bytes == u64{1} << shift) return lvl;
  return 0;
}

bool hints_fit(const SmmuCommand& c, const TlbTag& tag, u64 size, TlbEntryKind kind) {
  if (kind == TlbEntryKind::table && c.leaf) return false;
  if (!c.tg) return true;
  const unsigned g = 12 + 2 * (c.tg - 1);
  if (tag.tg_shift && g != tag.tg_shift) return false;
  if (!c.ttl) return true;
  const unsigned lvl = level_of(size, g);
  return lvl && c.ttl == (kind == TlbEntryKind::table ? lvl + 1 : lvl);
}
}  // namespace

bool tlbi_removes(const SmmuCommand& c, const TlbTag& tag, u64 iova, u64 size, TlbEntryKind kind) {
  const Range leaf{iova, iova + size - 1};
  switch (c.op) {
    case Op::tlbi_nh_all:
      return !tag.stage2;
    case Op::tlbi_nsnh_all:
      return true;
    case Op::tlbi_nh_asid:
      return !tag.stage2 && c.asid == tag.asid;
    case Op::tlbi_s12_vmall:
      return tag.stage2 && c.vmid == tag.vmid;
    case Op::tlbi_nh_va:
      return !tag.stage2 && c.asid == tag.asid && tlbi_address_range(c)->overlaps(leaf) && hints_fit(c, tag, size, kind);
    case Op::tlbi_s2_ipa:
      return tag.stage2 && c.vmid == tag.vmid && tlbi_address_range(c)->overlaps(leaf) && hints_fit(c, tag, size, kind);
    default:
      return false;
  }
}

}  // namespace iovet
