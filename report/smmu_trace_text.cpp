#include "report/smmu_trace_text.h"

#include "spec/types.h"

namespace iovet {

std::string smmu_trace_text(const SmmuTrace& t) {
  if (auto* i = std::get_if<SmmuTrace::Issued>(&t.item)) return "driver issues " + describe(i->cmd);
  if (auto* c = std::get_if<SmmuTrace::Consumed>(&t.item))
    return "smmu consumes " + describe(c->cmd) + (c->illegal ? " (CERROR_ILL)" : "");
  if (std::get_if<SmmuTrace::SyncDone>(&t.item)) return "smmu completes CMD_SYNC";
  if (auto* e = std::get_if<SmmuTrace::EntryState>(&t.item))
    return "stream " + std::to_string(e->sid) + " as the smmu would fetch it now: " + describe(e->view);
  if (auto* o = std::get_if<SmmuTrace::QueueOverflow>(&t.item))
    return "command queue overflow: prod " + hex(o->prod) + " cons " + hex(o->cons);
  if (auto* tf = std::get_if<SmmuTrace::TableFreed>(&t.item))
    return "page table frees the table of [" + hex(tf->iova) + ", " + hex(tf->iova + tf->size - 1) + "]";
  const auto& f = std::get<SmmuTrace::IovaFreed>(t.item);
  return "iova [" + hex(f.iova) + ", " + hex(f.iova + f.size - 1) + "] back to the allocator";
}

}  // namespace iovet
