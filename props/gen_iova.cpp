#include "props/gen_iova.h"

#include "spec/unit/iova_allocator.h"

#include <algorithm>
#include <map>
#include <vector>

#include "props/gen_config.h"

namespace iovet {
namespace {

constexpr int kMaxOps = 30;

// The pfn space a case allocates in: [start_pfn, end_pfn], end_pfn the aperture's last pfn.
struct IovaSpace {
  u64 granule = 4096;
  u64 start_pfn = 1;
  u64 end_pfn = 0;
  unsigned shift() const { return ilog2(granule); }
  // The last pfn a 32-bit DMA mask reaches, within the aperture.
  u64 pfn_32bit() const { return std::min(end_pfn, u64{0xffffffff} >> shift()); }
};

// One generated call before ids are resolved. A free names the live allocation at index
// `pick` modulo the number of live ones, so removing earlier steps while shrinking still
// leaves a valid case.
struct IovaStep {
  enum class Kind { alloc, free } kind = Kind::alloc;
  u64 size = 1;
  u64 limit_pfn = 0;
  bool aligned = true;
  bool fast = false;
  size_t pick = 0;
  unsigned cpu = 0;
};

// Aperture sizes in pfns: tiny ones fill up within a few ops; 2^32 bytes puts the top of the
// aperture on the 32-bit boundary; 0 means the whole input range.
rc::Gen<u64> aperture_pfns(u64 granule) {
  const u64 four_gib = (u64{1} << 32) / granule;
  return rc::gen::weightedOneOf<u64>({{3, rc::gen::element<u64>(0x20, 0x40, 0x100)},
                                      {1, rc::gen::just<u64>(0x1000)},
                                      {2, rc::gen::just(four_gib)},
                                      {2, rc::gen::just<u64>(0)}});
}

rc::Gen<u64> start_pfn() {
  return rc::gen::weightedOneOf<u64>({{4, rc::gen::just<u64>(1)}, {1, rc::gen::inRange<u64>(1, 17)}});
}

// Sizes in pfns: small ones, powers of two, and some around the 32-pfn threshold below which
// alloc_iova_fast() rounds up.
rc::Gen<u64> iova_size() {
  return rc::gen::weightedOneOf<u64>({{3, rc::gen::inRange<u64>(1, 10)},
                                      {2, rc::gen::element<u64>(1, 2, 4, 8, 16, 32, 64)},
                                      {1, rc::gen::inRange<u64>(25, 40)},
                                      {1, rc::gen::inRange<u64>(1, 70)}});
}

// Limits as DMA masks give them: never below the 32-pfn sizes the rcache serves (a smaller
// limit makes mainline's iova_rcache_get wrap; no device has a mask that small).
rc::Gen<u64> limit_pfn(const IovaSpace& s) {
  const u64 top = s.end_pfn, top32 = s.pfn_32bit();
  auto below = [](u64 v) {
    return rc::gen::map(rc::gen::inRange<u64>(0, 17), [v](u64 d) { return d > v ? 0 : v - d; });
  };
  return rc::gen::weightedOneOf<u64>({{3, rc::gen::just(top)},
                                      {3, rc::gen::just(top32)},
                                      {1, below(top)},
                                      {1, below(top32)},
                                      {1, rc::gen::inRange<u64>(std::min<u64>(top, 63), std::min<u64>(top, 0x100) + 1)}});
}

// A pfn where allocations happen: near the top of the aperture, of the 32-bit space, or low.
rc::Gen<u64> busy_pfn(const IovaSpace& s) {
  const u64 top = s.end_pfn, top32 = s.pfn_32bit();
  auto below = [](u64 v) {
    return rc::gen::map(rc::gen::inRange<u64>(0, 0x81), [v](u64 d) { return d > v ? 0 : v - d; });
  };
  return rc::gen::oneOf(below(top), below(top32),
                        rc::gen::inRange<u64>(0, std::min<u64>(top, 0x100) + 1));
}

// Mostly CPU 0; the others now and then, so IOVAs freed on one CPU are wanted on another.
rc::Gen<unsigned> cpu() {
  return rc::gen::weightedOneOf<unsigned>({{3, rc::gen::just(0u)}, {1, rc::gen::inRange(1u, kIovaCpus)}});
}

rc::Gen<IovaStep> alloc_step(const IovaSpace& s) {
  return rc::gen::apply(
      [](u64 size, u64 limit, bool aligned, bool fast, unsigned on) {
        IovaStep st;
        st.kind = IovaStep::Kind::alloc;
        st.size = size;
        st.limit_pfn = limit;
        st.aligned = aligned;
        st.fast = fast;
        st.cpu = on;
        return st;
      },
      iova_size(), limit_pfn(s),
      rc::gen::weightedOneOf<bool>({{3, rc::gen::just(true)}, {1, rc::gen::just(false)}}),
      rc::gen::arbitrary<bool>(), cpu());
}

rc::Gen<IovaStep> free_step() {
  return rc::gen::apply(
      [](size_t pick, unsigned on) {
        IovaStep st;
        st.kind = IovaStep::Kind::free;
        st.pick = pick;
        st.cpu = on;
        return st;
      },
      rc::gen::inRange<size_t>(0, 64), cpu());
}

// A reserved pfn range where allocations happen.
rc::Gen<IovaRange> reserved_pfns(const IovaSpace& s) {
  return rc::gen::apply([top = s.end_pfn](u64 lo, u64 len) { return IovaRange{lo, std::min(top, lo + len - 1)}; },
                        busy_pfn(s), rc::gen::inRange<u64>(1, 9));
}

// reserve_iova is an init-time call (reserved regions, PCI windows): reservations come first,
// through domain.reserved, never over live allocations.
rc::Gen<IovaStep> iova_step(const IovaSpace& s) {
  return rc::gen::weightedOneOf<IovaStep>({{6, alloc_step(s)}, {4, free_step()}});
}

// domain.reserved regions (bytes), placed where allocations happen.
rc::Gen<std::vector<Range>> domain_reserved(const IovaSpace& s) {
  const unsigned shift = s.shift();
  return rc::gen::resize(
      3, rc::gen::container<std::vector<Range>>(rc::gen::map(reserved_pfns(s), [shift](const IovaRange& r) {
        return Range{r.pfn_lo << shift, ((r.pfn_hi + 1) << shift) - 1};
      })));
}

Config iova_config(const IovaSpace& s, std::vector<Range> reserved) {
  Config c;
  c.granule = s.granule;
  c.page_size = std::max<u64>(4096, s.granule);
  c.start_pfn = s.start_pfn;
  c.domain.aperture = Range{0, ((s.end_pfn + 1) << s.shift()) - 1};
  c.domain.reserved = std::move(reserved);
  return c;
}

IovaSpace make_space(u64 granule, u64 pfns, u64 start) {
  IovaSpace s;
  s.granule = granule;
  s.start_pfn = start;
  const u64 ias_pfns = (u64{1} << 48) >> ilog2(granule);
  s.end_pfn = (pfns ? pfns : ias_pfns) - 1;
  return s;
}

// Resolves the steps into ops: ids a0, a1, ... in allocation order; a free releases the
// picked live id the way it was allocated (free_iova_fast after alloc_iova_fast).
Case build_case(const IovaSpace& s, std::vector<Range> reserved, const std::vector<IovaStep>& steps,
                const std::string& variant) {
  Case c;
  c.name = "iova-generated";
  c.target = Target::iova;
  if (!variant.empty()) c.variant = variant;
  c.config = iova_config(s, std::move(reserved));
  std::vector<std::string> live;
  std::map<std::string, bool> fast;
  int next_id = 0;
  for (const IovaStep& st : steps) {
    switch (st.kind) {
      case IovaStep::Kind::alloc: {
        std::string id = "a" + std::to_string(next_id++);
        fast[id] = st.fast;
        live.push_back(id);
        c.ops.push_back({op::IovaAlloc{id, st.size, st.limit_pfn, st.aligned, st.fast, st.cpu}, {}});
        break;
      }
      case IovaStep::Kind::free: {
        if (live.empty()) break;
        const size_t i = st.pick % live.size();
        const std::string id = live[i];
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
        c.ops.push_back({op::IovaFree{id, fast[id], st.cpu}, {}});
        break;
      }
    }
  }
  return c;
}

}  // namespace

rc::Gen<Case> gen_iova_case(const std::string& variant) {
  auto space = rc::gen::mapcat(gen::granule(), [](u64 granule) {
    return rc::gen::apply([granule](u64 pfns, u64 start) { return make_space(granule, pfns, start); },
                          aperture_pfns(granule), start_pfn());
  });
  return rc::gen::mapcat(space, [variant](const IovaSpace& s) {
    return rc::gen::apply(
        [s, variant](std::vector<Range> reserved, std::vector<IovaStep> steps) {
          return build_case(s, std::move(reserved), steps, variant);
        },
        domain_reserved(s),
        rc::gen::resize(kMaxOps, rc::gen::container<std::vector<IovaStep>>(iova_step(s))));
  });
}

}  // namespace iovet
