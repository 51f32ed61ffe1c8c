#include "kernel/kernel_pgtable.h"

#include <stdexcept>

namespace iovet {
namespace {

std::shared_ptr<KernelInstance> make_pgtable(const KernelLibrary& lib, const PgtableCfg& cfg) {
  kabi_inst* inst = nullptr;
  int err = 0;
  const kabi_pgtable_cfg k = to_kabi(cfg);
  const int st = lib.ops->pgtable_create(&inst, &k, &err);
  auto owned = std::make_shared<KernelInstance>(lib, inst);
  owned->check(st);
  if (err)
    throw std::invalid_argument("Linux " + lib.tree.version +
                                "'s alloc_io_pgtable_ops() refuses this configuration (granule, ias, oas)");
  return owned;
}

// What the tree does with an unmap of part of a block decides how the judge reads it.
PgtableCfg as_built(const KernelInstance& inst, PgtableCfg cfg) {
  cfg.partial_unmap = inst.ops().pgtable_splits_blocks() ? PartialUnmap::split : PartialUnmap::refuse;
  return cfg;
}

}  // namespace

kabi_pgtable_cfg to_kabi(const PgtableCfg& cfg) {
  return {cfg.format == Format::arm64_lpae_s2, cfg.pgsize_bitmap, cfg.ias, cfg.oas, cfg.coherent_walk};
}

KernelPgtable::KernelPgtable(const KernelLibrary& lib, const PgtableCfg& cfg)
    : KernelPgtable(make_pgtable(lib, cfg), cfg) {}

KernelPgtable::KernelPgtable(std::shared_ptr<KernelInstance> inst, const PgtableCfg& cfg)
    : inst_(std::move(inst)), cfg_(as_built(*inst_, cfg)) {}

int KernelPgtable::map_pages(u64 iova, u64 paddr, u64 pgsize, u64 pgcount, int prot, u64* mapped) {
  u64 done = 0;
  int ret = 0;
  inst_->check(inst_->ops().pgtable_map(inst_->get(), iova, paddr, pgsize, pgcount, prot, &done, &ret));
  if (mapped) *mapped = done;
  return ret;
}

kabi_lpae_index KernelPgtable::lvl_idx(u64 iova) const {
  kabi_lpae_index r{};
  inst_->check(inst_->ops().pgtable_lvl_idx(inst_->get(), iova, &r));
  return r;
}

u64 KernelPgtable::unmap_pages(u64 iova, u64 pgsize, u64 pgcount, IotlbGather* gather) {
  const int mode = !gather ? 0 : gather->queued ? 2 : 1;
  u64 unmapped = 0;
  inst_->check(inst_->ops().pgtable_unmap(inst_->get(), iova, pgsize, pgcount, mode, &unmapped));
  const auto flushes = inst_->list<kabi_flush>([&](kabi_flush* b, std::size_t cap, std::size_t* n) {
    return inst_->ops().pgtable_flushes(inst_->get(), b, cap, n);
  });
  if (gather)
    for (const kabi_flush& f : flushes) gather->add({f.iova, f.size, f.granule, f.walk != 0});
  return unmapped;
}

u64 KernelPgtable::iova_to_phys(u64 iova) const {
  u64 phys = 0;
  inst_->check(inst_->ops().pgtable_iova_to_phys(inst_->get(), iova, &phys));
  return phys;
}

Translation KernelPgtable::translate(u64 iova) const {
  int valid = 0, read = 0, write = 0;
  u64 phys = 0;
  inst_->check(inst_->ops().pgtable_translate(inst_->get(), iova, &valid, &phys, &read, &write));
  if (!valid) return {};
  return {true, phys, read != 0, write != 0};
}

std::vector<Leaf> KernelPgtable::leaves() const {
  const auto raw = inst_->list<kabi_leaf>([&](kabi_leaf* b, std::size_t cap, std::size_t* n) {
    return inst_->ops().pgtable_leaves(inst_->get(), b, cap, n);
  });
  std::vector<Leaf> out;
  out.reserve(raw.size());
  for (const kabi_leaf& l : raw) out.push_back({l.iova, l.size, l.phys, l.prot});
  return out;
}

std::size_t KernelPgtable::table_pages() const {
  std::size_t n = 0;
  inst_->check(inst_->ops().pgtable_table_pages(inst_->get(), &n));
  return n;
}

}  // namespace iovet
