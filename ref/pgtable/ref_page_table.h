// The reference page table: the simple oracle. Leaves in an ordered map, no table pages,
// the same error rules as io-pgtable-arm (EINVAL, ERANGE, EEXIST) and the same partial-unmap
// policy, so any page table can be checked against it.
#pragma once
#include <map>
#include <memory>

#include "spec/unit/page_table.h"

namespace iovet {

class RefPageTable final : public PageTable {
 public:
  explicit RefPageTable(const PgtableCfg& cfg) : cfg_(cfg) {}
  const PgtableCfg& cfg() const override { return cfg_; }
  int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) override;
  u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) override;
  u64 iova_to_phys(u64 iova) const override;
  Translation translate(u64 iova) const override;
  bool can_express_write_only() const override { return true; }
  std::vector<Leaf> leaves() const override;
  std::size_t table_pages() const override { return 1; }

 private:
  const Leaf* find(u64 iova) const;
  u64 unmap_one(u64 iova, u64 pgsize, IotlbGather* gather);
  PgtableCfg cfg_;
  std::map<u64, Leaf> leaves_;  // keyed by leaf iova; leaves never overlap
};

std::unique_ptr<PageTable> make_ref_page_table(const PgtableCfg& cfg);

}  // namespace iovet
