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

bool tlbi_removes(const SmmuCommand& c, const TlbTag& tag, u64 iova, u64 size) {
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
      return !tag.stage2 && c.asid == tag.asid && tlbi_address_range(c)->overlaps(leaf);
    case Op::tlbi_s2_ipa:
      return tag.stage2 && c.vmid == tag.vmid && tlbi_address_range(c)->overlaps(leaf);
    default:
      return false;
  }
}

}  // namespace iovet
