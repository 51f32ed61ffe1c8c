#include "run/pgtable_runner.h"

#include <memory>
#include <variant>

#include "case/input_error.h"
#include "impl/io_pgtable_arm.h"
#include "run/lpae_walk_figure.h"
#include "run/make_page_table.h"
#include "run/kernel_outcome.h"
#include "spec/pt_judge.h"

namespace iovet {
namespace {

std::string prot_str(int p) {
  static constexpr std::pair<int, const char*> names[] = {{prot::read, "read"},   {prot::write, "write"},
                                                          {prot::noexec, "noexec"}, {prot::cache, "cache"},
                                                          {prot::mmio, "mmio"},   {prot::priv, "priv"}};
  std::string s;
  for (const auto& [bit, name] : names)
    if (p & bit) s += (s.empty() ? "" : "|") + std::string(name);
  return s.empty() ? "none" : s;
}

std::string ret_str(int ret) { return ret ? "-" + std::string(errno_name(ret)) : "0"; }

std::unique_ptr<PageTable> build_table(const Case& c, const Variant& v) {
  if (auto problems = validate(c.config); !problems.empty())
    throw InputError(c.name, "/config" + problems.front().pointer, problems.front().message);
  try {
    return v.pgtable(c.config);
  } catch (const LpaeCfgError& e) {
    // pgsize_bitmap comes from the granule.
    throw InputError(c.name, "/config/" + (e.field == "pgsize_bitmap" ? std::string("granule") : e.field), e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError(c.name, "/config", e.what());
  }
}

class PgtableReplay {
 public:
  PgtableReplay(const Case& c, const RunOptions& opt, const Variant& v)
      : c_(c),
        opt_(opt),
        pt_(build_table(c, v)),
        lpae_(dynamic_cast<ArmLpaePgtable*>(pt_.get())),
        judge_(pt_->cfg(), pt_->can_express_write_only(), pt_->table_pages()) {}

  RunResult run() {
    if (opt_.trace)
      note(-1, std::string(lpae_ ? "ARM LPAE io-pgtable" : "page table without LPAE descriptors (no walks)") +
                   ", top level " + std::to_string(pt_->table_pages()) + " page(s)");
    for (std::size_t i = 0; i < c_.ops.size(); ++i) {
      const int n = static_cast<int>(i);
      bool torn = false;
      auto died = kernel_outcome(n, torn, [&] { std::visit([&](const auto& body) { step(n, body, c_.ops[i].expect); }, c_.ops[i].body); });
      std::vector<std::string> warned = torn ? std::vector<std::string>{} : pt_->take_warnings();
      if (opt_.observe && !warned.empty()) res_.observed.push_back({n, "  WARN()"});
      for (std::string& w : warned) {
        note(n, "WARN: " + w);
        res_.warnings.push_back("op " + std::to_string(n) + ": " + std::move(w));
      }
      if (died) {
        note(n, died->message + "; the replay stops here");
        res_.violations.push_back(std::move(*died));
        if (torn) bury(pt_);
        break;
      }
    }
    return std::move(res_);
  }

 private:
  void step(int n, const op::PtMap& m, const OpExpect& e) {
    u64 mapped = 0;
    const int ret = unit_call([&] { return pt_->map_pages(m.iova, m.paddr, m.pgsize, m.pgcount, m.prot, &mapped); });
    outcome(n, "map iova=" + hex(m.iova) + " paddr=" + hex(m.paddr) + " pgsize=" + hex(m.pgsize) + " pgcount=" +
                std::to_string(m.pgcount) + " prot=" + prot_str(m.prot) + " -> " + ret_str(ret) + ", mapped " + hex(mapped));
    walk(n, m.iova);
    u64 bytes = 0;
    const bool ovf = __builtin_mul_overflow(m.pgsize, m.pgcount, &bytes);
    const u64 hi = ovf || m.iova + bytes - 1 < m.iova ? ~u64{0} : m.iova + bytes - 1;
    judged(judge_.map(n, {m.iova, m.paddr, m.pgsize, m.pgcount, m.prot}, ret, mapped, observe(n, m.iova, hi, {})));

    const std::string what = "op " + std::to_string(n) + " (map): ";
    const std::string got = ret ? std::string(errno_name(ret)) : "success";
    if (e.errno_name && *e.errno_name != got) fail(what + "expected " + *e.errno_name + ", got " + got);
    if (e.error && *e.error != (ret != 0)) fail(what + "expected " + (*e.error ? "an error" : "success") + ", got " + got);
    if (e.mapped && *e.mapped != mapped) fail(what + "expected mapped " + hex(*e.mapped) + ", got " + hex(mapped));
  }

  void step(int n, const op::PtUnmap& u, const OpExpect& e) {
    IotlbGather gather;
    const u64 ret = unit_call([&] { return pt_->unmap_pages(u.iova, u.pgsize, u.pgcount, &gather); });
    outcome(n, "unmap iova=" + hex(u.iova) + " pgsize=" + hex(u.pgsize) + " pgcount=" + std::to_string(u.pgcount) +
                " -> unmapped " + hex(ret));
    for (const TlbFlush& f : gather.flushes)
      outcome(n, std::string(f.walk ? "tlb_flush_walk " : "tlb_add_page ") + "[" + hex(f.iova) + ", +" + hex(f.size) +
                  ") granule " + hex(f.granule));
    u64 bytes = 0;
    const bool ovf = __builtin_mul_overflow(u.pgsize, u.pgcount, &bytes);
    const u64 hi = ovf || u.iova + bytes - 1 < u.iova ? ~u64{0} : u.iova + bytes - 1;
    judged(judge_.unmap(n, {u.iova, u.pgsize, u.pgcount}, ret, observe(n, u.iova, hi, std::move(gather.flushes))));
    if (e.unmapped && *e.unmapped != ret)
      fail("op " + std::to_string(n) + " (unmap): expected unmapped " + hex(*e.unmapped) + ", got " + hex(ret));
  }

  void step(int n, const op::PtIovaToPhys& t, const OpExpect& e) {
    const u64 phys = unit_call([&] { return pt_->iova_to_phys(t.iova); });
    outcome(n, "iova_to_phys " + hex(t.iova) + " -> " + hex(phys));
    walk(n, t.iova);
    judged(judge_.iova_to_phys(n, t.iova, phys));
    if (e.phys && *e.phys != phys)
      fail("op " + std::to_string(n) + " (iova_to_phys): expected phys " + hex(*e.phys) + ", got " + hex(phys));
  }

  template <class Other>
  void step(int n, const Other& body, const OpExpect&) {
    throw InputError(c_.name, "/ops/" + std::to_string(n) + "/op",
                     "op '" + std::string(op_name(OpBody{body})) + "' is not an op of target pgtable");
  }

  // The table after an op, as the judge needs it: its walk, its pages, a device's view.
  PtObservation observe(int n, u64 lo, u64 hi, std::vector<TlbFlush> flushes) {
    PtObservation o;
    o.leaves = unit_call([&] { return pt_->leaves(); });
    o.table_pages = unit_call([&] { return pt_->table_pages(); });
    for (u64 a : judge_.probe_points(o.leaves, lo, hi)) o.probes.push_back({a, unit_call([&] { return pt_->translate(a); })});
    o.flushes = std::move(flushes);
    note(n, std::to_string(o.leaves.size()) + " leaves, " + std::to_string(o.table_pages) + " table page(s)");
    if (opt_.observe)
      for (const Leaf& l : o.leaves)
        res_.observed.push_back({n, "  leaf " + hex(l.iova) + " +" + hex(l.size) + " -> " + hex(l.phys) + " " + prot_str(l.prot)});
    return o;
  }

  void walk(int n, u64 iova) {
    if (!opt_.trace) return;
    WalkFigure f;
    f.iova = iova;
    if (lpae_) f = lpae_walk_figure(*lpae_, iova);
    else f.has_table = false;
    res_.trace.push_back({n, std::move(f)});
  }

  void judged(std::vector<Violation> v) { res_.violations.insert(res_.violations.end(), v.begin(), v.end()); }
  void fail(std::string s) { res_.expect_failures.push_back(std::move(s)); }
  void note(int n, std::string text) {
    if (opt_.trace) res_.trace.push_back({n, std::move(text)});
  }
  // What the table returned: traced, and observed for `iovet diff`.
  void outcome(int n, std::string text) {
    if (opt_.observe) res_.observed.push_back({n, text});
    note(n, std::move(text));
  }

  const Case& c_;
  const RunOptions& opt_;
  std::unique_ptr<PageTable> pt_;
  ArmLpaePgtable* lpae_;  // the walk and the WARN()s, when the table is the LPAE one
  PtJudge judge_;
  RunResult res_;
};

}  // namespace

RunResult run_pgtable_case(const Case& c, const RunOptions& opt, const Variant& v) {
  return PgtableReplay(c, opt, v).run();
}

}  // namespace iovet
