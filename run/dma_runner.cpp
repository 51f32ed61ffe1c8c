#include "run/dma_runner.h"

#include <map>

#include "case/input_error.h"
#include "run/make_page_table.h"
#include "run/sg_drawing.h"
#include "spec/dma_judge.h"
#include "spec/unit/kernel_outcome.h"

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

class DmaRun {
 public:
  DmaRun(const Case& c, const RunOptions& opt, const DmaVariant& v)
      : c_(c), opt_(opt), dma_(v.make(c.config, make_page_table(c.config))),
        judge_(c.config, dma_->page_table().can_express_write_only()) {}

  RunResult run() {
    bool dead = false;
    for (std::size_t i = 0; i < c_.ops.size() && !dead; ++i) {
      i_ = static_cast<int>(i);
      judge_.set_op(i_);
      const std::vector<IovaRange> before = opt_.trace ? dma_->iova().allocated() : std::vector<IovaRange>{};
      try {
        std::visit([&](const auto& o) { step(o, c_.ops[i].expect); }, c_.ops[i].body);
      } catch (const KernelCrash& e) {
        judge_.kernel_crash(e.what());
        note(std::string("  kernel oops: ") + e.what());
        dead = true;
      } catch (const KernelBug& e) {
        judge_.kernel_bug(e.what());
        note(std::string("  kernel BUG: ") + e.what());
        dead = true;
      }
      for (std::string& w : dma_->take_warnings()) {
        note("  WARN: " + w);
        r_.warnings.push_back("op " + std::to_string(i) + ": " + w);
      }
      if (opt_.trace) trace_allocations(before);
      if (!dead && judge_.in_misuse()) judge_.check_consistency(snapshot(), translate_fn());
    }
    if (dead) note("  the kernel is dead: the remaining ops are not run");
    else judge_.finish(snapshot());
    r_.misuse_from = judge_.misuse_from();
    r_.violations = judge_.take();
    return std::move(r_);
  }

 private:
  void note(std::string s) {
    if (opt_.trace) r_.trace.push_back({i_, std::move(s)});
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
  DmaSnapshot snapshot() const {
    return {dma_->iova().allocated(), dma_->iova().cached(), dma_->page_table().leaves()};
  }
  void trace_allocations(const std::vector<IovaRange>& before) {
    const unsigned shift = c_.config.granule_shift();
    for (const IovaRange& r : dma_->iova().allocated()) {
      bool old = false;
      for (const IovaRange& b : before) old |= b == r;
      if (!old)
        note("  iova allocated: [" + hex(r.pfn_lo << shift) + ", " + hex(((r.pfn_hi + 1) << shift) - 1) + "] (" +
             std::to_string(r.size()) + " granules)");
    }
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
    const u64 h = dma_->map_page(o.page, o.offset, o.size, o.dir);
    note("map_page " + o.id + " phys " + hex(o.page + o.offset) + " size " + hex(o.size) + " " +
         std::string(dir_name(o.dir)) + " -> " + (h == DMA_MAPPING_ERROR ? "DMA_MAPPING_ERROR" : hex(h)));
    judge_.map_page(o.id, o.page + o.offset, o.size, o.dir, h);
    handles_[o.id] = Handle{h, o.size, o.dir, {}, {}};
    check_error(ex, h == DMA_MAPPING_ERROR);
  }
  void step(const op::UnmapPage& o, const OpExpect&) {
    const Handle& h = handle(o.id);
    if (failed_mapping(o.id, h)) return;
    const bool live = judge_.release(o.id);
    note("unmap_page " + o.id + " handle " + hex(h.handle) + (live ? "" : "  (misuse: not live)"));
    dma_->unmap_page(h.handle, h.size, h.dir);
  }
  void step(const op::UnmapPageRaw& o, const OpExpect&) {
    judge_.release_raw(o.dma, o.size);
    note("unmap_page raw handle " + hex(o.dma) + " size " + hex(o.size) + (judge_.in_misuse() ? "  (misuse)" : ""));
    dma_->unmap_page(o.dma, o.size, o.dir);
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
    const int ret = dma_->map_sg(sg, o.dir);
    note("map_sg " + o.id + " " + std::to_string(o.sg.size()) + " entries " + std::string(dir_name(o.dir)) + " -> " + std::to_string(ret));
    if (opt_.trace)
      for (std::string& line : draw_segments(in, sg, ret, c_.config)) note("  " + line);
    judge_.map_sg(o.id, in, o.dir, ret, sg, translate_fn());
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
    dma_->unmap_sg(h.sg, static_cast<int>(h.sg.size()), h.dir);
  }
  void step(const op::Alloc& o, const OpExpect& ex) {
    auto buf = dma_->alloc(o.size);
    note("alloc " + o.id + " size " + hex(o.size) + " -> " + (buf ? hex(buf->handle) : std::string("failed")));
    judge_.alloc(o.id, o.size, buf);
    handles_[o.id] = Handle{buf ? buf->handle : DMA_MAPPING_ERROR, o.size, Dir::bidirectional, {}, buf};
    check_error(ex, !buf);
  }
  void step(const op::Free& o, const OpExpect&) {
    const Handle& h = handle(o.id);
    if (failed_mapping(o.id, h)) return;
    const bool live = judge_.release(o.id);
    note("free " + o.id + (live ? "" : "  (misuse: not live)"));
    dma_->free(h.size, h.buf.value_or(CoherentBuffer{}));
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
    const u64 n = dma_->iommu_unmap(iova, size);
    note("iommu_unmap " + hex(iova) + " size " + hex(size) + " -> " + hex(n) + "  (misuse)");
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
    const Translation t = dma_->page_table().translate(iova);
    const bool ok = t.valid && (o.write ? t.write : t.read);
    note(std::string("access ") + (o.write ? "write " : "read ") + hex(iova) + " -> " +
         (ok ? "phys " + hex(t.phys) : std::string("fault")));
    judge_.access(iova, o.write, t);
    if (ex.fault && *ex.fault == ok) expect_fail(ok ? "the access succeeded, expected a fault" : "the access faulted");
    if (ex.phys && (!ok ? *ex.phys != 0 : t.phys != *ex.phys))
      expect_fail("the access reached " + (ok ? hex(t.phys) : std::string("nothing")) + ", expected " + hex(*ex.phys));
  }
  template <class Other>
  void step(const Other& o, const OpExpect&) {
    throw InputError(c_.name, ptr("/op"), "op '" + std::string(op_name(OpBody{o})) + "' does not belong to target dma");
  }

  const Case& c_;
  const RunOptions& opt_;
  std::unique_ptr<DmaLayer> dma_;
  DmaJudge judge_;
  std::map<std::string, Handle> handles_;
  RunResult r_;
  int i_ = -1;
};

}  // namespace

RunResult run_dma_case(const Case& c, const RunOptions& opt, const DmaVariant& v) { return DmaRun(c, opt, v).run(); }

}  // namespace iovet
