// The SMMU unit: what the spec sees of an SMMUv3 (driver + hardware), as abstract views that
// any implementation can produce. The spec judges these views; it never decodes an STE itself.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spec/types.h"
#include "spec/unit/iova_allocator.h"
#include "spec/unit/page_table.h"

namespace iovet {

// What a stream's configuration means to the hardware, fields in use only: the effective
// STE (and, for stage 1, the CD it selects), as the SMMU would interpret it if it fetched the
// entries from memory now. Two views are equal exactly when every field in use is equal.
struct StreamView {
  enum class Kind { invalid, abort, bypass, s1, s2 };  // invalid: V=0 or ILLEGAL (C_BAD_STE)
  Kind kind = Kind::invalid;
  // stage 1 (STE.S1ContextPtr, the CD it selects)
  u64 cd_table = 0;
  bool cd_valid = false;  // CD.V; a stage-1 stream with an invalid CD reports C_BAD_CD
  u32 asid = 0;
  u64 ttb = 0;      // CD.TTB0 or STE.S2TTB
  unsigned tsz = 0; // CD.T0SZ or STE.S2T0SZ
  unsigned tg = 0;  // granule shift (12, 14, 16)
  unsigned ps = 0;  // CD.IPS or STE.S2PS as an address width in bits
  unsigned sl0 = 0; // STE.S2SL0 (stage 2)
  u32 vmid = 0;
  u64 mair = 0;     // CD.MAIR (stage 1)
  bool epd1 = false;
  friend bool operator==(const StreamView&, const StreamView&) = default;
};
std::string_view stream_kind_name(StreamView::Kind k);
std::string describe(const StreamView& v);

// One command as the hardware consumed it (the fields a command carries, decoded).
struct SmmuCommand {
  enum class Op {
    prefetch_cfg, cfgi_ste, cfgi_cd, cfgi_all, tlbi_nh_asid, tlbi_nh_va, tlbi_s2_ipa, tlbi_s12_vmall,
    tlbi_nh_all, tlbi_nsnh_all, sync, other
  };
  Op op = Op::other;
  u32 sid = 0, ssid = 0;
  u32 asid = 0, vmid = 0;
  u64 addr = 0;        // VA or IPA, bits [63:12] of the command, unshifted
  bool leaf = false;
  unsigned tg = 0;     // range: 0 none, 1 4K, 2 16K, 3 64K
  unsigned scale = 0, num = 0, ttl = 0;
  friend bool operator==(const SmmuCommand&, const SmmuCommand&) = default;
};
std::string_view smmu_command_name(SmmuCommand::Op op);
std::string describe(const SmmuCommand& c);

// An event record as the driver read it off the event queue.
struct SmmuEvent {
  enum class Id { f_translation, f_addr_size, f_access, f_permission, c_bad_ste, c_bad_cd,
                  c_bad_streamid, other };
  Id id = Id::other;
  unsigned raw_id = 0;
  u32 sid = 0;
  u64 input_addr = 0;
  bool read = true;    // RnW
  bool stage2 = false; // S2: the fault came from stage 2
  friend bool operator==(const SmmuEvent&, const SmmuEvent&) = default;
};
std::string_view smmu_event_name(SmmuEvent::Id id);

// A device transaction through the SMMU: the physical address reached, or a fault.
struct DeviceAccessResult {
  bool ok = false;
  u64 phys = 0;
  bool iotlb_hit = false;  // for explain and benchmarks only; never judged
};

// A translation the IOTLB holds: [in, in + size) -> out, for explain only (never judged: the
// architecture lets an SMMU cache or drop any valid translation).
struct IotlbLine {
  bool stage2 = false;
  u32 asid = 0, vmid = 0;
  u64 in = 0, size = 0, out = 0;
  bool read = false, write = false;
  friend bool operator==(const IotlbLine&, const IotlbLine&) = default;
};

// What happened inside the SMMU while an operation ran, oldest first.
struct SmmuTrace {
  struct Issued { SmmuCommand cmd; };        // the driver wrote it into the queue
  struct Consumed { SmmuCommand cmd; bool illegal = false; };  // the hardware executed it
  struct SyncDone {};                        // a CMD_SYNC the driver waited for completed
  struct EntryState { u32 sid = 0; StreamView view; };  // after each 64-bit store to a live STE/CD
  struct QueueOverflow { u32 prod = 0, cons = 0; };     // prod moved more than a queue's size ahead
  struct IovaFreed { u64 iova = 0, size = 0; };          // an IOVA range went back to the allocator
  // The page table freed the table that covered [iova, iova + size) (io_pgtable_tlb_flush_walk):
  // walk caches may hold it until a non-leaf TLBI.
  struct TableFreed { u64 iova = 0, size = 0; };
  std::variant<Issued, Consumed, SyncDone, EntryState, QueueOverflow, IovaFreed, TableFreed> item;
};

// unmanaged: a second paging domain of the same stage that the DMA API never maps into (as
// VFIO's IOMMU_DOMAIN_UNMANAGED): its own ASID/VMID and tables, so moving a stream between it
// and the DMA domain changes several qwords of the STE or CD at once (a breaking update).
enum class SmmuDomainKind { dma, identity, blocked, unmanaged };
std::string_view smmu_domain_kind_name(SmmuDomainKind k);

}  // namespace iovet

namespace iovet {

using SmmuTraceSink = std::function<void(SmmuTrace)>;

class DmaLayer;

// The whole stack behind the smmu target: the DMA API over an SMMU-backed domain, streams
// attached to it, and device transactions that go through the hardware.
class SmmuStack {
 public:
  virtual ~SmmuStack() = default;
  virtual DmaLayer& dma() = 0;
  virtual bool lazy() const = 0;  // DMA-FQ flush queue in use
  // arm_smmu_attach_dev() and friends; 0 or -errno.
  virtual int attach(u32 sid, SmmuDomainKind kind) = 0;
  virtual DeviceAccessResult access(u32 sid, u64 iova, bool write) = 0;
  // Event records the driver read since the last call (arm_smmu_evtq_thread).
  virtual std::vector<SmmuEvent> take_events() = 0;
  virtual std::vector<SmmuTrace> take_trace() = 0;
  // The hardware's view of a stream's configuration as memory holds it now (no caches).
  virtual StreamView stream_view(u32 sid) const = 0;
  // The configuration the hardware would use for the stream's next transaction: what its
  // configuration cache holds, memory where it holds nothing.
  virtual StreamView config_in_use(u32 sid) const = 0;
  // The hardware walker (no caches) for a stream attached to the DMA domain, for agreement
  // with the io-pgtable; nullopt when no stream is attached to it.
  virtual std::optional<Translation> hw_walk(u64 iova) const = 0;
  virtual u64 iova_to_phys(u64 iova) const = 0;  // the io-pgtable's answer
  // The IOTLB's valid entries, in a stable order (explain's IOTLB figure).
  virtual std::vector<IotlbLine> iotlb() const = 0;
};

}  // namespace iovet
