// The page-table unit filled by a kernel tree's drivers/iommu/io-pgtable-arm.c.
#pragma once
#include <memory>

#include "kernel/instance.h"
#include "spec/unit/page_table.h"

namespace iovet {

class KernelPgtable : public PageTable {
 public:
  // Tables of its own through alloc_io_pgtable_ops(); throws std::invalid_argument when the
  // tree refuses the configuration.
  KernelPgtable(const KernelLibrary& lib, const PgtableCfg& cfg);
  // The tables inside another object (a DMA domain's io-pgtable).
  KernelPgtable(std::shared_ptr<KernelInstance> inst, const PgtableCfg& cfg);

  const PgtableCfg& cfg() const override { return cfg_; }
  int map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) override;
  u64 unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) override;
  u64 iova_to_phys(u64 iova) const override;
  Translation translate(u64 iova) const override;
  bool can_express_write_only() const override { return cfg_.format == Format::arm64_lpae_s2; }
  std::vector<Leaf> leaves() const override;
  std::size_t table_pages() const override;
  std::vector<std::string> take_warnings() override { return inst_->take_warnings(); }

  // ARM_LPAE_LVL_IDX() at iova for each level, with the geometry the tree built.
  kabi_lpae_index lvl_idx(u64 iova) const;

 private:
  std::shared_ptr<KernelInstance> inst_;
  PgtableCfg cfg_;
};

// struct io_pgtable_cfg for the ABI.
kabi_pgtable_cfg to_kabi(const PgtableCfg& cfg);

}  // namespace iovet
