// The specification of the IOVA allocator (rules iova.*): judges each observed call from what
// was asked, what came back and the allocator's own views of its state, handed in as data.
// It never calls an allocator.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.h"
#include "spec/rules.h"
#include "spec/unit/iova_allocator.h"

namespace iovet {

// One alloc_iova() (fast = false) or alloc_iova_fast() (fast = true, always size-aligned).
struct IovaRequest {
  u64 size = 0;
  u64 limit_pfn = 0;
  bool aligned = true;
  bool fast = false;
  bool size_aligned() const { return aligned || fast; }
  // The size the allocator may legitimately take: alloc_iova_fast() documents rounding sizes
  // below 1 << (IOVA_RANGE_CACHE_MAX_SIZE - 1) up to a power of two.
  u64 legal_size() const;
};

// IovaAllocator::allocated() / reserved() / cached() after a call.
struct IovaViews {
  std::vector<IovaRange> allocated;
  std::vector<IovaRange> reserved;
  std::vector<IovaRange> cached;
};

class IovaJudge {
 public:
  // Uses start_pfn, granule and the aperture of the case's config.
  explicit IovaJudge(const Config& cfg);

  // An allocation for `id` returned its first pfn, or failed (nullopt).
  std::vector<Violation> alloc(int op, const std::string& id, const IovaRequest& req,
                               std::optional<u64> pfn, const IovaViews& views);
  std::vector<Violation> free(int op, const std::string& id, const IovaViews& views);
  // reserve_iova(lo, hi) succeeded (ok) or refused.
  std::vector<Violation> reserve(int op, u64 pfn_lo, u64 pfn_hi, bool ok, const IovaViews& views);

 private:
  struct Live {
    IovaRange used;  // the pfns the caller asked for
    IovaRange held;  // what the allocator may hold for it (fast: the rounded size)
  };
  std::optional<IovaRange> legal_place(const IovaRequest& req) const;
  void check_views(int op, const IovaViews& views, std::vector<Violation>& out);

  u64 start_pfn_;
  u64 aperture_lo_pfn_;  // first pfn wholly inside the aperture
  u64 aperture_hi_pfn_;  // last pfn wholly inside the aperture
  bool aperture_empty_ = false;
  std::map<std::string, Live> live_;
  std::vector<IovaRange> reserved_;
  bool views_reported_ = false;  // an inconsistent allocator state is reported once
};

}  // namespace iovet
