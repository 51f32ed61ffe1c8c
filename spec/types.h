// Basic kernel-domain vocabulary shared by every layer.
#pragma once
#include <bit>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>
#include <string_view>

namespace iovet {

using u64 = std::uint64_t;
using u32 = std::uint32_t;

// enum dma_data_direction (DMA_NONE is not a valid argument to any op).
enum class Dir { bidirectional, to_device, from_device };
std::string_view dir_name(Dir d);
bool parse_dir(std::string_view s, Dir& out);

// IOMMU API protection flags, as in include/linux/iommu.h.
namespace prot {
inline constexpr int read = 1 << 0;
inline constexpr int write = 1 << 1;
inline constexpr int cache = 1 << 2;
inline constexpr int noexec = 1 << 3;
inline constexpr int mmio = 1 << 4;
inline constexpr int priv = 1 << 5;
}  // namespace prot

// dma_info_to_prot(): the direction decides what the device may do.
inline int dir_to_prot(Dir d, bool coherent) {
  constexpr int by_dir[] = {prot::read | prot::write, prot::read, prot::write};  // in Dir's order
  const auto i = static_cast<unsigned>(d);
  return i < std::size(by_dir) ? (coherent ? prot::cache : 0) | by_dir[i] : 0;
}

// An inclusive range [first, last], as the case format writes them.
struct Range {
  u64 first = 0;
  u64 last = 0;
  bool contains(u64 a) const { return first <= a && a <= last; }
  bool overlaps(const Range& o) const { return first <= o.last && o.first <= last; }
  friend bool operator==(const Range&, const Range&) = default;
};

// The ranges sorted, overlapping and adjacent ones joined: the bytes they cover, however split.
std::vector<Range> merge_ranges(std::vector<Range> rs);

inline bool is_pow2(u64 x) { return x && !(x & (x - 1)); }
// roundup_pow_of_two() for x >= 1; 0 when the result does not fit in 64 bits.
inline u64 roundup_pow_of_two(u64 x) {
  if (x <= 1) return 1;
  if (x > (u64{1} << 63)) return 0;
  return std::bit_ceil(x);
}
// floor(log2(x)), x > 0 (the kernel's __fls / ilog2); inline: the IOMMU core calls it per page.
inline unsigned ilog2(u64 x) { return 63u - static_cast<unsigned>(std::countl_zero(x)); }
std::string hex(u64 v);

}  // namespace iovet
