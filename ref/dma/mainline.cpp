#include "ref/dma/mainline.h"

#include <algorithm>

#include "ref/env/iova_helpers.h"

namespace iovet {

using kernel::iova_align;
using kernel::iova_offset;

namespace {
constexpr int kEnomem = -12;
constexpr int kEinval = -22;

class NoIotlb final : public IommuTlbOps {
  void tlb_flush_walk(u64, u64, u64) override {}
  void iotlb_sync(const IotlbGather&) override {}
  void flush_iotlb_all() override {}
};
}  // namespace

MainlineDriver dma_target_driver(const Config& cfg) {
  static NoIotlb no_iotlb;
  MainlineDriver drv;
  if (cfg.smmu.lazy) {
    drv.tlb_ops = &no_iotlb;
    drv.make_fq = [size = cfg.smmu.fq_size](IommuTlbOps& ops, IovaAllocator& iovad) {
      return std::make_unique<FlushQueue>(size, ops, iovad);
    };
  }
  return drv;
}

MainlineDma::MainlineDma(const Config& cfg, std::unique_ptr<PageTable> pgtable,
                         std::unique_ptr<IovaAllocator> iovad, const MainlineDriver& driver, PciSac sac)
    : IommuDmaEnv(cfg, std::move(pgtable), std::move(iovad), HostBridge::reserved),
      pci_32bit_workaround_(cfg.device.pci.has_value()),
      sac_(sac) {
  domain_.set_tlb_ops(driver.tlb_ops);
  if (driver.tlb_ops && driver.make_fq) fq_ = driver.make_fq(*driver.tlb_ops, *iovad_);  // iommu_dma_init_fq()
}

void MainlineDma::flush_queue_timeout() {
  if (fq_) fq_->timeout();
}

// iommu_dma_alloc_iova(): clamp to the aperture (force_aperture); a PCI device tries below
// 4 GiB first (PciSac says until when); then alloc_iova_fast over the whole limit.
u64 MainlineDma::alloc_iova(u64 size, u64 dma_limit) {
  const u64 iova_len = size >> shift();
  dma_limit = std::min(dma_limit, domain_.aperture().last);
  if (dma_limit > 0xffffffff && pci_32bit_workaround_) {
    if (const u64 pfn = iovad_->alloc_fast(iova_len, 0xffffffff >> shift(), false)) return pfn << shift();
    if (sac_ == PciSac::until_first_failure) pci_32bit_workaround_ = false;  // "Using %d-bit DMA addresses"
  }
  return iovad_->alloc_fast(iova_len, dma_limit >> shift(), true) << shift();
}

void MainlineDma::free_iova(u64 iova, u64 size, bool queued) {
  if (queued) fq_->queue_iova(iova >> shift(), size >> shift());
  else iovad_->free_fast(iova >> shift(), size >> shift());
}

// __iommu_dma_unmap(): trusts the caller's size; a short unmap only WARNs.
void MainlineDma::iommu_dma_unmap(u64 dma_addr, u64 size) {
  const u64 iova_off = iova_offset(granule(), dma_addr);
  dma_addr -= iova_off;
  size = iova_align(granule(), size + iova_off);
  // iommu_iotlb_gather_init(): the gather is empty here, as every sync leaves it, and a queued
  // one is never added to.
  gather_.queued = fq_ != nullptr;
  const u64 unmapped = domain_.unmap_fast(dma_addr, size, &gather_);
  if (!gather_.queued) domain_.iotlb_sync(&gather_);
  if (unmapped != size)
    warn("__iommu_dma_unmap: WARN_ON(unmapped != size): " + hex(unmapped) + " of " + hex(size) + " at " +
         hex(dma_addr));
  free_iova(dma_addr, size, gather_.queued);
}

// iommu_dma_map_page() -> __iommu_dma_map()
u64 MainlineDma::map_page(u64 page, u64 offset, u64 size, Dir dir) {
  const u64 phys = page + offset;
  const u64 iova_off = iova_offset(granule(), phys);
  size = iova_align(granule(), size + iova_off);
  const u64 iova = alloc_iova(size, dev().dma_mask);
  if (!iova) return DMA_MAPPING_ERROR;
  if (domain_.map(iova, phys - iova_off, size, dir_to_prot(dir, dev().coherent))) {
    free_iova(iova, size);
    return DMA_MAPPING_ERROR;
  }
  return iova + iova_off;
}

// iommu_dma_unmap_page(): a handle that translates to nothing is refused with a WARN before
// anything is unmapped or freed.
void MainlineDma::unmap_page(u64 handle, u64 size, Dir) {
  if (!domain_.iova_to_phys(handle)) return warn("iommu_dma_unmap_page: WARN_ON(!phys) at " + hex(handle));
  iommu_dma_unmap(handle, size);
}

u64 mainline::sg_pad_len(u64 iova_len, u64 mask) { return (mask - iova_len + 1) & mask; }
bool mainline::sg_pads(u64 pad_len, u64 s_length) { return pad_len && pad_len < s_length - 1; }

bool mainline::finalise_can_merge(u32 cur_len, u32 s_iova_off, u64 dma_addr, u64 seg_mask, u32 max_len,
                                  u32 s_length) {
  return cur_len && !s_iova_off && (dma_addr & seg_mask) && (max_len - cur_len >= s_length);
}

// __finalise_sg(): entries that start on a granule, do not start on a segment boundary and
// keep the segment within max_seg_size join the current segment.
int MainlineDma::finalise_sg(std::vector<Scatterlist>& sg, int nents, u64 dma_addr) {
  const u64 seg_mask = dev().seg_boundary_mask;
  const u32 max_len = static_cast<u32>(dev().max_seg_size);
  u32 cur_len = 0;
  std::size_t cur = 0;
  int count = 0;
  for (int i = 0; i < nents; ++i) {
    Scatterlist& s = sg[i];
    const u32 s_iova_off = static_cast<u32>(s.dma_address);
    const u32 s_length = s.dma_length;
    const u32 s_iova_len = s.length;
    s.dma_address = DMA_MAPPING_ERROR;
    s.dma_length = 0;
    s.offset += s_iova_off;
    s.length = s_length;
    if (mainline::finalise_can_merge(cur_len, s_iova_off, dma_addr, seg_mask, max_len, s_length)) {
      cur_len += s_length;
    } else {
      if (i > 0) ++cur;
      cur_len = s_length;
      ++count;
      sg[cur].dma_address = dma_addr + s_iova_off;
    }
    sg[cur].dma_length = cur_len;
    dma_addr += s_iova_len;
    if (s_length + s_iova_off < s_iova_len) cur_len = 0;
  }
  return count;
}

// __invalidate_sg()
void MainlineDma::invalidate_sg(std::vector<Scatterlist>& sg, int nents) {
  for (int i = 0; i < nents; ++i) {
    Scatterlist& s = sg[i];
    if (s.dma_address != DMA_MAPPING_ERROR) s.offset += static_cast<u32>(s.dma_address);
    if (s.dma_length) s.length = s.dma_length;
    s.dma_address = DMA_MAPPING_ERROR;
    s.dma_length = 0;
  }
}

// iommu_dma_map_sg()
int MainlineDma::map_sg(std::vector<Scatterlist>& sg, Dir dir) {
  const int nents = static_cast<int>(sg.size());
  const u64 mask = dev().seg_boundary_mask;
  u64 iova_len = 0;
  Scatterlist* prev = nullptr;
  for (Scatterlist& s : sg) {
    const u64 s_iova_off = iova_offset(granule(), s.offset);
    u64 s_length = s.length;
    const u64 pad_len = mainline::sg_pad_len(iova_len, mask);
    s.dma_address = s_iova_off;
    s.dma_length = static_cast<u32>(s_length);
    s.offset -= static_cast<u32>(s_iova_off);
    s_length = iova_align(granule(), s_length + s_iova_off);
    s.length = static_cast<u32>(s_length);
    // pad_len is 0 while iova_len is 0, so prev is set whenever it is used.
    if (mainline::sg_pads(pad_len, s_length)) {
      prev->length += static_cast<u32>(pad_len);
      iova_len += pad_len;
    }
    iova_len += s_length;
    prev = &s;
  }
  const u64 iova = alloc_iova(iova_len, dev().dma_mask);
  if (!iova) {
    invalidate_sg(sg, nents);
    return kEnomem;
  }
  const long long ret = domain_.map_sg(iova, sg, nents, dir_to_prot(dir, dev().coherent));
  if (ret < 0 || static_cast<u64>(ret) < iova_len) {
    free_iova(iova, iova_len);
    invalidate_sg(sg, nents);
    return ret == kEnomem ? kEnomem : kEinval;
  }
  return finalise_sg(sg, nents, iova);
}

// iommu_dma_unmap_sg(): from the first segment's start to the end of the last segment.
void MainlineDma::unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir) {
  if (nents == 0 || sg[0].dma_length == 0) return;
  const u64 start = sg[0].dma_address;
  u64 end = 0;
  for (int i = 0; i < nents && sg[i].dma_length; ++i) end = sg[i].dma_address + sg[i].dma_length;
  if (end) iommu_dma_unmap(start, end - start);
}

// iommu_dma_alloc() -> iommu_dma_alloc_remap() -> __iommu_dma_alloc_noncontiguous()
std::optional<CoherentBuffer> MainlineDma::alloc(u64 size) {
  const u64 page_size = cfg_.page_size;
  u64 alloc_sizes = domain_.pgsize_bitmap();
  u64 min_size = alloc_sizes & -alloc_sizes;
  if (min_size < page_size) {
    alloc_sizes |= page_size;
  } else {
    size = (size + min_size - 1) & ~(min_size - 1);
  }
  const u32 count = static_cast<u32>((size + page_size - 1) / page_size);
  const u64 order_mask = (alloc_sizes / page_size) & ((u64{1} << 11) - 1);  // MAX_PAGE_ORDER 10
  std::vector<u64> pages = alloc_buffer_pages(count, order_mask);
  if (pages.empty()) return std::nullopt;
  size = iova_align(granule(), size);
  const u64 iova = alloc_iova(size, dev().coherent_mask());
  if (iova) {
    const auto sg = pages_to_sg(pages, size);
    const long long ret =
        domain_.map_sg(iova, sg, static_cast<int>(sg.size()), dir_to_prot(Dir::bidirectional, dev().coherent));
    if (ret >= 0 && static_cast<u64>(ret) >= size) {
      const u64 cpu_addr = next_remap_;
      next_remap_ += size + page_size;  // a guard page, as vmap leaves
      remapped_.insert(cpu_addr);
      return CoherentBuffer{iova, std::move(pages), cpu_addr};
    }
    free_iova(iova, size);
  }
  free_buffer_pages(pages);
  return std::nullopt;
}

// iommu_dma_free() -> __iommu_dma_free(): dma_common_find_pages() finds the pages of a live
// remap area only; a stale cpu address frees none.
void MainlineDma::free(u64 size, const CoherentBuffer& buf) {
  iommu_dma_unmap(buf.handle, size);
  if (remapped_.erase(buf.cpu_addr)) free_buffer_pages(buf.pages);
}

}  // namespace iovet
