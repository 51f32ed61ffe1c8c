#include "spec/iova_judge.h"

#include <algorithm>

namespace iovet {
namespace {

// alloc_iova_fast() rounds sizes below 1 << (IOVA_RANGE_CACHE_MAX_SIZE - 1) = 32 pfns.
constexpr u64 kFastRoundBelow = 32;

std::string range_str(const IovaRange& r) { return "[" + hex(r.pfn_lo) + ", " + hex(r.pfn_hi) + "]"; }

std::string request_str(const std::string& id, const IovaRequest& req) {
  return std::string(req.fast ? "alloc_fast " : "alloc ") + id + " (size " + hex(req.size) +
         ", limit_pfn " + hex(req.limit_pfn) + (req.size_aligned() ? ", size-aligned)" : ")");
}

// [pfn, pfn + size - 1], saturated at the top of the pfn space.
IovaRange span(u64 pfn, u64 size) {
  const u64 last = pfn + (size - 1);
  return {pfn, last < pfn ? ~u64{0} : last};
}

Violation violation(const char* rule, std::string message, int op) {
  Violation v;
  v.rule = rule;
  v.message = std::move(message);
  v.op = op;
  return v;
}

bool overlaps(const IovaRange& a, const IovaRange& b) {
  return a.pfn_lo <= b.pfn_hi && b.pfn_lo <= a.pfn_hi;
}

}  // namespace

u64 IovaRequest::legal_size() const {
  return fast && size < kFastRoundBelow ? roundup_pow_of_two(size) : size;
}

IovaJudge::IovaJudge(const Config& cfg) : start_pfn_(cfg.start_pfn) {
  const unsigned shift = cfg.granule_shift();
  const u64 mask = cfg.granule - 1;
  const Range ap = cfg.aperture();
  aperture_lo_pfn_ = (ap.first >> shift) + ((ap.first & mask) ? 1 : 0);
  const u64 top = ap.last >> shift;
  if ((ap.last & mask) == mask) {
    aperture_hi_pfn_ = top;
  } else if (top > 0) {
    aperture_hi_pfn_ = top - 1;
  } else {
    aperture_empty_ = true;
  }
  if (aperture_lo_pfn_ > aperture_hi_pfn_) aperture_empty_ = true;
}

// The lowest place a correct allocator could have used: inside [start_pfn, limit_pfn] and the
// aperture, never at pfn 0, aligned when asked, clear of every live allocation (with what it
// may hold) and every reserved range. Ranges in caches count as free. One sweep over the
// sorted occupied ranges.
std::optional<IovaRange> IovaJudge::legal_place(const IovaRequest& req) const {
  const u64 n = req.legal_size();
  const u64 align = req.size_aligned() ? roundup_pow_of_two(n) : 1;
  if (n == 0 || align == 0 || aperture_empty_) return std::nullopt;
  const u64 lo_w = std::max({start_pfn_, aperture_lo_pfn_, u64{1}});
  const u64 hi_w = std::min(req.limit_pfn, aperture_hi_pfn_);
  if (lo_w > hi_w) return std::nullopt;

  auto fit = [&](u64 g_lo, u64 g_hi) -> std::optional<IovaRange> {
    const u64 s = (g_lo + (align - 1)) & ~(align - 1);
    if (s < g_lo || s > g_hi || g_hi - s < n - 1) return std::nullopt;
    return IovaRange{s, s + n - 1};
  };

  std::vector<IovaRange> occupied = reserved_;
  for (const auto& [id, l] : live_) occupied.push_back(l.held);
  std::sort(occupied.begin(), occupied.end(),
            [](const IovaRange& a, const IovaRange& b) { return a.pfn_lo < b.pfn_lo; });
  u64 cursor = lo_w;
  for (const IovaRange& o : occupied) {
    if (o.pfn_hi < cursor) continue;
    if (o.pfn_lo > hi_w) break;
    if (o.pfn_lo > cursor)
      if (auto p = fit(cursor, o.pfn_lo - 1)) return p;
    if (o.pfn_hi >= hi_w) return std::nullopt;
    cursor = o.pfn_hi + 1;
  }
  return fit(cursor, hi_w);
}

std::vector<Violation> IovaJudge::alloc(int op, const std::string& id, const IovaRequest& req,
                                        std::optional<u64> pfn, const IovaViews& views) {
  std::vector<Violation> out;
  auto violate = [&](const char* rule, std::string msg) {
    out.push_back(violation(rule, request_str(id, req) + ": " + std::move(msg), op));
  };

  if (!pfn) {
    if (auto place = legal_place(req))
      violate("iova.spurious_failure", "failed although " + range_str(*place) + " is free");
    check_views(op, views, out);
    return out;
  }

  const IovaRange used = span(*pfn, req.size);
  if (used.pfn_lo == 0) violate("iova.zero", "handed out pfn 0: " + range_str(used));

  if (used.pfn_lo < start_pfn_ || used.pfn_hi > req.limit_pfn)
    violate("iova.window", range_str(used) + " is outside [start_pfn " + hex(start_pfn_) +
                               ", limit_pfn " + hex(req.limit_pfn) + "]");
  if (aperture_empty_ || used.pfn_lo < aperture_lo_pfn_ || used.pfn_hi > aperture_hi_pfn_)
    violate("iova.window", range_str(used) + " is outside the aperture's pfns [" +
                               hex(aperture_lo_pfn_) + ", " + hex(aperture_hi_pfn_) + "]");

  if (req.size_aligned()) {
    const u64 align = roundup_pow_of_two(req.size);
    if (align != 0 && (used.pfn_lo & (align - 1)) != 0)
      violate("iova.alignment",
              range_str(used) + " does not start on a multiple of " + hex(align));
  }

  for (const auto& [other, l] : live_)
    if (overlaps(used, l.used))
      violate("iova.overlap", range_str(used) + " overlaps live allocation " + other + " " +
                                  range_str(l.used));
  for (const IovaRange& r : reserved_)
    if (overlaps(used, r))
      violate("iova.overlap", range_str(used) + " overlaps reserved range " + range_str(r));

  live_[id] = Live{used, span(*pfn, std::max(req.size, req.legal_size()))};
  check_views(op, views, out);
  return out;
}

std::vector<Violation> IovaJudge::free(int op, const std::string& id, const IovaViews& views) {
  std::vector<Violation> out;
  live_.erase(id);
  check_views(op, views, out);
  return out;
}

std::vector<Violation> IovaJudge::reserve(int op, u64 pfn_lo, u64 pfn_hi, bool ok,
                                          const IovaViews& views) {
  std::vector<Violation> out;
  if (ok) reserved_.push_back({pfn_lo, pfn_hi});
  check_views(op, views, out);
  return out;
}

// The allocator's own state must not double-book space either: its live, reserved and cached
// ranges are disjoint, and nothing the caller still holds sits in a cache for reuse.
void IovaJudge::check_views(int op, const IovaViews& views, std::vector<Violation>& out) {
  if (views_reported_) return;
  std::vector<IovaRange> all = views.allocated;
  all.insert(all.end(), views.reserved.begin(), views.reserved.end());
  all.insert(all.end(), views.cached.begin(), views.cached.end());
  std::sort(all.begin(), all.end(),
            [](const IovaRange& a, const IovaRange& b) { return a.pfn_lo < b.pfn_lo; });
  size_t reach = 0;  // the range reaching highest so far
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i].pfn_lo <= all[reach].pfn_hi) {
      out.push_back(violation("iova.overlap",
                              "the allocator holds overlapping ranges " + range_str(all[reach]) +
                                  " and " + range_str(all[i]),
                              op));
      views_reported_ = true;
      return;
    }
    if (all[i].pfn_hi > all[reach].pfn_hi) reach = i;
  }
  for (const auto& [id, l] : live_)
    for (const IovaRange& c : views.cached)
      if (overlaps(l.used, c)) {
        out.push_back(violation("iova.overlap",
                                "live allocation " + id + " " + range_str(l.used) +
                                    " is held in the allocator's cache for reuse as " + range_str(c),
                                op));
        views_reported_ = true;
        return;
      }
}

}  // namespace iovet
