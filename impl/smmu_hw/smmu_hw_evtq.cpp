#include "impl/smmu_hw/smmu_hw_evtq.h"

namespace iovet::smmu_hw {

void encode_event(const EventRecord& e, u64 out[evt::ENT_DWORDS]) {
  out[0] = field_prep(evt::ID, e.id) | field_prep(evt::SID, e.sid);  // SSV = 0: no substreams
  out[1] = out[2] = out[3] = 0;
  if (e.translation) {
    // A data access (InD = 0) the SMMU treats as unprivileged (PnU = 0), on its input address.
    out[1] = (e.read ? evt::RNW : 0) | (e.stage2 ? evt::S2 : 0) |
             field_prep(evt::CLASS, evt::CLASS_IN);
    out[2] = e.input_addr;
    out[3] = e.stage2 ? e.ipa & evt::IPA : 0;
  }
  if (e.id == evt::F_STE_FETCH || e.id == evt::F_CD_FETCH || e.id == evt::F_WALK_EABT)
    out[3] = e.fetch_addr & evt::FETCH_ADDR;
}

EventQueue::Push EventQueue::push(const SystemMemory& mem, unsigned max_log2,
                                  const EventRecord& e) {
  const unsigned log2 = q.log2size(max_log2);
  if (QueuePtrs::full(q.prod, q.cons, log2)) {
    if ((q.prod & reg::Q_OVERFLOW_FLAG) == (q.cons & reg::Q_OVERFLOW_FLAG))
      q.prod ^= reg::Q_OVERFLOW_FLAG;
    return Push::overflow;
  }
  u64 rec[evt::ENT_DWORDS];
  encode_event(e, rec);
  const u64 pa = q.entry_pa(q.prod, log2, evt::ENT_SIZE);
  for (unsigned i = 0; i < evt::ENT_DWORDS; ++i)
    if (!mem.write64(pa + 8 * i, rec[i])) return Push::abort;
  q.prod = (q.prod & reg::Q_OVERFLOW_FLAG) | QueuePtrs::inc(q.prod, log2);
  return Push::written;
}

}  // namespace iovet::smmu_hw
