// The command queue consumer (IHI 0070 3.5, 4.1). Deterministic: commands are consumed only
// when the driver reads CMDQ_CONS, up to cmdq_per_poll per read, in ring order. An ILLEGAL
// command (or an abort reading it) stops consumption with CONS on it and CONS.ERR set until
// the driver acknowledges GERROR.CMDQ_ERR through GERRORN.
#pragma once
#include "impl/smmu_hw/smmu_hw_cmd.h"
#include "impl/smmu_hw/smmu_hw_queue.h"
#include "impl/system_memory.h"

namespace iovet::smmu_hw {

class CommandQueue {
 public:
  // Consumes up to max commands, calling exec(cmd) for each legal one and illegal(cmd) for one
  // that stops the queue. Returns true when a command error (CERROR_ILL / CERROR_ABT) arose.
  template <class Exec, class Illegal>
  bool consume(const SystemMemory& mem, const SmmuHwParams& p, unsigned max, Exec&& exec,
               Illegal&& illegal) {
    if (stalled()) return false;
    const unsigned log2 = q.log2size(p.cmdq_log2);
    for (unsigned n = 0; n < max && !QueuePtrs::empty(q.prod, q.cons, log2); ++n) {
      const u64 pa = q.entry_pa(q.cons, log2, cmd::ENT_SIZE);
      u64 d0, d1;
      if (!mem.read64(pa, &d0) || !mem.read64(pa + 8, &d1)) return stop(reg::CERROR_ABT);
      const DecodedCommand c = decode_command(p, d0, d1);
      if (c.illegal) {
        illegal(c);
        return stop(reg::CERROR_ILL);
      }
      q.cons = QueuePtrs::inc(q.cons, log2);
      exec(c);
    }
    return false;
  }
  bool stalled() const { return field_get(reg::CMDQ_CONS_ERR, q.cons) != reg::CERROR_NONE; }
  // The driver acknowledged the error: consumption restarts at CONS.
  void resume() { q.cons &= ~static_cast<u32>(reg::CMDQ_CONS_ERR); }

  QueuePtrs q;  // cons carries CONS.ERR

 private:
  bool stop(u64 cerror) {
    q.cons = (q.cons & ~static_cast<u32>(reg::CMDQ_CONS_ERR)) |
             static_cast<u32>(field_prep(reg::CMDQ_CONS_ERR, cerror));
    return true;
  }
};

}  // namespace iovet::smmu_hw
