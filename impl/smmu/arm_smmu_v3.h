// The SMMUv3 driver (struct arm_smmu_device), modelled on Linux's
// drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c: probe and reset, the stream table (linear or
// two-level with lazily allocated L2 tables), per-stream CD tables, hitless STE/CD updates,
// the command queue with batching and CMD_SYNC polling, and the event queue. It reaches the
// hardware only through SmmuMmio and the memory it allocates from its PhysMem.
#pragma once
#include <array>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "impl/phys_mem.h"
#include "impl/smmu/arm_smmu_cmd.h"
#include "impl/smmu/arm_smmu_entry.h"
#include "impl/smmu/tlbi_range.h"
#include "impl/smmu_mmio.h"
#include "spec/unit/smmu.h"

namespace iovet {

class ArmSmmuDomain;

// What arm_smmu_device_hw_probe() found (smmu->features and the sizes next to it).
struct ArmSmmuFeatures {
  bool two_lvl_strtab = false;  // ARM_SMMU_FEAT_2_LVL_STRTAB (and sid_bits > STRTAB_SPLIT)
  bool two_lvl_cdtab = false;
  bool trans_s1 = false, trans_s2 = false;
  bool ril = false;             // ARM_SMMU_FEAT_RANGE_INV
  bool sev = false, hyp = false, ats = false, coherent = false, vax = false, s2fwb = false;
  bool stalls = false, stall_force = false;
  bool attr_types_ovr = false;
  unsigned ias = 0, oas = 0;
  u64 pgsize_bitmap = 0;
  unsigned asid_bits = 0, vmid_bits = 0, ssid_bits = 0, sid_bits = 0;
  unsigned cmdq_shift = 0, evtq_shift = 0;  // log2 of the queue sizes in use
};

// Hooks a test may override to plant faults; production code uses them unchanged.
// arm_smmu_evtq_thread()'s reading of one event record (the ID, StreamID, RnW, S2 and the
// input address), for any driver whose records end up in the event queue.
SmmuEvent arm_smmu_decode_event(const std::array<u64, smmu::evtq_ent_dwords>& raw);

class ArmSmmuDevice {
 public:
  // arm_smmu_device_probe(): hw_probe, init_structures, device_reset. Throws
  // std::runtime_error if the hardware is unusable or memory runs out.
  ArmSmmuDevice(SmmuMmio& mmio, PhysMem& mem, SmmuTraceSink sink = {});
  virtual ~ArmSmmuDevice();
  ArmSmmuDevice(const ArmSmmuDevice&) = delete;
  ArmSmmuDevice& operator=(const ArmSmmuDevice&) = delete;

  // arm_smmu_attach_dev / _identity / _blocked for the master owning stream sid; 0 or -errno.
  int attach(u32 sid, SmmuDomainKind kind, ArmSmmuDomain* domain);

  // arm_smmu_evtq_thread(): drain the event queue.
  std::vector<SmmuEvent> read_events();

  // Called after every 64-bit store into an STE or a CD that stream sid may be using.
  std::function<void(u32 sid)> on_entry_store;

  const ArmSmmuFeatures& features() const { return feat_; }

  // Where stream sid's STE and CD 0 live (0 before the stream has one), for tests and views.
  u64 ste_pa(u32 sid) const;
  u64 cd_pa(u32 sid) const;
  // EVTQ overflows seen (events lost) and CMDQ polls that gave up, since probe.
  unsigned evtq_overflows() const { return evtq_overflows_; }
  unsigned cmdq_timeouts() const { return cmdq_timeouts_; }

 protected:
  // Which entry an update is for: the STE of sid, or CD ssid of sid's CD table.
  struct EntryWriter {
    enum class Kind { ste, cd } kind = Kind::ste;
    u32 sid = 0;
    u32 ssid = 0;
  };

  // arm_smmu_write_entry(): the hitless update of the entry at entry_pa to target.
  virtual void write_entry(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target);
  // __arm_smmu_tlb_inv_range(): cmd is a TLBI_NH_VA or TLBI_S2_IPA template (opcode, asid or
  // vmid, leaf); splits [iova, iova + size) into commands, batches them, ends with a SYNC.
  virtual void tlb_inv_range(smmu::CmdqEnt cmd, u64 iova, u64 size, u64 granule,
                             unsigned tg_shift);

  // arm_smmu_make_s1_cd(): the CD of a stage-1 domain, from its io-pgtable configuration.
  virtual smmu::Entry make_s1_cd(const ArmSmmuDomain& domain) const;
  // arm_smmu_make_bypass_ste(): the STE of a stream attached to the identity domain.
  virtual smmu::Entry make_bypass_ste() const;
  // arm_smmu_decode_event(): one event record as read off the event queue.
  using EvtqRecord = std::array<u64, smmu::evtq_ent_dwords>;
  virtual SmmuEvent decode_event(const EvtqRecord& raw) const;
  // arm_smmu_cmdq_poll_until_not_full(): wait (polling CONS) until n more commands fit.
  // 0 or -ETIMEDOUT.
  virtual int cmdq_poll_until_not_full(u32 n);

  // Building blocks for write_entry / tlb_inv_range overrides.
  smmu::Entry read_entry(u64 entry_pa) const;
  void store_qword(const EntryWriter& w, u64 entry_pa, unsigned i, u64 v);  // + on_entry_store
  void entry_sync(const EntryWriter& w);  // CFGI_STE / CFGI_CD for the entry, then CMD_SYNC
  // entry_set(): store target's qwords [start, start + len) that differ; sync if any did.
  void entry_set(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target, unsigned start,
                 unsigned len);
  static smmu::Entry entry_used(const EntryWriter& w, const smmu::Entry& e);

  // struct arm_smmu_cmdq_batch: up to CMDQ_BATCH_ENTRIES commands issued together.
  class CmdqBatch {
   public:
    explicit CmdqBatch(ArmSmmuDevice& smmu) : smmu_(smmu), cmds_(smmu.batch_buf_) { cmds_.clear(); }
    void add(const smmu::CmdqEnt& ent);  // arm_smmu_cmdq_batch_add()
    int submit();                        // arm_smmu_cmdq_batch_submit(): with a CMD_SYNC
   private:
    ArmSmmuDevice& smmu_;
    std::vector<smmu::CmdqEnt>& cmds_;  // the device's buffer: batches never nest
  };
  // arm_smmu_cmdq_issue_cmdlist(): write n commands (+ a CMD_SYNC), publish PROD, and wait
  // for the SYNC by polling CONS. 0 or -ETIMEDOUT.
  int issue_cmdlist(std::span<const smmu::CmdqEnt> cmds, bool sync);
  int issue_cmd(const smmu::CmdqEnt& ent, bool sync) { return issue_cmdlist({&ent, 1}, sync); }

 private:
  friend class ArmSmmuDomain;

  struct Master {  // struct arm_smmu_master with one stream and ssid_bits = 0
    u64 cdtab_dma = 0;  // linear CD table of one CD; 0 until a stage-1 domain needs it
    SmmuDomainKind kind = SmmuDomainKind::blocked;
    ArmSmmuDomain* domain = nullptr;
  };

  struct Queue {  // struct arm_smmu_queue: the driver's copy of PROD/CONS
    u64 base_dma = 0;
    unsigned shift = 0;
    u32 prod = 0, cons = 0;
  };

  void hw_probe();
  void init_structures();
  void device_reset();
  u64 alloc_coherent(u64 bytes);
  void init_queue(Queue& q, unsigned ent_shift, const char* name);
  void write_reg_sync(u32 val, u64 reg, u64 ack);
  void write_strtab();
  int init_sid_strtab(u32 sid);
  bool sid_in_range(u32 sid) const;
  void init_l2_strtab(u32 sid);
  void write_ste(u32 sid, const smmu::Entry& target);
  void clear_cd(u32 sid, Master& m);
  u32 read_cmdq_cons();
  void gerror_handler();
  void cmdq_skip_err();
  smmu::EntryFeatures entry_features() const;
  void trace(SmmuTrace t) const {
    if (sink_) sink_(std::move(t));
  }
  // ASIDs and VMIDs in use (arm_smmu_asid_xa, vmid_map); 0 is reserved in both.
  u32 alloc_id(std::set<u32>& used, unsigned bits);

  SmmuMmio& mmio_;
  PhysMem& mem_;
  SmmuTraceSink sink_;
  std::vector<smmu::CmdqEnt> batch_buf_;  // CmdqBatch's storage, kept to avoid reallocating
  std::vector<TlbiRange> tlbi_plan_;      // tlb_inv_range's plan, kept likewise
  ArmSmmuFeatures feat_;
  Queue cmdq_, evtq_;
  // Stream table: linear (strtab_dma, 1 << sid_bits STEs) or L1 descriptors + L2 tables.
  u64 strtab_dma_ = 0;
  u32 num_l1_ents_ = 0;
  std::vector<u64> l2_dma_;
  std::map<u32, Master> masters_;
  std::set<u32> asids_, vmids_;
  unsigned evtq_overflows_ = 0;
  unsigned cmdq_timeouts_ = 0;
};

}  // namespace iovet
