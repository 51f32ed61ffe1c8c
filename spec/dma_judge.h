// The DMA-API state machine: which mappings are live, what a device access must see, and
// what misuse may and may not do. Fed with observations by a runner; never calls an
// implementation.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/config.h"
#include "spec/rules.h"
#include "spec/sg_judge.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/iova_allocator.h"

namespace iovet {

// Device-visible bytes of a mapping: [dma, dma+len) reaches [phys, phys+len).
struct Extent {
  u64 dma = 0;
  u64 phys = 0;
  u64 len = 0;
};

struct DmaMapping {
  Dir dir = Dir::bidirectional;
  std::vector<Extent> extents;  // in the order of the caller's bytes
  Range hull;                   // the whole granules the mapping occupies
  bool sound = true;            // extents follow the caller's bytes (false: broken sg layout)
  bool tampered = false;        // unmapped behind the DMA layer's back
  u64 size = 0;                 // bytes the caller mapped
  u64 handle = 0;               // what the caller got back
  bool coherent_alloc = false;
};

// What the allocator and page table look like now, for the misuse and leak rules.
struct DmaSnapshot {
  std::vector<IovaRange> allocated;
  std::vector<IovaRange> cached;
  std::vector<Leaf> leaves;
};

class DmaJudge {
 public:
  explicit DmaJudge(const Config& cfg, bool can_express_write_only);

  void set_op(int index) { op_ = index; }
  bool in_misuse() const { return misuse_from_ >= 0; }
  int misuse_from() const { return misuse_from_; }

  void map_page(const std::string& id, u64 phys, u64 size, Dir dir, u64 handle);
  void map_sg(const std::string& id, const std::vector<SgInput>& in, Dir dir, int ret,
              const std::vector<Scatterlist>& out, const TranslateFn& translate);
  void alloc(const std::string& id, u64 size, const std::optional<CoherentBuffer>& buf);
  // A release by id: false when the id is not live (then it is misuse, from this op on).
  bool release(const std::string& id);
  // unmap_page_raw: the unmap of a live map_page when it names one exactly, misuse otherwise.
  void release_raw(u64 dma, u64 size);
  void misuse(const std::string& what);
  // iommu_unmap behind the DMA layer's back: misuse, and the mappings it hits are no longer
  // expected to translate (the DMA layer cannot prevent that), only to stay allocated.
  void iommu_unmapped(u64 iova, u64 size);
  // The unit under test oopsed, BUG()ed or hung: rule is dma.crash, dma.bug or dma.hang.
  void kernel_died(const std::string& rule, const std::string& what);
  void access(u64 iova, bool write, const Translation& t);
  // After misuse: nothing live was freed or unmapped, nothing is cached twice.
  void check_consistency(const DmaSnapshot& s, const TranslateFn& translate);
  // At the end of a case: everything unmapped means nothing allocated or mapped.
  void finish(const DmaSnapshot& s);

  // IOVA ranges the DMA layer holds beyond live mappings (the flush queue), set before each op.
  void set_queued(std::vector<IovaRange> r) { queued_ = std::move(r); }

  const DmaMapping* live(const std::string& id) const;
  // The DMA address of byte `offset` of a mapping, live or released.
  std::optional<u64> dma_of(const std::string& id, u64 offset) const;
  std::vector<Violation> take() { return std::move(violations_); }

 private:
  void add(const char* rule, std::string msg, std::string flavor = {});
  void record(const std::string& id, DmaMapping m);
  Range hull_of(const std::vector<Extent>& ex) const;
  const DmaMapping* covering(u64 iova, const Extent** ext) const;
  // dma.spurious_failure: a request that needs at most `granules` IOVA granules failed.
  void failed(const std::string& what, u64 granules);
  bool below_oas(u64 phys, u64 len) const;

  Config cfg_;
  bool write_only_;
  int op_ = -1;
  int misuse_from_ = -1;
  bool misuse_reported_ = false;
  std::map<std::string, DmaMapping> live_;
  std::map<std::string, DmaMapping> released_;
  std::vector<IovaRange> queued_;
  std::vector<Violation> violations_;
};

}  // namespace iovet
