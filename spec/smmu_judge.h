// The SMMU rules (smmu.*): what a device may reach through the hardware, when an unmapped
// translation must be gone, how configuration and command-queue traffic must look. Fed with
// observations by a runner (the page table's translation, the trace of the SMMU, device
// access results); never calls an implementation.
#pragma once
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/rules.h"
#include "spec/smmu_tlbi.h"
#include "spec/unit/page_table.h"
#include "spec/unit/smmu.h"

namespace iovet {

class SmmuJudge {
 public:
  explicit SmmuJudge(bool lazy) : lazy_(lazy) {}

  // Each op is bracketed: begin_op with the hardware's view of every stream the case uses,
  // then observations, then end_op with the views again.
  void begin_op(int index, std::map<u32, StreamView> views);
  void end_op(const std::map<u32, StreamView>& views);
  // After end_op: the configuration the hardware would use next for each stream. It must be
  // the one in memory: a CFGI consumed before the final store of an update lets the SMMU keep
  // (or fetch) what memory held then, until the next CFGI.
  void in_use(const std::map<u32, StreamView>& in_use);

  // What the op did. attach: the stream must now use the named domain.
  void attached(u32 sid, SmmuDomainKind kind);
  // Leaves that left the DMA domain's page table during this op (what an unmap removed).
  void unmapped(const std::vector<Leaf>& leaves);
  // A DMA mapping that now covers [first, last] (a new live IOVA range).
  void mapped(Range iova);
  void trace(const SmmuTrace& t);
  // A device access through the hardware, the page table's translation of the same IOVA at
  // the same moment, and the event records the driver read right after it.
  void access(u32 sid, u64 iova, bool write, const DeviceAccessResult& r, const Translation& pt,
              const std::vector<SmmuEvent>& events);
  // The hardware walker against the io-pgtable's iova_to_phys at one address.
  void walk(u64 iova, const Translation& hw, u64 iova_to_phys);

  // Invalidation commands that removed nothing pending (over-invalidation: counted, not a
  // violation).
  u64 over_invalidations() const { return over_; }
  // Updates between two translating configurations that passed through an invalid STE or CD
  // (Linux's breaking update).
  u64 breaking_updates() const { return breaking_; }
  std::vector<Violation> take() { return std::move(violations_); }

 private:
  struct Pending {
    Leaf leaf;  // a freed table: the region it covered
    TlbTag tag;
    bool covered = false;  // a consumed TLBI removes it; done at the next completed SYNC
    TlbEntryKind kind = TlbEntryKind::leaf;
  };
  void add(const char* rule, std::string msg);
  void consumed(const SmmuCommand& c);
  void learn_tag(const StreamView& v);
  const Pending* pending_at(u64 iova) const;
  bool kind_matches(SmmuDomainKind k, const StreamView& v) const;
  void check_fault_event(const std::string& what, u32 sid, u64 iova, bool write, const std::vector<SmmuEvent>& events,
                         SmmuEvent::Id want, bool or_translation);

  bool lazy_;
  int op_ = -1;
  std::map<u32, StreamView> before_, after_;
  std::map<u32, std::vector<StreamView>> intermediate_;
  std::map<u32, SmmuDomainKind> attached_;
  std::vector<u32> attached_now_;
  std::optional<TlbTag> dma_tag_;
  std::vector<Pending> pending_;
  std::vector<Leaf> unmapped_now_;
  std::deque<SmmuCommand> in_flight_;  // issued, not yet consumed
  u64 over_ = 0;
  u64 breaking_ = 0;
  std::vector<Violation> violations_;
};

}  // namespace iovet
