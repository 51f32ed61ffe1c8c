#include "impl/smmu/tlbi_range.h"

#include <bit>
#include <stdexcept>

namespace iovet {

namespace {
// The TG encoding of a translation granule shift 12/14/16: 1/2/3.
unsigned tg_field(unsigned tg_shift) { return (tg_shift - 10) / 2; }
}  // namespace

std::vector<TlbiRange> tlbi_range_plan(u64 iova, u64 size, u64 granule, unsigned tg_shift,
                                       bool ril, bool leaf) {
  std::vector<TlbiRange> out;
  tlbi_range_plan(iova, size, granule, tg_shift, ril, leaf, out);
  return out;
}

void tlbi_range_plan(u64 iova, u64 size, u64 granule, unsigned tg_shift, bool ril, bool leaf,
                     std::vector<TlbiRange>& out) {
  out.clear();
  if (!size) return;
  if (!granule) throw std::invalid_argument("tlbi_range_plan: zero granule");
  if (tg_shift != 12 && tg_shift != 14 && tg_shift != 16)
    throw std::invalid_argument("tlbi_range_plan: tg_shift must be 12, 14 or 16");

  // The end wraps exactly as the kernel's unsigned long does (then nothing is issued).
  const u64 end = iova + size;
  if (!ril) {
    for (; iova < end; iova += granule) {
      out.push_back({iova, 0, 0, 0, 0});
      if (iova + granule < iova) break;  // the kernel would spin here; stop at the top instead
    }
    return;
  }

  u64 num_pages = size >> tg_shift;
  unsigned ttl = 0;
  if (leaf) {
    // The level holding leaves of `granule` bytes: 3 for pages, 2 for the first block size...
    ttl = 4 - (ilog2(granule) - 3) / (tg_shift - 3);
  } else if ((num_pages & cmdq_tlbi_range_num_max) == 1) {
    // Avoid SCALE = NUM = 0 on a non-leaf range (errata), at the cost of one more page.
    ++num_pages;
  }
  while (iova < end) {
    if (!num_pages)
      throw std::invalid_argument("tlbi_range_plan: size is not a multiple of the page size");
    const unsigned scale = static_cast<unsigned>(std::countr_zero(num_pages));  // __ffs
    const u64 num = (num_pages >> scale) & cmdq_tlbi_range_num_max;
    out.push_back({iova, tg_field(tg_shift), scale, static_cast<unsigned>(num - 1), ttl});
    iova += num << (scale + tg_shift);
    num_pages -= num << scale;
  }
}

u64 tlbi_range_bytes(const TlbiRange& r, u64 granule, unsigned tg_shift) {
  if (!r.tg) return granule;
  return (u64{r.num} + 1) << (r.scale + tg_shift);
}

}  // namespace iovet
