#include "kernel/kernel_dma.h"

#include <stdexcept>

namespace iovet {
namespace {

std::shared_ptr<KernelInstance> make_dma(const KernelLibrary& lib, const Config& cfg, const PgtableCfg& pgcfg) {
  KabiDmaCfg k(cfg, pgcfg);
  kabi_inst* inst = nullptr;
  int setup_err = 0, init_err = 0;
  const int st = lib.ops->dma_create(&inst, &k.cfg, &setup_err, &init_err);
  auto owned = std::make_shared<KernelInstance>(lib, inst);
  owned->check(st);
  check_dma_setup(lib, setup_err, init_err);
  return owned;
}

std::vector<kabi_sg> to_kabi(const std::vector<Scatterlist>& sg) {
  std::vector<kabi_sg> out;
  out.reserve(sg.size());
  for (const Scatterlist& s : sg) out.push_back({s.page, s.offset, s.length, s.dma_address, s.dma_length});
  return out;
}

void from_kabi(const std::vector<kabi_sg>& k, std::vector<Scatterlist>& sg) {
  for (std::size_t i = 0; i < sg.size(); ++i)
    sg[i] = {k[i].page_phys, k[i].offset, k[i].length, k[i].dma_address, k[i].dma_length};
}

}  // namespace

KabiDmaCfg::KabiDmaCfg(const Config& c, const PgtableCfg& pgcfg) {
  for (const Range& r : c.domain.reserved) reserved.push_back({r.first, r.last});
  if (const auto& pci = c.device.pci) {
    for (const Range& w : pci->windows) windows.push_back({w.first, w.last, 0});
    for (const PciDmaRange& r : pci->dma_ranges) dma_ranges.push_back({r.start, r.end, r.offset});
    bridge = {windows.data(), windows.size(), dma_ranges.data(), dma_ranges.size()};
  }
  const Range ap = c.aperture();
  cfg = {to_kabi(pgcfg),
         ap.first,
         ap.last,
         reserved.data(),
         reserved.size(),
         c.device.dma_mask,
         c.device.coherent_mask(),
         c.device.seg_boundary_mask,
         static_cast<unsigned>(c.device.max_seg_size),
         c.device.coherent,
         c.smmu.lazy,
         c.device.pci ? &bridge : nullptr};
}

void check_dma_setup(const KernelLibrary& lib, int setup_err, int init_err) {
  if (setup_err)
    throw std::invalid_argument("Linux " + lib.tree.version + " cannot set up this DMA domain (error " +
                                std::to_string(setup_err) + ")");
  if (init_err)
    throw DmaInitError(init_err, "Linux " + lib.tree.version + ": iommu_dma_init_domain() returned " + std::to_string(init_err));
}

KernelDma::KernelDma(const KernelLibrary& lib, const Config& cfg, const PgtableCfg& pgcfg)
    : KernelDma(make_dma(lib, cfg, pgcfg), pgcfg, lib.page_shift) {}

KernelDma::KernelDma(std::shared_ptr<KernelInstance> inst, const PgtableCfg& pgcfg, unsigned page_shift)
    : inst_(std::move(inst)), pgtable_(inst_, pgcfg), iova_(inst_), page_shift_(page_shift) {}

u64 KernelDma::map_page(u64 page, u64 offset, u64 size, Dir dir) {
  u64 handle = DMA_MAPPING_ERROR;
  inst_->check(inst_->ops().dma_map_page(inst_->get(), page, offset, size, static_cast<int>(dir), &handle));
  return handle;
}

void KernelDma::unmap_page(u64 handle, u64 size, Dir dir) {
  inst_->check(inst_->ops().dma_unmap_page(inst_->get(), handle, size, static_cast<int>(dir)));
}

int KernelDma::map_sg(std::vector<Scatterlist>& sg, Dir dir) {
  std::vector<kabi_sg> k = to_kabi(sg);
  int ret = 0;
  inst_->check(inst_->ops().dma_map_sg(inst_->get(), k.data(), static_cast<int>(k.size()), static_cast<int>(dir), &ret));
  from_kabi(k, sg);
  return ret;
}

void KernelDma::unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) {
  std::vector<kabi_sg> k = to_kabi(sg);
  inst_->check(inst_->ops().dma_unmap_sg(inst_->get(), k.data(), nents, static_cast<int>(dir)));
  from_kabi(k, sg);
}

std::optional<CoherentBuffer> KernelDma::alloc(u64 size) {
  u64 handle = DMA_MAPPING_ERROR, cpu_addr = 0;
  // Called once (a second call would allocate again): room for the size rounded up to the
  // smallest IOMMU page, in CPU pages.
  const u64 page = u64{1} << page_shift_, bitmap = pgtable_.cfg().pgsize_bitmap;
  std::vector<u64> pages((size + (bitmap & -bitmap) + page) / page + 1);
  std::size_t n = 0;
  inst_->check(inst_->ops().dma_alloc(inst_->get(), size, &handle, &cpu_addr, pages.data(), pages.size(), &n));
  if (handle == DMA_MAPPING_ERROR || n > pages.size()) return std::nullopt;
  pages.resize(n);
  return CoherentBuffer{handle, std::move(pages), cpu_addr};
}

void KernelDma::free(u64 size, const CoherentBuffer& buf) {
  inst_->check(inst_->ops().dma_free(inst_->get(), size, buf.cpu_addr, buf.handle));
}

u64 KernelDma::iommu_unmap(u64 iova, u64 size) {
  u64 unmapped = 0;
  inst_->check(inst_->ops().dma_iommu_unmap(inst_->get(), iova, size, &unmapped));
  return unmapped;
}

void KernelDma::flush_queue_timeout() { inst_->check(inst_->ops().dma_fq_timeout(inst_->get())); }

std::vector<IovaRange> KernelDma::flush_queue() const {
  std::vector<IovaRange> out;
  for (const kabi_range& r : inst_->list<kabi_range>([&](kabi_range* b, std::size_t cap, std::size_t* n) {
         return inst_->ops().dma_fq_pfns(inst_->get(), b, cap, n);
       }))
    out.push_back({r.lo, r.hi});
  return out;
}

}  // namespace iovet
