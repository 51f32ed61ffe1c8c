#include "spec/pt_judge.h"

#include <algorithm>
#include <bit>

namespace iovet {
namespace {

// One violation per rule per op: a wrong table shows in the walk and in the probes alike.
void add(std::vector<Violation>& out, int op, const char* rule, std::string msg) {
  for (const Violation& v : out)
    if (v.op == op && v.rule == rule) return;
  out.push_back({rule, std::move(msg), op, ""});
}

std::string ret_str(int ret) { return ret ? "-" + std::string(errno_name(ret)) : "0"; }

std::string span_str(u64 iova, u64 size) { return "[" + hex(iova) + ", +" + hex(size) + ")"; }

// The first byte of [lo, hi) that merged ranges (merge_ranges) leave uncovered, or hi.
u64 first_uncovered(const std::vector<Range>& merged, u64 lo, u64 hi) {
  for (const Range& r : merged) {
    if (r.last < lo) continue;
    if (r.first > lo) break;
    if (r.last >= hi - 1) return hi;
    lo = r.last + 1;
  }
  return std::min(lo, hi);
}

}  // namespace

PtJudge::PtJudge(const PgtableCfg& cfg, bool can_express_write_only, std::size_t top_table_pages)
    : cfg_(cfg), write_only_(can_express_write_only), top_pages_(top_table_pages) {}

u64 PtJudge::ias_max() const { return cfg_.ias >= 64 ? ~u64{0} : (u64{1} << cfg_.ias) - 1; }

bool PtJudge::pgsize_ok(u64 pgsize) const {
  return is_pow2(pgsize) && (pgsize & cfg_.pgsize_bitmap) == pgsize;
}

const PtJudge::Run* PtJudge::find(const Live& l, u64 a) {
  auto it = l.upper_bound(a);
  if (it == l.begin()) return nullptr;
  --it;
  return a - it->second.iova < it->second.size ? &it->second : nullptr;
}

bool PtJudge::any_live(const Live& l, u64 lo, u64 hi) {
  if (find(l, lo)) return true;
  auto it = l.upper_bound(lo);
  return it != l.end() && it->first <= hi;
}

void PtJudge::erase(Live& l, u64 lo, u64 hi) {
  // Cut the runs straddling lo and hi + 1, then drop everything between.
  auto cut = [&l](u64 a) {
    const Run* r = find(l, a);
    if (!r || r->iova == a) return;
    Run right = *r;
    right.iova = a;
    right.phys += a - r->iova;
    right.size -= a - r->iova;
    l[r->iova].size = a - r->iova;
    l[a] = right;
  };
  cut(lo);
  if (hi != ~u64{0}) cut(hi + 1);
  l.erase(l.lower_bound(lo), hi == ~u64{0} ? l.end() : l.lower_bound(hi + 1));
}

std::vector<PtJudge::Linear> PtJudge::linear(const Live& l) {
  std::vector<Linear> out;
  for (const auto& [va, r] : l) {
    if (!out.empty() && out.back().iova + out.back().size == r.iova &&
        out.back().phys + out.back().size == r.phys)
      out.back().size += r.size;
    else
      out.push_back({r.iova, r.size, r.phys});
  }
  return out;
}

std::vector<PtJudge::Linear> PtJudge::linear(const std::vector<Leaf>& leaves) {
  std::vector<Linear> out;
  for (const Leaf& f : leaves) out.push_back({f.iova, f.size, f.phys});
  // leaves() is documented in IOVA order; sort anyway so a table breaking that is still judged.
  if (!std::is_sorted(out.begin(), out.end(), [](const Linear& a, const Linear& b) { return a.iova < b.iova; }))
    std::sort(out.begin(), out.end(), [](const Linear& a, const Linear& b) { return a.iova < b.iova; });
  std::size_t k = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (k && out[k - 1].iova + out[k - 1].size == out[i].iova && out[k - 1].phys + out[k - 1].size == out[i].phys)
      out[k - 1].size += out[i].size;
    else
      out[k++] = out[i];
  }
  out.resize(k);
  return out;
}

std::vector<u64> PtJudge::probe_points(const std::vector<Leaf>& leaves, u64 lo, u64 hi) const {
  std::vector<u64> pts;
  auto around = [&pts](u64 a, u64 size) {
    const u64 end = a + size;  // ias <= 52: no wrap
    pts.insert(pts.end(), {a, a + size / 2, end - 1, end});
    if (a) pts.push_back(a - 1);
  };
  for (const Linear& l : linear(live_)) around(l.iova, l.size);
  for (const Linear& l : linear(leaves)) around(l.iova, l.size);
  if (lo <= hi && hi <= ias_max()) around(lo, hi - lo + 1);
  pts.push_back(0);
  pts.push_back(ias_max());
  std::erase_if(pts, [this](u64 a) { return a > ias_max(); });
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  return pts;
}

std::vector<Violation> PtJudge::map(int op, const PtMapRequest& r, int ret, u64 mapped,
                                    const PtObservation& obs) {
  std::vector<Violation> out;
  Live expected = live_;
  const std::string req = "map " + hex(r.iova) + " -> " + hex(r.paddr) + " (" + hex(r.pgsize) + " x " +
                          std::to_string(r.pgcount) + ")";
  const char* rule = "pt.translation";
  // What a failed map left behind: the pages before the failure, which it reports in mapped.
  auto keep_prefix = [&](u64 legal) {
    if (mapped % r.pgsize || mapped > legal) {
      add(out, op, rule, req + " failed with " + ret_str(ret) + " but reports " + hex(mapped) +
                             " mapped; at most " + hex(legal) + " in whole pages can be");
      return;
    }
    if (mapped) expected[r.iova] = {r.iova, mapped, r.paddr, r.prot, r.pgsize};
  };

  u64 bytes = 0;
  const bool ovf = __builtin_mul_overflow(r.pgsize, r.pgcount, &bytes);
  // Progress that stops at the end of a table, inside ias and oas, with success: the rest is
  // the IOMMU core's next call.
  const bool partial = ret == 0 && table_end_prefix(r.iova, r.pgsize, r.pgcount, mapped) &&
                       r.iova + mapped - 1 <= ias_max() && (cfg_.oas >= 64 || ((r.paddr + mapped - 1) >> cfg_.oas) == 0);
  if (!pgsize_ok(r.pgsize) || ((r.iova | r.paddr) & (r.pgsize - 1))) {
    if (ret != -err::einval)
      add(out, op, rule, req + ": the page size is not in the bitmap " + hex(cfg_.pgsize_bitmap) +
                             " or the addresses are not aligned to it; expected EINVAL, got " + ret_str(ret));
  } else if (r.pgcount) {  // an empty request may return anything but must change nothing
    const u64 last_va = r.iova + bytes - 1, last_pa = r.paddr + bytes - 1;
    const u64 oas_max = cfg_.oas >= 64 ? ~u64{0} : (u64{1} << cfg_.oas) - 1;
    const bool outside = ovf || last_va < r.iova || last_pa < r.paddr || last_va > ias_max() || last_pa > oas_max;
    const bool no_access = !(r.prot & (prot::read | prot::write));
    // No level holds a page spanning the whole input range (a 4T page with a 42-bit ias).
    const bool huge = r.pgsize > ias_max();
    if (outside && partial) {
      expected[r.iova] = {r.iova, mapped, r.paddr, r.prot, r.pgsize};
    } else if (outside) {
      rule = "pt.range";
      if (ret != -err::erange && !((no_access || huge) && ret == -err::einval) && !(no_access && ret == 0))
        add(out, op, rule, req + " reaches beyond ias " + std::to_string(cfg_.ias) + " or oas " +
                               std::to_string(cfg_.oas) + " bits; expected ERANGE, got " + ret_str(ret));
    } else if (no_access) {
      if (ret != 0 && ret != -err::einval)
        add(out, op, rule, req + " grants neither read nor write; expected 0 (nothing mapped) or EINVAL, got " +
                               ret_str(ret));
    } else if (!(huge && ret == -err::einval)) {
      // The first page of the request that a live mapping overlaps, or bytes when none does.
      u64 clash = bytes;
      if (find(live_, r.iova)) {
        clash = 0;
      } else if (auto it = live_.upper_bound(r.iova); it != live_.end() && it->first <= last_va) {
        clash = (it->first - r.iova) & ~(r.pgsize - 1);
      }
      if (clash < bytes) rule = "pt.exists";
      if (ret == -err::erange) {
        add(out, op, "pt.range", req + " lies inside ias/oas but was refused with ERANGE");
      } else if (clash < bytes && ret == 0) {
        add(out, op, rule, req + " succeeded over the live mapping at " + hex(r.iova + clash));
      } else if (clash < bytes && ret != -err::eexist && ret != -err::enomem) {
        add(out, op, rule, req + " overlaps the live mapping at " + hex(r.iova + clash) + "; expected EEXIST, got " +
                               ret_str(ret));
      } else if (clash < bytes) {
        keep_prefix(clash);
      } else if (ret == 0 && partial) {
        expected[r.iova] = {r.iova, mapped, r.paddr, r.prot, r.pgsize};
      } else if (ret == 0) {
        if (mapped != bytes) add(out, op, rule, req + " returned 0 but reports " + hex(mapped) + " mapped");
        expected[r.iova] = {r.iova, bytes, r.paddr, r.prot, r.pgsize};
      } else if (ret == -err::enomem) {
        keep_prefix(bytes);
      } else if (ret == -err::eexist) {
        add(out, op, "pt.exists", req + " failed with EEXIST though nothing in its range is live");
      } else {
        add(out, op, rule, req + " is valid but failed with " + ret_str(ret));
      }
    }
  }
  judge_state(op, rule, expected, obs, out);
  return out;
}

std::vector<Violation> PtJudge::unmap(int op, const PtUnmapRequest& r, u64 ret, const PtObservation& obs) {
  std::vector<Violation> out;
  const Live before = live_;
  Live expected = live_;
  const std::string req = "unmap " + hex(r.iova) + " (" + hex(r.pgsize) + " x " + std::to_string(r.pgcount) + ")";
  const char* rule = "pt.translation";
  u64 want = 0;
  bool crosses_top = false;
  if (pgsize_ok(r.pgsize) && !(r.iova & (r.pgsize - 1)) && r.pgcount && r.iova <= ias_max()) {
    u64 bytes = 0;
    crosses_top = __builtin_mul_overflow(r.pgsize, r.pgcount, &bytes) || r.iova + bytes - 1 < r.iova ||
                  r.iova + bytes - 1 > ias_max();
    // unmap_pages() page by page: a page goes when anything in it is live; a page inside a
    // bigger block is split off or refused (cfg.partial_unmap); the first hole ends it. It may
    // also stop at the end of a table: then only that prefix goes.
    const u64 pages = table_end_prefix(r.iova, r.pgsize, r.pgcount, ret) ? ret / r.pgsize : r.pgcount;
    for (u64 i = 0; i < pages; ++i) {
      const u64 va = r.iova + i * r.pgsize;
      if (va > ias_max()) break;
      const u64 last = va + r.pgsize - 1;
      if (const Run* run = find(expected, va); run && run->leaf > r.pgsize) {
        rule = "pt.partial";
        if (cfg_.partial_unmap == PartialUnmap::refuse) break;
      } else if (!any_live(expected, va, last)) {
        break;
      }
      erase(expected, va, last);
      want += r.pgsize;
    }
  }
  if (ret != want) {
    // A request running past the top of ias may be refused whole (the kernel checks its start).
    if (crosses_top && ret == 0 && linear(obs.leaves) == linear(before))
      expected = before;
    else
      add(out, op, rule, req + " returned " + hex(ret) + "; the live set allows exactly " + hex(want) +
                             (rule == std::string_view("pt.partial")
                                  ? cfg_.partial_unmap == PartialUnmap::refuse ? " (refuse: the block stays whole)"
                                                                              : " (split: exactly the asked part goes)"
                                  : ""));
  }
  check_gather(op, before, obs, out);
  judge_state(op, rule, expected, obs, out);
  return out;
}

bool PtJudge::table_end_prefix(u64 iova, u64 pgsize, u64 pgcount, u64 done) const {
  const u64 granule = cfg_.pgsize_bitmap & -cfg_.pgsize_bitmap;
  const u64 table_span = pgsize << (std::countr_zero(granule) - 3);
  return done && table_span && done % pgsize == 0 && done / pgsize < pgcount && (iova + done) % table_span == 0;
}

std::vector<Violation> PtJudge::iova_to_phys(int op, u64 iova, u64 phys) const {
  std::vector<Violation> out;
  const Run* r = find(live_, iova);
  const u64 want = r ? r->phys + (iova - r->iova) : 0;
  if (phys != want)
    add(out, op, "pt.translation",
        "iova_to_phys(" + hex(iova) + ") returned " + hex(phys) + ", expected " + hex(want) +
            (r ? "" : " (nothing is mapped there)"));
  return out;
}

void PtJudge::judge_state(int op, const char* rule, const Live& expected, const PtObservation& obs,
                          std::vector<Violation>& out) {
  // The walk of the tables must be the live set, linear run by linear run.
  const std::vector<Linear> want = linear(expected), got = linear(obs.leaves);
  const bool same = want == got;
  if (!same) {
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    auto d = [](const Linear& l) { return span_str(l.iova, l.size) + " -> " + hex(l.phys); };
    std::string msg = i == got.size()    ? "live " + d(want[i]) + " is missing from the tables"
                      : i == want.size() ? "the tables map " + d(got[i]) + ", which is not live"
                                         : "live " + d(want[i]) + " but the tables map " + d(got[i]);
    add(out, op, rule, msg);
  }

  // What a device sees at the probe points. Where the walk already differs, a wrong
  // translation is that same difference, reported above under the op's rule.
  for (const auto& [a, t] : obs.probes) {
    const Run* r = find(expected, a);
    if (!r) {
      if (t.valid && same) add(out, op, "pt.translation", "a device reaches phys " + hex(t.phys) + " at iova " + hex(a) +
                                                      ", which no live mapping covers");
      continue;
    }
    const u64 pa = r->phys + (a - r->iova);
    if (!t.valid || t.phys != pa) {
      if (same) add(out, op, "pt.translation", "iova " + hex(a) + " should reach phys " + hex(pa) + ", a device " +
                                         (t.valid ? "reaches " + hex(t.phys) : std::string("faults")));
      continue;
    }
    const bool may_write = r->prot & prot::write, may_read = r->prot & prot::read;
    if (t.write && !may_write)
      add(out, op, "pt.permission", "a device can write at iova " + hex(a) + ", mapped without write");
    else if (t.read && !may_read && write_only_)
      add(out, op, "pt.permission", "a device can read at iova " + hex(a) + ", mapped write-only");
    else if (!t.write && may_write)
      add(out, op, "pt.permission", "a device cannot write at iova " + hex(a) + ", mapped with write");
    else if (!t.read && may_read)
      add(out, op, "pt.permission", "a device cannot read at iova " + hex(a) + ", mapped with read");
  }

  // Everything unmapped: only the top-level table may remain.
  if (!expected.empty() || !got.empty()) {
    leak_reported_ = false;
  } else if (obs.table_pages != top_pages_ && !leak_reported_) {
    add(out, op, "pt.leak", "nothing is mapped but " + std::to_string(obs.table_pages) + " table pages are in use (top level: " +
                                std::to_string(top_pages_) + ")");
    leak_reported_ = true;
  } else if (obs.table_pages == top_pages_) {
    leak_reported_ = false;
  }

  if (same) {
    live_ = expected;
    return;
  }
  // Judge the next ops against what the tables hold, so one wrong op is reported once;
  // permissions stay those asked for where the address was meant to be live.
  live_.clear();
  for (const Leaf& f : obs.leaves) {
    const Run* r = find(expected, f.iova);
    live_[f.iova] = {f.iova, f.size, f.phys, r ? r->prot : f.prot, f.size};
  }
}

void PtJudge::check_gather(int op, const Live& before, const PtObservation& obs, std::vector<Violation>& out) const {
  std::vector<Range> flushed;
  for (const TlbFlush& f : obs.flushes)
    if (f.size) flushed.push_back({f.iova, f.iova + f.size - 1});
  const std::vector<Range> merged = merge_ranges(std::move(flushed));
  // Every stretch of a live translation the tables no longer hold must have been flushed.
  const std::vector<Linear> now = linear(obs.leaves);
  auto check = [&](u64 lo, u64 hi) {
    if (lo >= hi) return;
    if (const u64 a = first_uncovered(merged, lo, hi); a < hi)
      add(out, op, "pt.translation", "iova " + hex(a) + " was unmapped but no TLB flush in the gather covers it: "
                                     "a device may keep using the stale translation");
  };
  auto it = now.begin();
  for (const Linear& b : linear(before)) {
    u64 at = b.iova;
    const u64 end = b.iova + b.size;
    while (it != now.end() && it->iova + it->size <= at) ++it;
    for (auto g = it; g != now.end() && g->iova < end; ++g) {
      check(at, std::min(g->iova, end));
      at = std::max(at, g->iova + g->size);
    }
    check(at, end);
  }
}

}  // namespace iovet
