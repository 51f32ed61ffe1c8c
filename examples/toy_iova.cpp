#include "toy_iova.h"

namespace toy {

using iovet::IovaRange;
using iovet::u64;

namespace {

u64 roundup_pow_of_two(u64 n) {
  u64 p = 1;
  while (p < n) p <<= 1;
  return p;
}

bool overlaps(const IovaRange& a, const IovaRange& b) { return a.pfn_lo <= b.pfn_hi && b.pfn_lo <= a.pfn_hi; }

}  // namespace

std::optional<IovaRange> ToyIova::alloc(u64 size, u64 limit_pfn, bool size_aligned) {
  if (size == 0) return std::nullopt;
  const u64 align = size_aligned ? roundup_pow_of_two(size) : 1;
  std::map<u64, IovaRange> busy = live_;
  busy.insert(reserved_.begin(), reserved_.end());
  // Gaps from the top down: [below the next busy range, hi].
  u64 hi = planted_bug_ ? limit_pfn + 1 : limit_pfn;
  const u64 lo = std::max<u64>(start_pfn_, 1);
  for (auto it = busy.rbegin();; ++it) {
    const u64 gap_lo = it == busy.rend() ? lo : std::max(lo, it->second.pfn_hi + 1);
    if (it != busy.rend() && it->second.pfn_lo > hi) continue;
    if (hi >= gap_lo && hi - gap_lo + 1 >= size) {
      const u64 pfn_lo = (hi - size + 1) & ~(align - 1);
      if (pfn_lo >= gap_lo) {
        const IovaRange r{pfn_lo, pfn_lo + size - 1};
        live_[pfn_lo] = r;
        return r;
      }
    }
    if (it == busy.rend() || it->second.pfn_lo <= lo) return std::nullopt;
    hi = it->second.pfn_lo - 1;
  }
}

u64 ToyIova::alloc_fast(u64 size, u64 limit_pfn, bool) {
  // alloc_iova_fast() rounds sizes below 1 << (IOVA_RANGE_CACHE_MAX_SIZE - 1) to a power of two.
  const std::optional<IovaRange> r = alloc(size < 32 ? roundup_pow_of_two(size) : size, limit_pfn, true);
  return r ? r->pfn_lo : 0;
}

std::optional<IovaRange> ToyIova::find(u64 pfn) const {
  auto it = live_.upper_bound(pfn);
  if (it == live_.begin()) return std::nullopt;
  --it;
  if (pfn > it->second.pfn_hi) return std::nullopt;
  return it->second;
}

void ToyIova::free(u64 pfn) {
  if (const std::optional<IovaRange> r = find(pfn)) live_.erase(r->pfn_lo);
}

void ToyIova::free_fast(u64 pfn, u64) { free(pfn); }

bool ToyIova::reserve(u64 pfn_lo, u64 pfn_hi) {
  const IovaRange r{pfn_lo, pfn_hi};
  for (const auto& [lo, l] : live_)
    if (overlaps(l, r)) return false;
  reserved_[pfn_lo] = r;
  return true;
}

std::vector<IovaRange> ToyIova::allocated() const {
  std::vector<IovaRange> out;
  for (const auto& [lo, r] : live_) out.push_back(r);
  return out;
}

std::vector<IovaRange> ToyIova::reserved() const {
  std::vector<IovaRange> out;
  for (const auto& [lo, r] : reserved_) out.push_back(r);
  return out;
}

}  // namespace toy
