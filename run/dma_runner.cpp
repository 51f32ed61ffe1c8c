#include "run/dma_runner.h"

#include <algorithm>
#include <map>
#include <set>

#include "case/input_error.h"
#include "run/smmu_observe.h"
#include "run/smmu_stack.h"
#include "spec/dma_init_judge.h"
#include "spec/dma_judge.h"
#include "spec/smmu_judge.h"
#include "run/kernel_outcome.h"

namespace iovet {
namespace {

// What the runner keeps of each id to make the matching release call as a driver would.
struct Handle {
  u64 handle = DMA_MAPPING_ERROR;
  u64 size = 0;
  Dir dir = Dir::bidirectional;
  std::vector<Scatterlist> sg;  // as map_sg left it
  std::optional<CoherentBuffer> buf;
};

// Target dma runs a DMA variant over the configured page table; target smmu runs the whole
// SMMU stack, with device accesses going through the SMMU and the SMMU judge watching.
class DmaRun {
 public:
  DmaRun(const Case& c, const RunOptions& opt, std::unique_ptr<DmaLayer> dma)
      : c_(c), opt_(opt), own_dma_(std::move(dma)), dma_(own_dma_.get()),
        judge_(c.config, dma_->page_table().can_express_write_only()), reserved_(c.config) {}
  DmaRun(const Case& c, const RunOptions& opt, std::unique_ptr<SmmuStack> stack)
      : c_(c), opt_(opt), stack_(std::move(stack)), dma_(&stack_->dma()),
        judge_(c.config, dma_->page_table().can_express_write_only()), reserved_(c.config),
        smmu_(std::in_place, stack_->lazy()) {
    for (const Op& op : c.ops) {
      if (auto* a = std::get_if<op::Attach>(&op.body)) sids_.insert(a->sid);
      if (auto* a = std::get_if<op::Access>(&op.body)) sids_.insert(a->sid);
    }
    smmu_->begin_op(-1, views());
    smmu_trace();  // what probe and reset did
    smmu_->end_op(views());
    smmu_observed();
    smmu_->in_use(views_in_use());
  }

  RunResult run() {
    if (auto v = judge_dma_init(c_.config, 0)) r_.violations.push_back(std::move(*v));  // init succeeded
    bool dead = false, torn = false;
    for (std::size_t i = 0; i < c_.ops.size() && !dead; ++i) {
      i_ = static_cast<int>(i);
      judge_.set_op(i_);
      judge_.set_queued(dma_->flush_queue());
      const std::vector<IovaRange> before = opt_.trace ? dma_->iova().allocated() : std::vector<IovaRange>{};
      std::vector<Leaf> leaves_before;
      if (smmu_) {
        smmu_->begin_op(i_, views());
        leaves_before = dma_->page_table().leaves();
      }
      if (auto died = kernel_outcome(i_, torn, [&] {
            std::visit([&](const auto& o) { step(o, c_.ops[i].expect); }, c_.ops[i].body);
            if (smmu_) smmu_after_op(leaves_before);
          })) {
        judge_.kernel_died(died->rule, died->message);
        note("  " + died->message);
        dead = true;
      }
      const std::vector<std::string> warned = torn ? std::vector<std::string>{} : dma_->take_warnings();
      if (opt_.observe && !warned.empty()) r_.observed.push_back({i_, "  WARN()"});
      for (const std::string& w : warned) {
        note("  WARN: " + w);
        r_.warnings.push_back("op " + std::to_string(i) + ": " + w);
      }
      if (opt_.trace && !dead) trace_allocations(before);
      if (opt_.trace && !dead && smmu_) trace_iotlb();
      if (!dead && judge_.in_misuse()) judge_.check_consistency(snapshot(), translate_fn());
    }
    if (dead) note("  the kernel is dead: the remaining ops are not run");
    else judge_.finish(snapshot());
    r_.misuse_from = judge_.misuse_from();
    for (Violation& v : judge_.take()) r_.violations.push_back(std::move(v));
    if (smmu_) {
      if (!dead) check_walks();
      for (Violation& v : smmu_->take()) r_.violations.push_back(std::move(v));
      r_.counters["smmu.over_invalidations"] = smmu_->over_invalidations();
      r_.counters["smmu.breaking_updates"] = smmu_->breaking_updates();
    }
    if (torn) {
      bury(own_dma_);
      bury(stack_);
    }
    return std::move(r_);
  }

 private:
  void note(std::string s) {
    if (opt_.trace) r_.trace.push_back({i_, std::move(s)});
  }
  // What the unit returned: traced, and observed for `iovet diff`.
  void outcome(std::string s) {
    if (opt_.observe) r_.observed.push_back({i_, s});
    note(std::move(s));
  }
  void expect_fail(std::string s) { r_.expect_failures.push_back("op " + std::to_string(i_) + ": " + s); }
  std::string ptr(const std::string& rest) const { return "/ops/" + std::to_string(i_) + rest; }
  Handle& handle(const std::string& id) {
    auto it = handles_.find(id);
    if (it == handles_.end()) throw InputError(c_.name, ptr("/id"), "no earlier op created '" + id + "'");
    return it->second;
  }
  TranslateFn translate_fn() const {
    const PageTable& pt = dma_->page_table();
    return [&pt](u64 iova) { return pt.translate(iova); };
  }
  std::map<u32, StreamView> views() const {
    std::map<u32, StreamView> v;
    for (u32 sid : sids_) v[sid] = stack_->stream_view(sid);
    return v;
  }
  std::map<u32, StreamView> views_in_use() const {
    std::map<u32, StreamView> v;
    for (u32 sid : sids_) v[sid] = stack_->config_in_use(sid);
    return v;
  }
  void smmu_trace() {
    for (const SmmuTrace& t : stack_->take_trace()) {
      if (opt_.trace) figure(t);
      smmu_->trace(t);
      if (opt_.observe) observer_.trace(t);
    }
  }
  void smmu_observed() {
    if (!opt_.observe) return;
    for (std::string& l : observer_.take(views())) r_.observed.push_back({i_, std::move(l)});
  }
  // The leaves an op removed go to the judge before the commands that must cover them.
  void smmu_after_op(const std::vector<Leaf>& before) {
    const std::vector<Leaf> after = unit_call([&] { return dma_->page_table().leaves(); });
    std::vector<Leaf> gone;
    std::size_t j = 0;
    for (const Leaf& l : before) {
      while (j < after.size() && after[j].iova < l.iova) ++j;
      if (j == after.size() || after[j].iova != l.iova || after[j].size != l.size || after[j].phys != l.phys) gone.push_back(l);
    }
    smmu_->unmapped(gone);
    smmu_trace();
    smmu_->end_op(views());
    smmu_observed();
    smmu_->in_use(views_in_use());
  }
  // The hardware walker and iova_to_phys at both ends of every live leaf.
  void check_walks() {
    u64 blocks = 0;
    for (const Leaf& l : dma_->page_table().leaves()) {
      blocks += l.size > c_.config.granule;
      for (u64 a : {l.iova, l.iova + l.size - 1})
        if (auto t = stack_->hw_walk(a)) smmu_->walk(a, *t, stack_->iova_to_phys(a));
    }
    r_.counters["smmu.block_leaves_walked"] = blocks;
  }
  // A new live mapping: dma.reserved (until misuse may have freed a reservation) and, on the
  // SMMU stack, the judge of what the device reaches.
  void mapped(const std::string& id) {
    const DmaMapping* m = judge_.live(id);
    if (!m) return;
    if (!judge_.in_misuse())
      if (auto why = reserved_.check(m->hull)) r_.violations.push_back({"dma.reserved", *why, i_, ""});
    if (smmu_) smmu_->mapped(m->hull);
  }
  // IOVAs in the flush queue count as released, like those cached for reuse.
  DmaSnapshot snapshot() const {
    std::vector<IovaRange> cached = dma_->iova().cached();
    for (const IovaRange& r : dma_->flush_queue()) cached.push_back(r);
    return {dma_->iova().allocated(), std::move(cached), dma_->page_table().leaves()};
  }
  // The allocator's layout after an op that changed it.
  void trace_allocations(const std::vector<IovaRange>& before) {
    const std::vector<IovaRange> now = dma_->iova().allocated();
    if (now == before) return;
    const unsigned shift = c_.config.granule_shift();
    IovaFigure f;
    for (const IovaRange& r : now)
      f.live.push_back({{r.pfn_lo << shift, ((r.pfn_hi + 1) << shift) - 1},
                        std::find(before.begin(), before.end(), r) == before.end()});
    figure(std::move(f));
  }
  // The IOTLB after an op that changed it or the page table under it, each entry checked
  // against the page table now.
  void trace_iotlb() {
    IotlbFigure f;
    for (const IotlbLine& e : stack_->iotlb()) {
      const Translation t = dma_->page_table().translate(e.in);
      const bool same = t.valid && t.phys == e.out && (!e.read || t.read) && (!e.write || t.write);
      f.lines.push_back({e, !same});
    }
    if (f.lines == last_iotlb_) return;
    last_iotlb_ = f.lines;
    figure(std::move(f));
  }
  void figure(Figure f) {
    if (opt_.trace) r_.trace.push_back({i_, std::move(f)});
  }
  // A physical address as every implementation can agree on it: dma_alloc's pages come from
  // each one's own allocator, so those are named by buffer and page (the newest buffer that
  // had the page: a freed buffer's pages go to later ones).
  std::string phys_name(u64 phys) const {
    for (auto id = allocs_.rbegin(); id != allocs_.rend(); ++id) {
      const std::vector<u64>& pages = handles_.at(*id).buf->pages;
      for (std::size_t k = 0; k < pages.size(); ++k)
        if (phys - pages[k] < c_.config.page_size)
          return "phys " + *id + " page " + std::to_string(k) + " +" + hex(phys - pages[k]);
    }
    return "phys " + hex(phys);
  }
  // A driver checks dma_mapping_error() and never releases a mapping that failed.
  bool failed_mapping(const std::string& id, const Handle& h) {
    if (h.handle != DMA_MAPPING_ERROR) return false;
    note("release of " + id + ": skipped, its mapping failed");
    return true;
  }
  void check_error(const OpExpect& ex, bool failed) {
    if (ex.error && *ex.error != failed) expect_fail(failed ? "the call failed, expected success" : "the call succeeded, expected failure");
  }

  void step(const op::MapPage& o, const OpExpect& ex) {
    const u64 h = unit_call([&] { return dma_->map_page(o.page, o.offset, o.size, o.dir); });
    outcome("map_page " + o.id + " phys " + hex(o.page + o.offset) + " size " + hex(o.size) + " " +
         std::string(dir_name(o.dir)) + " -> " + (h == DMA_MAPPING_ERROR ? "DMA_MAPPING_ERROR" : hex(h)));
    judge_.map_page(o.id, o.page + o.offset, o.size, o.dir, h);
    mapped(o.id);
    handles_[o.id] = Handle{h, o.size, o.dir, {}, {}};
    check_error(ex, h == DMA_MAPPING_ERROR);
  }
  void step(const op::UnmapPage& o, const OpExpect&) {
    const Handle& h = handle(o.id);
    if (failed_mapping(o.id, h)) return;
    const bool live = judge_.release(o.id);
    note("unmap_page " + o.id + " handle " + hex(h.handle) + (live ? "" : "  (misuse: not live)"));
    unit_call([&] { dma_->unmap_page(h.handle, h.size, h.dir); });
  }
  void step(const op::UnmapPageRaw& o, const OpExpect&) {
    judge_.release_raw(o.dma, o.size);
    note("unmap_page raw handle " + hex(o.dma) + " size " + hex(o.size) + (judge_.in_misuse() ? "  (misuse)" : ""));
    unit_call([&] { dma_->unmap_page(o.dma, o.size, o.dir); });
  }
  void step(const op::MapSg& o, const OpExpect& ex) {
    std::vector<SgInput> in;
    std::vector<Scatterlist> sg;
    for (std::size_t k = 0; k < o.sg.size(); ++k) {
      const SgEntry& e = o.sg[k];
      if (e.offset > 0xffffffffu) throw InputError(c_.name, ptr("/sg/" + std::to_string(k) + "/offset"), "does not fit scatterlist's unsigned int offset");
      if (e.length > 0xffffffffu || e.length == 0) throw InputError(c_.name, ptr("/sg/" + std::to_string(k) + "/length"), "must be 1..2^32-1 (scatterlist's unsigned int length)");
      in.push_back({e.page, e.offset, e.length});
      sg.push_back({e.page, static_cast<u32>(e.offset), static_cast<u32>(e.length)});
    }
    const int ret = unit_call([&] { return dma_->map_sg(sg, o.dir); });
    outcome("map_sg " + o.id + " " + std::to_string(o.sg.size()) + " entries " + std::string(dir_name(o.dir)) + " -> " + std::to_string(ret));
    if (opt_.observe)
      for (int k = 0; k < ret && k < static_cast<int>(sg.size()); ++k)
        r_.observed.push_back({i_, "  segment " + std::to_string(k) + " " + hex(sg[k].dma_address) + " +" + hex(sg[k].dma_length)});
    figure(SgFigure{in, sg, ret});
    judge_.map_sg(o.id, in, o.dir, ret, sg, translate_fn());
    mapped(o.id);
    handles_[o.id] = Handle{ret > 0 ? sg[0].dma_address : DMA_MAPPING_ERROR, 0, o.dir, sg, {}};
    check_error(ex, ret <= 0);
    if (ex.count && static_cast<u64>(ret) != *ex.count)
      expect_fail("map_sg returned " + std::to_string(ret) + ", expected " + std::to_string(*ex.count));
  }
  void step(const op::UnmapSg& o, const OpExpect&) {
    Handle& h = handle(o.id);
    if (failed_mapping(o.id, h)) return;
    const bool live = judge_.release(o.id);
    note("unmap_sg " + o.id + (live ? "" : "  (misuse: not live)"));
    unit_call([&] { dma_->unmap_sg(h.sg, static_cast<int>(h.sg.size()), h.dir); });
  }
  void step(const op::Alloc& o, const OpExpect& ex) {
    auto buf = unit_call([&] { return dma_->alloc(o.size); });
    outcome("alloc " + o.id + " size " + hex(o.size) + " -> " + (buf ? hex(buf->handle) : std::string("failed")));
    judge_.alloc(o.id, o.size, buf);
    mapped(o.id);
    handles_[o.id] = Handle{buf ? buf->handle : DMA_MAPPING_ERROR, o.size, Dir::bidirectional, {}, buf};
    if (buf) allocs_.push_back(o.id);
    check_error(ex, !buf);
  }
  void step(const op::Free& o, const OpExpect&) {
    const Handle& h = handle(o.id);
    if (failed_mapping(o.id, h)) return;
    const bool live = judge_.release(o.id);
    note("free " + o.id + (live ? "" : "  (misuse: not live)"));
    unit_call([&] { dma_->free(h.size, h.buf.value_or(CoherentBuffer{})); });
  }
  void step(const op::IommuUnmap& o, const OpExpect&) {
    u64 iova = o.iova, size = o.size;
    if (o.id) {
      handle(*o.id);
      const DmaMapping* m = judge_.live(*o.id);
      if (!m) {
        note("iommu_unmap " + *o.id + ": skipped, the mapping is not live");
        return;
      }
      iova = m->hull.first;
      size = m->hull.last - m->hull.first + 1;
    }
    judge_.iommu_unmapped(iova, size);
    const u64 n = unit_call([&] { return dma_->iommu_unmap(iova, size); });
    outcome("iommu_unmap " + hex(iova) + " size " + hex(size) + " -> " + hex(n) + "  (misuse)");
  }
  void step(const op::Access& o, const OpExpect& ex) {
    u64 iova = o.iova;
    if (o.id) {
      handle(*o.id);
      const auto d = judge_.dma_of(*o.id, o.offset);
      if (!d) {
        note("access " + *o.id + "+" + hex(o.offset) + ": skipped, the mapping never succeeded or is shorter");
        return;
      }
      iova = *d;
    }
    const Translation t = unit_call([&] { return dma_->page_table().translate(iova); });
    bool ok = t.valid && (o.write ? t.write : t.read);
    u64 phys = t.phys;
    judge_.access(iova, o.write, t);
    if (smmu_) {
      const DeviceAccessResult r = unit_call([&] { return stack_->access(o.sid, iova, o.write); });
      const std::vector<SmmuEvent> events = unit_call([&] { return stack_->take_events(); });
      smmu_->access(o.sid, iova, o.write, r, t, events);
      if (auto w = stack_->hw_walk(iova)) smmu_->walk(iova, *w, stack_->iova_to_phys(iova));
      ok = r.ok;
      phys = r.phys;
      outcome("access stream " + std::to_string(o.sid) + (o.write ? " write " : " read ") + hex(iova) + " -> " +
           (ok ? phys_name(phys) + (r.iotlb_hit ? " (IOTLB hit)" : " (walk)") : std::string("fault")));
      for (const SmmuEvent& e : events) {
        std::string line = SmmuObserver::event_line(e);
        if (opt_.observe) r_.observed.push_back({i_, line});
        note(std::move(line));
      }
    } else {
      outcome(std::string("access ") + (o.write ? "write " : "read ") + hex(iova) + " -> " +
           (ok ? phys_name(t.phys) : std::string("fault")));
    }
    if (ex.fault && *ex.fault == ok) expect_fail(ok ? "the access succeeded, expected a fault" : "the access faulted");
    if (ex.phys && (!ok ? *ex.phys != 0 : phys != *ex.phys))
      expect_fail("the access reached " + (ok ? hex(phys) : std::string("nothing")) + ", expected " + hex(*ex.phys));
  }
  void step(const op::Attach& o, const OpExpect& ex) {
    const int ret = unit_call([&] { return stack_->attach(o.sid, o.domain); });
    note("attach stream " + std::to_string(o.sid) + " to " + std::string(smmu_domain_kind_name(o.domain)) + " -> " +
         std::to_string(ret));
    if (ret == 0) smmu_->attached(o.sid, o.domain);
    check_error(ex, ret != 0);
  }
  void step(const op::FqTimeout&, const OpExpect&) {
    note("flush queue timer fires");
    unit_call([&] { dma_->flush_queue_timeout(); });
  }
  template <class Other>
  void step(const Other& o, const OpExpect&) {
    throw InputError(c_.name, ptr("/op"), "op '" + std::string(op_name(OpBody{o})) + "' does not belong to target " +
                                             std::string(target_name(c_.target)));
  }

  const Case& c_;
  const RunOptions& opt_;
  std::unique_ptr<DmaLayer> own_dma_;
  std::unique_ptr<SmmuStack> stack_;
  DmaLayer* dma_;
  DmaJudge judge_;
  ReservedJudge reserved_;
  std::optional<SmmuJudge> smmu_;
  SmmuObserver observer_;
  std::set<u32> sids_;
  std::vector<IotlbFigure::Line> last_iotlb_;  // the IOTLB as explain last drew it
  std::map<std::string, Handle> handles_;
  std::vector<std::string> allocs_;  // ids of successful dma_alloc calls, oldest first
  RunResult r_;
  int i_ = -1;
};

}  // namespace

// A configuration the implementation cannot take is the case's problem, named at /config.
template <class Make>
auto build(const Case& c, const char* what, Make make) {
  try {
    return make();
  } catch (const std::invalid_argument& e) {
    throw InputError(c.name, "/config", std::string(what) + e.what());
  }
}

// iommu_dma_init_domain() failed: the device keeps no IOMMU DMA ops, so no op runs (an
// expectation on one cannot hold); dma.init says whether it had to fail.
RunResult init_failed(const Case& c, const RunOptions& opt, const DmaInitError& e) {
  RunResult r;
  const std::string what = "iommu_dma_init_domain() failed: " + std::to_string(e.err);
  if (opt.observe) r.observed.push_back({-1, what});
  if (opt.trace) {
    r.trace.push_back({-1, what + " (" + e.what() + ")"});
    r.trace.push_back({-1, "no op runs: the device has no IOMMU DMA ops"});
  }
  if (auto v = judge_dma_init(c.config, e.err)) r.violations.push_back(std::move(*v));
  for (std::size_t i = 0; i < c.ops.size(); ++i)
    if (!c.ops[i].expect.empty()) r.expect_failures.push_back("op " + std::to_string(i) + ": not run: " + what);
  return r;
}

template <class Make>
RunResult run_initialised(const Case& c, const RunOptions& opt, const char* what, Make make) {
  try {
    auto unit = build(c, what, make);
    return DmaRun(c, opt, std::move(unit)).run();
  } catch (const DmaInitError& e) {
    return init_failed(c, opt, e);
  }
}

RunResult run_dma_case(const Case& c, const RunOptions& opt, const Variant& v) {
  return run_initialised(c, opt, "", [&] { return v.dma(c.config); });
}

RunResult run_smmu_case(const Case& c, const RunOptions& opt, const Variant& v) {
  return run_initialised(c, opt, "the SMMU cannot be set up for this configuration: ",
                         [&] { return v.smmu(c.config, true); });
}

}  // namespace iovet
