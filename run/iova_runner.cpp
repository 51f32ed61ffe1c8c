#include "run/iova_runner.h"

#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>

#include "case/input_error.h"
#include "spec/iova_judge.h"
#include "run/kernel_outcome.h"

namespace iovet {
namespace {

IovaViews views_of(const IovaAllocator& a) {
  return unit_call([&] { return IovaViews{a.allocated(), a.reserved(), a.cached()}; });
}

std::string range_str(u64 lo, u64 hi) { return "[" + hex(lo) + ", " + hex(hi) + "]"; }
std::string on_cpu(unsigned cpu) { return cpu ? " on cpu " + std::to_string(cpu) : ""; }

// What became of the allocation an id names.
struct IdState {
  enum class State { live, failed, freed } state = State::live;
  u64 pfn = 0;
  u64 size = 0;  // as asked; free_iova_fast() gets this size back
  bool fast = false;
};

class IovaReplay {
 public:
  IovaReplay(const Case& c, const RunOptions& opt, const Variant& v)
      : c_(c),
        opt_(opt),
        shift_(c.config.granule_shift()),
        iovad_(v.iova(c.config, c.config.start_pfn, c.config.aperture().last >> shift_)),
        judge_(c.config) {}

  RunResult run() {
    // The domain's reserved regions come first, as iommu_dma_init_domain() reserves them.
    bool torn = false;
    auto died = kernel_outcome(-1, torn, [&] {
      for (const Range& r : c_.config.domain.reserved) reserve(-1, r.first >> shift_, r.last >> shift_);
    });
    for (size_t i = 0; i < c_.ops.size() && !died; ++i) {
      const int n = static_cast<int>(i);
      died = kernel_outcome(n, torn, [&] { std::visit([&](const auto& body) { step(n, body, c_.ops[i].expect); }, c_.ops[i].body); });
      if (!torn) take_warnings(n);
    }
    if (died) {
      note(died->op, died->message + "; the replay stops here");
      res_.violations.push_back(std::move(*died));
    }
    if (torn) bury(iovad_);
    return std::move(res_);
  }

 private:
  void step(int n, const op::IovaAlloc& a, const OpExpect& expect) {
    auto it = ids_.find(a.id);
    if (it != ids_.end() && it->second.state == IdState::State::live)
      throw InputError("", pointer(n, "id"), "id '" + a.id + "' is still allocated");
    if (a.size == 0) throw InputError("", pointer(n, "size"), "size must be at least 1 pfn");

    const IovaRequest req{a.size, a.limit_pfn, a.aligned, a.fast};
    iovad_->set_cpu(a.cpu);
    std::optional<u64> pfn;
    std::string got;
    if (a.fast) {
      // iommu_dma_alloc_iova()'s last attempt: flush the rcaches before giving up.
      if (u64 p = unit_call([&] { return iovad_->alloc_fast(a.size, a.limit_pfn, true); })) {
        pfn = p;
        // The trace shows what the allocator holds (alloc_iova_fast may round the size up).
        const auto held = unit_call([&] { return iovad_->find(p); });
        got = held ? range_str(held->pfn_lo, held->pfn_hi) : range_str(p, p + a.size - 1);
      }
    } else if (auto r = unit_call([&] { return iovad_->alloc(a.size, a.limit_pfn, a.aligned); })) {
      pfn = r->pfn_lo;
      got = range_str(r->pfn_lo, r->pfn_hi);
    }
    outcome(n, std::string(a.fast ? "alloc_fast " : "alloc ") + a.id + " size=" +
                std::to_string(a.size) + " limit=" + hex(a.limit_pfn) +
                (a.aligned || a.fast ? "" : " unaligned") + on_cpu(a.cpu) + " -> " + (pfn ? got : "failed"));
    judged(judge_.alloc(n, a.id, req, pfn, views_of(*iovad_)));
    ids_[a.id] = pfn ? IdState{IdState::State::live, *pfn, a.size, a.fast}
                     : IdState{IdState::State::failed, 0, a.size, a.fast};
    check_expect(n, a.id, expect, pfn);
  }

  void step(int n, const op::IovaFree& f, const OpExpect&) {
    auto it = ids_.find(f.id);
    if (it == ids_.end())
      throw InputError("", pointer(n, "id"), "id '" + f.id + "' was never allocated");
    IdState& s = it->second;
    if (s.state == IdState::State::freed)
      throw InputError("", pointer(n, "id"), "id '" + f.id + "' is already freed");
    if (s.state == IdState::State::failed) {
      // Its allocation failed: the caller has nothing to free (generated cases meet this).
      note(n, "free " + f.id + ": its allocation failed, nothing to free");
      return;
    }
    iovad_->set_cpu(f.cpu);
    unit_call([&] {
      if (f.fast)
        iovad_->free_fast(s.pfn, s.size);
      else
        iovad_->free(s.pfn);
    });
    s.state = IdState::State::freed;
    note(n, std::string(f.fast ? "free_fast " : "free ") + f.id + " pfn=" + hex(s.pfn) +
                (f.fast ? " size=" + std::to_string(s.size) : "") + on_cpu(f.cpu));
    judged(judge_.free(n, f.id, views_of(*iovad_)));
  }

  void step(int n, const op::IovaReserve& r, const OpExpect&) {
    if (r.lo > r.hi) throw InputError("", pointer(n, "lo"), "lo is above hi");
    reserve(n, r.lo, r.hi);
  }

  template <class Other>
  void step(int n, const Other& body, const OpExpect&) {
    throw InputError("", pointer(n, "op"),
                     "op '" + std::string(op_name(OpBody{body})) + "' is not an op of target iova");
  }

  void reserve(int n, u64 lo, u64 hi) {
    const bool ok = unit_call([&] { return iovad_->reserve(lo, hi); });
    outcome(n, std::string(n < 0 ? "reserve (domain.reserved) " : "reserve ") + range_str(lo, hi) +
                (ok ? " -> ok" : " -> refused"));
    judged(judge_.reserve(n, lo, hi, ok, views_of(*iovad_)));
  }

  void check_expect(int n, const std::string& id, const OpExpect& e, std::optional<u64> pfn) {
    const std::string what = "op " + std::to_string(n) + " (alloc " + id + "): ";
    if (e.pfn) {
      if (!pfn)
        res_.expect_failures.push_back(what + "expected pfn " + hex(*e.pfn) + ", the allocation failed");
      else if (*pfn != *e.pfn)
        res_.expect_failures.push_back(what + "expected pfn " + hex(*e.pfn) + ", got " + hex(*pfn));
    }
    if (e.error && *e.error && pfn)
      res_.expect_failures.push_back(what + "expected an error, got pfn " + hex(*pfn));
    if (e.error && !*e.error && !pfn)
      res_.expect_failures.push_back(what + "expected success, the allocation failed");
  }

  void take_warnings(int n) {
    std::vector<std::string> warned = iovad_->take_warnings();
    if (opt_.observe && !warned.empty()) res_.observed.push_back({n, "  WARN()"});
    for (std::string& w : warned) {
      note(n, "WARN: " + w);
      res_.warnings.push_back("op " + std::to_string(n) + ": " + std::move(w));
    }
  }

  void judged(std::vector<Violation> v) {
    res_.violations.insert(res_.violations.end(), v.begin(), v.end());
  }
  void note(int n, std::string text) {
    if (opt_.trace) res_.trace.push_back({n, std::move(text)});
  }
  // What the allocator returned: traced, and observed for `iovet diff`.
  void outcome(int n, std::string text) {
    if (opt_.observe) res_.observed.push_back({n, text});
    note(n, std::move(text));
  }
  static std::string pointer(int n, const char* field) {
    return "/ops/" + std::to_string(n) + "/" + field;
  }

  const Case& c_;
  const RunOptions& opt_;
  unsigned shift_;
  std::unique_ptr<IovaAllocator> iovad_;
  IovaJudge judge_;
  std::map<std::string, IdState> ids_;
  RunResult res_;
};

}  // namespace

RunResult run_iova_case(const Case& c, const RunOptions& opt, const Variant& v) {
  return IovaReplay(c, opt, v).run();
}

}  // namespace iovet
