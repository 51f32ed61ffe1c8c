// The io-pgtable unit: what both the reference page table and the optimised ARM LPAE one
// implement (the ops of struct io_pgtable_ops), plus the views the spec needs to judge them.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "spec/config.h"
#include "spec/types.h"

namespace iovet {

// Linux error numbers returned by map_pages().
namespace err {
inline constexpr int einval = 22;
inline constexpr int erange = 34;
inline constexpr int eexist = 17;
inline constexpr int enomem = 12;
}  // namespace err
std::string_view errno_name(int e);  // "EINVAL", ...; "" for 0

// struct io_pgtable_cfg, reduced to what drives the geometry.
struct PgtableCfg {
  Format format = Format::arm64_lpae_s1;
  u64 pgsize_bitmap = 0;  // granule plus the block sizes
  unsigned ias = 48;
  unsigned oas = 48;
  PartialUnmap partial_unmap = PartialUnmap::refuse;
  bool coherent_walk = true;
};

// One TLB invalidation the page table asks for (iommu_iotlb_gather and the
// tlb_flush_walk / tlb_add_page callbacks of iommu_flush_ops).
struct TlbFlush {
  u64 iova = 0;
  u64 size = 0;
  u64 granule = 0;
  bool walk = false;  // a table was removed: walk caches must be invalidated too
};
struct IotlbGather {
  u64 start = ~u64{0};
  u64 end = 0;  // inclusive
  u64 pgsize = 0;
  std::vector<TlbFlush> flushes;
  bool queued = false;  // a flush queue will invalidate everything later (DMA-FQ)
  // iommu_iotlb_gather_add_page(): one range plus the list of every flush asked for.
  void add(const TlbFlush& f) {
    start = std::min(start, f.iova);
    end = std::max(end, f.iova + f.size - 1);
    pgsize = f.granule;
    flushes.push_back(f);
  }
};

// What a device walking the tables finds at one address.
struct Translation {
  bool valid = false;
  u64 phys = 0;
  bool read = false;
  bool write = false;
};

// One leaf translation as a table walk finds it (the abstraction function of the tables).
struct Leaf {
  u64 iova = 0;
  u64 size = 0;
  u64 phys = 0;
  int prot = 0;
};

class PageTable {
 public:
  virtual ~PageTable() = default;
  virtual const PgtableCfg& cfg() const = 0;
  // map_pages(): returns 0 or -errno; *mapped gets the bytes mapped before any failure.
  virtual int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) = 0;
  // unmap_pages(): bytes unmapped; gather may be null.
  virtual u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) = 0;
  virtual u64 iova_to_phys(u64 iova) const = 0;  // 0 when nothing is mapped
  virtual Translation translate(u64 iova) const = 0;
  virtual bool can_express_write_only() const = 0;
  // Every live leaf, in IOVA order.
  virtual std::vector<Leaf> leaves() const = 0;
  // Table pages in use, the top-level table included.
  virtual std::size_t table_pages() const = 0;
  // WARN()s fired since the last call.
  virtual std::vector<std::string> take_warnings() { return {}; }
};

}  // namespace iovet
