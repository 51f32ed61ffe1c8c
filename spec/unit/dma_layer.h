// The DMA-API unit: the dma_map_ops that an IOMMU-backed DMA layer provides, plus the
// IOMMU behind it (for device accesses, misuse through the IOMMU API, and leak checks).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "spec/types.h"
#include "spec/unit/iova_allocator.h"
#include "spec/unit/page_table.h"

namespace iovet {

inline constexpr u64 DMA_MAPPING_ERROR = ~u64{0};

// struct scatterlist with CONFIG_NEED_SG_DMA_LENGTH: the CPU fields and the DMA fields
// that map_sg fills in (and that implementations may use as scratch space meanwhile).
// offset, length and dma_length are `unsigned int` as in the kernel, so truncation is faithful.
struct Scatterlist {
  u64 page = 0;  // page_to_phys(sg_page(s))
  u32 offset = 0;
  u32 length = 0;
  u64 dma_address = DMA_MAPPING_ERROR;
  u32 dma_length = 0;
};

// What dma_alloc_coherent hands back: the handle and the CPU pages behind the buffer.
struct CoherentBuffer {
  u64 handle = DMA_MAPPING_ERROR;
  std::vector<u64> pages;  // physical addresses, one per CPU page
  u64 cpu_addr = 0;        // what dma_alloc returned, for dma_free (0 where a model keeps none)
};

// iommu_dma_init_domain() failed (thrown by a DmaLayer's constructor): the device gets no
// IOMMU DMA ops. An outcome the spec judges (dma.init), not bad input.
struct DmaInitError : std::runtime_error {
  DmaInitError(int e, const std::string& what) : std::runtime_error(what), err(e) {}
  int err;  // the -errno
};

class DmaLayer {
 public:
  virtual ~DmaLayer() = default;
  // May throw KernelCrash / KernelBug (spec/unit/kernel_outcome.h).
  virtual u64 map_page(u64 page, u64 offset, u64 size, Dir dir) = 0;
  virtual void unmap_page(u64 handle, u64 size, Dir dir) = 0;
  // Returns the number of DMA segments, or 0 / -errno on failure.
  virtual int map_sg(std::vector<Scatterlist>& sg, Dir dir) = 0;
  virtual void unmap_sg(std::vector<Scatterlist>& sg, int nents, Dir dir) = 0;
  virtual std::optional<CoherentBuffer> alloc(u64 size) = 0;
  virtual void free(u64 size, const CoherentBuffer& buf) = 0;

  // iommu_unmap() on the domain behind the DMA layer's back (misuse).
  virtual u64 iommu_unmap(u64 iova, u64 size) = 0;
  virtual const PageTable& page_table() const = 0;
  virtual const IovaAllocator& iova() const = 0;
  // WARN()s fired since the last call.
  virtual std::vector<std::string> take_warnings() = 0;
  // DMA-FQ (smmu.mode lazy): the flush queue's timer fires (fq_flush_timeout()), and the IOVAs
  // waiting in the queue, still allocated but released by their owners. Strict: nothing.
  virtual void flush_queue_timeout() {}
  virtual std::vector<IovaRange> flush_queue() const { return {}; }
};

}  // namespace iovet
