// The event queue (IHI 0070 7.2-7.3): 32-byte event records the SMMU writes at EVTQ_PROD. When
// the queue is full the record is lost and EVTQ_PROD.OVFLG toggles, once per overflow the
// driver has acknowledged (OVFLG == EVTQ_CONS.OVACKFLG).
#pragma once
#include "impl/smmu_hw/smmu_hw_queue.h"
#include "impl/system_memory.h"

namespace iovet::smmu_hw {

namespace evt {
inline constexpr u64 ENT_SIZE = 32;
inline constexpr unsigned ENT_DWORDS = 4;

inline constexpr unsigned C_BAD_STREAMID = 0x02;
inline constexpr unsigned F_STE_FETCH = 0x03;
inline constexpr unsigned C_BAD_STE = 0x04;
inline constexpr unsigned F_CD_FETCH = 0x09;
inline constexpr unsigned C_BAD_CD = 0x0a;
inline constexpr unsigned F_WALK_EABT = 0x0b;
inline constexpr unsigned F_TRANSLATION = 0x10;
inline constexpr unsigned F_ADDR_SIZE = 0x11;
inline constexpr unsigned F_ACCESS = 0x12;
inline constexpr unsigned F_PERMISSION = 0x13;

inline constexpr u64 ID = genmask(7, 0);            // dword 0
inline constexpr u64 SSV = bit(11);
inline constexpr u64 SSID = genmask(31, 12);
inline constexpr u64 SID = genmask(63, 32);
inline constexpr u64 PNU = bit(33);                 // dword 1
inline constexpr u64 IND = bit(34);
inline constexpr u64 RNW = bit(35);
inline constexpr u64 S2 = bit(39);
inline constexpr u64 CLASS = genmask(41, 40);
inline constexpr u64 CLASS_IN = 2;                  // the fault is on the input address
inline constexpr u64 IPA = genmask(51, 12);         // dword 3, translation faults
inline constexpr u64 FETCH_ADDR = genmask(51, 3);   // dword 3, fetch aborts
}  // namespace evt

// One event as the SMMU reports it; fields unused by an event stay zero.
struct EventRecord {
  unsigned id = 0;
  u32 sid = 0;
  bool translation = false;  // F_TRANSLATION..F_PERMISSION, F_WALK_EABT: address, RnW, S2, CLASS
  bool read = false;
  bool stage2 = false;
  u64 input_addr = 0;
  u64 ipa = 0;               // stage-2 faults
  u64 fetch_addr = 0;        // F_STE_FETCH, F_CD_FETCH, F_WALK_EABT
};

void encode_event(const EventRecord& e, u64 out[evt::ENT_DWORDS]);

class EventQueue {
 public:
  enum class Push { written, overflow, abort };
  // Writes the record at PROD (mem false: external abort, GERROR.EVTQ_ABT_ERR).
  Push push(const SystemMemory& mem, unsigned max_log2, const EventRecord& e);

  QueuePtrs q;  // prod carries OVFLG, cons OVACKFLG
};

}  // namespace iovet::smmu_hw
