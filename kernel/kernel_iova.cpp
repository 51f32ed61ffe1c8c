#include "kernel/kernel_iova.h"

#include <set>

namespace iovet {
namespace {
std::shared_ptr<KernelInstance> make_iova(const KernelLibrary& lib, u64 granule, u64 start_pfn) {
  kabi_inst* inst = nullptr;
  const int st = lib.ops->iova_create(&inst, granule, start_pfn);
  auto owned = std::make_shared<KernelInstance>(lib, inst);
  owned->check(st);
  return owned;
}
}  // namespace

KernelIova::KernelIova(const KernelLibrary& lib, u64 granule, u64 start_pfn)
    : KernelIova(make_iova(lib, granule, start_pfn)) {}

KernelIova::KernelIova(std::shared_ptr<KernelInstance> inst) : inst_(std::move(inst)) {
  inst_->check(inst_->ops().iova_granule(inst_->get(), &granule_, &start_pfn_));
}

std::optional<IovaRange> KernelIova::alloc(u64 size, u64 limit_pfn, bool size_aligned) {
  int found = 0;
  kabi_range r{};
  inst_->check(inst_->ops().iova_alloc(inst_->get(), size, limit_pfn, size_aligned, &found, &r));
  if (!found) return std::nullopt;
  return IovaRange{r.lo, r.hi};
}

u64 KernelIova::alloc_fast(u64 size, u64 limit_pfn, bool flush_rcache) {
  u64 pfn = 0;
  inst_->check(inst_->ops().iova_alloc_fast(inst_->get(), size, limit_pfn, flush_rcache, &pfn));
  return pfn;
}

KernelIova::Arith KernelIova::arith(u64 x) const {
  Arith a{};
  inst_->check(inst_->ops().iova_arith(inst_->get(), x, &a.offset, &a.align));
  return a;
}

std::optional<IovaRange> KernelIova::find(u64 pfn) const {
  int found = 0;
  kabi_range r{};
  inst_->check(inst_->ops().iova_find(inst_->get(), pfn, &found, &r));
  if (!found) return std::nullopt;
  return IovaRange{r.lo, r.hi};
}

void KernelIova::free(u64 pfn) { inst_->check(inst_->ops().iova_free(inst_->get(), pfn)); }

void KernelIova::free_fast(u64 pfn, u64 size) { inst_->check(inst_->ops().iova_free_fast(inst_->get(), pfn, size)); }

bool KernelIova::reserve(u64 pfn_lo, u64 pfn_hi) {
  int ok = 0;
  inst_->check(inst_->ops().iova_reserve(inst_->get(), pfn_lo, pfn_hi, &ok));
  return ok;
}

std::vector<kabi_iova_node> KernelIova::nodes() const {
  return inst_->list<kabi_iova_node>([&](kabi_iova_node* b, std::size_t cap, std::size_t* n) {
    return inst_->ops().iova_nodes(inst_->get(), b, cap, n);
  });
}

// As the hand models count them: ranges held in an rcache are free, reserved ones apart.
std::vector<IovaRange> KernelIova::allocated() const {
  std::set<u64> in_cache;
  for (const IovaRange& r : cached()) in_cache.insert(r.pfn_lo);
  std::vector<IovaRange> out;
  for (const kabi_iova_node& n : nodes())
    if (!n.reserved && !in_cache.count(n.pfn_lo)) out.push_back({n.pfn_lo, n.pfn_hi});
  return out;
}

std::vector<IovaRange> KernelIova::reserved() const {
  std::vector<IovaRange> out;
  for (const kabi_iova_node& n : nodes())
    if (n.reserved) out.push_back({n.pfn_lo, n.pfn_hi});
  return out;
}

std::vector<IovaRange> KernelIova::cached() const {
  const auto pfns = inst_->list<u64>([&](u64* b, std::size_t cap, std::size_t* n) {
    return inst_->ops().iova_cached_pfns(inst_->get(), b, cap, n);
  });
  std::vector<IovaRange> out;
  for (u64 pfn : pfns)
    if (auto r = find(pfn)) out.push_back(*r);
  return out;
}

}  // namespace iovet
