#include "spec/smmu_judge.h"

#include <algorithm>

namespace iovet {

using Kind = StreamView::Kind;

void SmmuJudge::add(const char* rule, std::string msg) { violations_.push_back({rule, std::move(msg), op_, {}}); }

void SmmuJudge::begin_op(int index, std::map<u32, StreamView> views) {
  op_ = index;
  before_ = std::move(views);
  intermediate_.clear();
  unmapped_now_.clear();
  attached_now_.clear();
}

static std::optional<TlbTag> tag_of(const StreamView& v) {
  if (v.kind == Kind::s1) return TlbTag{false, v.asid, 0, v.tg};
  if (v.kind == Kind::s2) return TlbTag{true, 0, v.vmid, v.tg};
  return std::nullopt;
}

void SmmuJudge::learn_tag(const StreamView& v) {
  if (auto t = tag_of(v)) dma_tag_ = t;
}

static bool blocking(const StreamView& v) { return v.kind == Kind::invalid || v.kind == Kind::abort; }
static bool translating(const StreamView& v) { return (v.kind == Kind::s1 && v.cd_valid) || v.kind == Kind::s2; }
// What a breaking update passes through: the STE, or for stage 1 the CD, made invalid.
static bool invalid_entry(const StreamView& v) { return v.kind == Kind::invalid || (v.kind == Kind::s1 && !v.cd_valid); }

bool SmmuJudge::kind_matches(SmmuDomainKind k, const StreamView& v) const {
  switch (k) {
    case SmmuDomainKind::dma: return translating(v);
    case SmmuDomainKind::identity: return v.kind == Kind::bypass;
    case SmmuDomainKind::blocked: return v.kind == Kind::abort;
    case SmmuDomainKind::unmanaged: return translating(v) && (!dma_tag_ || tag_of(v) != dma_tag_);
  }
  return false;
}

void SmmuJudge::end_op(const std::map<u32, StreamView>& views) {
  after_ = views;
  // Hitless: the hardware may fetch an entry between any two stores.
  for (const auto& [sid, states] : intermediate_) {
    const auto b = before_.find(sid);
    const auto a = views.find(sid);
    const bool known = b != before_.end() && a != views.end();
    bool broke = false;
    for (const StreamView& s : states) {
      if ((b != before_.end() && s == b->second) || (a != views.end() && s == a->second)) continue;
      // A stream that blocked all traffic may pass through another blocking state (a new
      // level-2 table of aborting STEs): nothing more gets through.
      if (known && blocking(b->second) && blocking(s)) continue;
      // Between two translating configurations (stage 1 and stage 2, or two domains: another
      // ASID and TTB0 in the CD, another VMID and S2TTB in the STE) several qwords change at
      // once and no hitless sequence may exist: Linux makes the STE or the CD invalid
      // meanwhile (a breaking update). Counted once per update.
      if (known && invalid_entry(s) && translating(b->second) && translating(a->second) && !(b->second == a->second)) {
        if (!broke) ++breaking_;
        broke = true;
        continue;
      }
      add("smmu.hitless", "stream " + std::to_string(sid) + " passes through a state that is neither the old nor the new one: " +
                              describe(s) + " (old: " + (b != before_.end() ? describe(b->second) : "?") +
                              ", new: " + (a != views.end() ? describe(a->second) : "?") + ")");
      break;
    }
  }
  for (const auto& [sid, kind] : attached_) {
    const auto v = views.find(sid);
    if (v == views.end()) continue;
    if (kind == SmmuDomainKind::dma) learn_tag(v->second);
    if (std::count(attached_now_.begin(), attached_now_.end(), sid) && !kind_matches(kind, v->second))
      add("smmu.config", "stream " + std::to_string(sid) + " is attached to " + std::string(smmu_domain_kind_name(kind)) +
                             " but the hardware sees " + describe(v->second));
  }
  if (!lazy_) {
    // One violation per op, naming the first leaf left and how many there are.
    std::size_t left = 0;
    const Leaf* first = nullptr;
    for (const Leaf& l : unmapped_now_)
      for (const Pending& p : pending_)
        if (p.kind == TlbEntryKind::leaf && p.leaf.iova == l.iova && p.leaf.size == l.size) {
          if (!left++) first = &l;
          break;
        }
    if (left)
      add("smmu.invalidation", "unmap returned before the invalidation of [" + hex(first->iova) + ", " +
                                   hex(first->iova + first->size - 1) + "]" +
                                   (left > 1 ? " and " + std::to_string(left - 1) + " more leaves" : std::string()) +
                                   " completed (strict mode)");
  }
  // Both modes: Linux invalidates a freed table's walk-cache entries before the unmap returns
  // (tlb_flush_walk is never deferred), for the table's memory goes back at once.
  for (const Pending& p : pending_)
    if (p.kind == TlbEntryKind::table) {
      add("smmu.invalidation", "the table that covered [" + hex(p.leaf.iova) + ", " + hex(p.leaf.iova + p.leaf.size - 1) +
                                   "] was freed but no completed non-leaf TLBI (Leaf = 0, fitting TG/TTL) removed its walk-cache entries");
      std::erase_if(pending_, [](const Pending& q) { return q.kind == TlbEntryKind::table; });  // reported once
      break;
    }
  for (const SmmuCommand& c : in_flight_)
    if (c.op == SmmuCommand::Op::sync) {
      add("smmu.cmdq", "the op returned while a CMD_SYNC it issued was never consumed");
      break;
    }
}

void SmmuJudge::in_use(const std::map<u32, StreamView>& in_use) {
  for (const auto& [sid, used] : in_use) {
    const auto m = after_.find(sid);
    if (m != after_.end() && !(used == m->second))
      add("smmu.config", "stream " + std::to_string(sid) + ": after the op the SMMU may keep using " + describe(used) +
                             " though memory holds " + describe(m->second) + " (a CFGI came before the final store)");
  }
}

void SmmuJudge::attached(u32 sid, SmmuDomainKind kind) {
  attached_[sid] = kind;
  attached_now_.push_back(sid);
}

void SmmuJudge::unmapped(const std::vector<Leaf>& leaves) {
  for (const Leaf& l : leaves) {
    unmapped_now_.push_back(l);
    if (dma_tag_) pending_.push_back({l, *dma_tag_, false});  // never attached: nothing can be cached
  }
}

void SmmuJudge::mapped(Range iova) {
  if (!lazy_) return;  // strict: nothing is pending once an unmap returned (smmu.invalidation)
  for (const Pending& p : pending_)
    if (iova.overlaps({p.leaf.iova, p.leaf.iova + p.leaf.size - 1})) {
      add("smmu.flush_queue", "IOVA [" + hex(iova.first) + ", " + hex(iova.last) + "] is handed out again while [" +
                                  hex(p.leaf.iova) + ", " + hex(p.leaf.iova + p.leaf.size - 1) +
                                  "] still waits for its invalidation");
      return;
    }
}

void SmmuJudge::consumed(const SmmuCommand& c) {
  if (in_flight_.empty()) {
    add("smmu.cmdq", "the hardware consumed " + describe(c) + " that the driver never issued");
  } else {
    if (!(in_flight_.front() == c))
      add("smmu.cmdq", "the hardware consumed " + describe(c) + " where the driver issued " + describe(in_flight_.front()));
    in_flight_.pop_front();
  }
  if (c.op == SmmuCommand::Op::sync) {
    std::erase_if(pending_, [](const Pending& p) { return p.covered; });
    return;
  }
  bool removed = false;
  for (Pending& p : pending_)
    if (!p.covered && tlbi_removes(c, p.tag, p.leaf.iova, p.leaf.size, p.kind)) removed = p.covered = true;
  const bool is_tlbi = c.op != SmmuCommand::Op::cfgi_ste && c.op != SmmuCommand::Op::cfgi_cd &&
                       c.op != SmmuCommand::Op::cfgi_all && c.op != SmmuCommand::Op::prefetch_cfg &&
                       c.op != SmmuCommand::Op::other;
  if (is_tlbi && !removed) ++over_;
}

// SyncDone needs nothing here: consuming a CMD_SYNC is its completion (see consumed()).
void SmmuJudge::trace(const SmmuTrace& t) {
  if (auto* i = std::get_if<SmmuTrace::Issued>(&t.item)) {
    in_flight_.push_back(i->cmd);
  } else if (auto* c = std::get_if<SmmuTrace::Consumed>(&t.item)) {
    if (c->illegal) add("smmu.cmdq", "the hardware rejected " + describe(c->cmd) + " as illegal (CERROR_ILL)");
    consumed(c->cmd);
  } else if (auto* e = std::get_if<SmmuTrace::EntryState>(&t.item)) {
    intermediate_[e->sid].push_back(e->view);
  } else if (auto* tf = std::get_if<SmmuTrace::TableFreed>(&t.item)) {
    if (dma_tag_) pending_.push_back({{tf->iova, tf->size, 0, 0}, *dma_tag_, false, TlbEntryKind::table});
  } else if (auto* o = std::get_if<SmmuTrace::QueueOverflow>(&t.item)) {
    add("smmu.cmdq", "the driver moved CMDQ_PROD to " + hex(o->prod) + ", more than a queue ahead of CONS " + hex(o->cons));
  } else if (auto* f = std::get_if<SmmuTrace::IovaFreed>(&t.item); f && lazy_) {
    // (Strict mode: a free before the invalidation is already smmu.invalidation.)
    const Range freed{f->iova, f->iova + f->size - 1};
    for (const Pending& p : pending_)
      if (p.kind == TlbEntryKind::leaf && freed.overlaps({p.leaf.iova, p.leaf.iova + p.leaf.size - 1})) {
        add("smmu.flush_queue", "IOVA [" + hex(freed.first) + ", " + hex(freed.last) +
                                    "] goes back to the allocator before the invalidation of [" + hex(p.leaf.iova) +
                                    ", " + hex(p.leaf.iova + p.leaf.size - 1) + "] completed");
        break;
      }
  }
}

const SmmuJudge::Pending* SmmuJudge::pending_at(u64 iova) const {
  for (const Pending& p : pending_)
    if (p.kind == TlbEntryKind::leaf && iova - p.leaf.iova < p.leaf.size) return &p;
  return nullptr;
}

void SmmuJudge::access(u32 sid, u64 iova, bool write, const DeviceAccessResult& r, const Translation& pt,
                       const std::vector<SmmuEvent>& events) {
  const std::string what = "stream " + std::to_string(sid) + (write ? " write at " : " read at ") + hex(iova);
  const auto it = attached_.find(sid);
  const SmmuDomainKind kind = it == attached_.end() ? SmmuDomainKind::blocked : it->second;
  if (kind == SmmuDomainKind::blocked) {
    if (r.ok) add("smmu.config", what + " reaches phys " + hex(r.phys) + " through a blocked stream");
    // A stream never attached may have no STE at all (no level-2 table yet): the hardware
    // reports that configuration error; an aborting STE terminates silently.
    const bool never = it == attached_.end();
    const bool config_error = events.size() == 1 && events[0].sid == sid &&
                              (events[0].id == SmmuEvent::Id::c_bad_streamid || events[0].id == SmmuEvent::Id::c_bad_ste);
    if (!events.empty() && !(never && config_error))
      add("smmu.event", what + ": a blocked stream records " + std::string(smmu_event_name(events[0].id)));
    return;
  }
  if (kind == SmmuDomainKind::unmanaged) {  // nothing is ever mapped there
    if (r.ok) add("smmu.config", what + " reaches phys " + hex(r.phys) + " through the unmanaged domain, which maps nothing");
    else check_fault_event(what, sid, iova, write, events, SmmuEvent::Id::f_translation, false);
    return;
  }
  if (kind == SmmuDomainKind::identity) {
    if (!r.ok || r.phys != iova)
      add("smmu.config", what + " through an identity stream " + (r.ok ? "reaches " + hex(r.phys) : std::string("faults")));
    return;
  }
  const bool permitted = pt.valid && (write ? pt.write : pt.read);
  if (permitted) {
    if (!r.ok) add("smmu.translation", what + " faults; the page table maps it to " + hex(pt.phys));
    else if (r.phys != pt.phys) add("smmu.translation", what + " reaches " + hex(r.phys) + "; the page table maps it to " + hex(pt.phys));
    return;
  }
  if (r.ok) {
    const Pending* p = pending_at(iova);
    if (pt.valid) {
      add("smmu.translation", what + " succeeds though the page table refuses it");
    } else if (!p) {
      add("smmu.stale", what + " reaches " + hex(r.phys) + " after its translation was unmapped and invalidated");
    } else if (r.phys != p->leaf.phys + (iova - p->leaf.iova)) {
      add("smmu.stale", what + " reaches " + hex(r.phys) + ", which no translation of it ever held");
    } else if (!lazy_) {
      add("smmu.stale", what + " reaches " + hex(r.phys) + " through a stale translation after a strict unmap returned");
    }
    return;
  }
  // A stale IOTLB entry of a leaf still waiting for its invalidation answers for the table:
  // when it lacks the permission, the fault is a permission fault.
  const Pending* stale = pt.valid ? nullptr : pending_at(iova);
  const bool stale_refuses = stale && !(stale->leaf.prot & (write ? prot::write : prot::read));
  const SmmuEvent::Id want =
      pt.valid || stale_refuses ? SmmuEvent::Id::f_permission : SmmuEvent::Id::f_translation;
  check_fault_event(what, sid, iova, write, events, want, stale_refuses);  // the stale entry may be gone
}

// One event record of type want (or F_TRANSLATION too when or_translation) for the access.
void SmmuJudge::check_fault_event(const std::string& what, u32 sid, u64 iova, bool write,
                                  const std::vector<SmmuEvent>& events, SmmuEvent::Id want, bool or_translation) {
  if (events.size() != 1) {
    add("smmu.event", what + " faults with " + std::to_string(events.size()) + " event records, expected one " +
                          std::string(smmu_event_name(want)));
    return;
  }
  const SmmuEvent& e = events[0];
  const bool either = or_translation && e.id == SmmuEvent::Id::f_translation;
  if ((e.id != want && !either) || e.sid != sid || e.input_addr != iova || e.read == write)
    add("smmu.event", what + " records " + std::string(smmu_event_name(e.id)) + " sid " + std::to_string(e.sid) + " addr " +
                          hex(e.input_addr) + (e.read ? " read" : " write") + ", expected " +
                          std::string(smmu_event_name(want)) + " sid " + std::to_string(sid) + " addr " + hex(iova) +
                          (write ? " write" : " read"));
}

void SmmuJudge::walk(u64 iova, const Translation& hw, u64 iova_to_phys) {
  const u64 got = hw.valid ? hw.phys : 0;
  if (got != iova_to_phys)
    add("smmu.walk", "at " + hex(iova) + " the hardware walker finds " + (hw.valid ? hex(hw.phys) : std::string("nothing")) +
                         ", iova_to_phys says " + hex(iova_to_phys));
}

}  // namespace iovet
