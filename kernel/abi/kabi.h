/* The narrow C ABI between a kernel tree's drivers/iommu code compiled in userspace (the
 * glue in kernel/glue/, over the shim in kernel/shim/) and iovet's C++ side (the .cpp files of kernel/).
 * The shared object exports one symbol, kabi_get_ops(); everything else goes through the table
 * it returns, so a tree built for another ABI version is refused, not half-called.
 *
 * Every entry point that runs kernel code returns an enum kabi_status. Anything but KABI_OK
 * means the kernel code oopsed (SIGSEGV/SIGBUS/SIGFPE/SIGILL), hit BUG(), or ran past the
 * hang limit: the instance is dead, fault_message() says what happened, and only destroy()
 * may be called on it (it frees the instance's memory without running kernel code).
 * Output parameters are written only on KABI_OK.
 *
 * This file is C (included by the glue) and C++ (included by the .cpp files of kernel/). */
#ifndef IOVET_KABI_H
#define IOVET_KABI_H

#ifdef __cplusplus
#include <cstddef>
#include <cstdint>
extern "C" {
#else
#include "kabi_types.h"
#endif

#define KABI_VERSION 6

enum kabi_status { KABI_OK = 0, KABI_CRASH = 1, KABI_BUG = 2, KABI_HANG = 3 };

/* The host (iovet) owns physical memory: every page the kernel code allocates (page tables,
 * dma_alloc buffers) comes from here, so addresses are deterministic per case and below
 * 2^32. A struct page * is the page's own address (sizeof(struct page) == PAGE_SIZE). */
struct kabi_host {
  void *(*alloc_pages)(unsigned order); /* naturally aligned, zeroed; NULL when exhausted */
  void (*free_pages)(void *addr, unsigned order);
};

struct kabi_inst; /* one kernel object under test and everything it allocated */

struct kabi_range {
  uint64_t lo, hi; /* inclusive */
};

/* A node of the iova rbtree (the anchor excluded). */
struct kabi_iova_node {
  uint64_t pfn_lo, pfn_hi;
  int reserved; /* created by reserve_iova() (or the domain's reserved regions) */
};

/* struct io_pgtable_cfg, reduced to what drives the geometry. */
struct kabi_pgtable_cfg {
  int stage2; /* ARM_64_LPAE_S2, else ARM_64_LPAE_S1 */
  uint64_t pgsize_bitmap;
  unsigned ias, oas;
  int coherent_walk;
};

/* One TLB maintenance call io-pgtable made through its iommu_flush_ops. */
struct kabi_flush {
  uint64_t iova, size, granule;
  int walk; /* tlb_flush_walk(); else tlb_add_page() */
};

/* One live leaf, as a table walk with the file's own macros finds it. prot uses the
 * kernel's IOMMU_READ/WRITE/CACHE/NOEXEC/MMIO/PRIV bits, decoded back from the PTE. */
struct kabi_leaf {
  uint64_t iova, size, phys;
  int prot;
};

/* A resource_entry of a PCI host bridge's windows or dma_ranges list: CPU addresses
 * [start, end] (inclusive); the bus address is the CPU address - offset. */
struct kabi_resource_entry {
  uint64_t start, end, offset;
};

/* The host bridge a PCI device sits behind: outbound MEM windows and inbound dma_ranges, each
 * in the order given (dma-iommu.c sorts the dma_ranges itself). */
struct kabi_pci_bridge {
  const struct kabi_resource_entry *windows;
  size_t nr_windows;
  const struct kabi_resource_entry *dma_ranges;
  size_t nr_dma_ranges;
};

/* A device's register file, reached by the kernel code's readl()/writel() & co.: off is the
 * offset from the device's MMIO window, size 4 or 8. */
struct kabi_mmio {
  void *ctx;
  uint64_t (*read)(void *ctx, uint64_t off, unsigned size);
  void (*write)(void *ctx, uint64_t off, uint64_t val, unsigned size);
  /* Optional: after each 64-bit WRITE_ONCE() to memory, the address stored to. Drivers
   * publish what a device may read at any time that way (an STE's or CD's first word). */
  void (*store)(void *ctx, uint64_t addr);
};

/* arm-smmu-v3.c's queue helpers on one (prod, cons) pair of a 2^shift-entry queue
 * (smt/tree_check): queue_full(), queue_empty(), queue_has_space(q, n), queue_consumed(q, prod)
 * with the pair's prod, queue_inc_prod_n(q, n). */
struct kabi_smmu_queue_arith {
  int full, empty, has_space, consumed;
  uint32_t inc_prod_n;
};

/* A device and its DMA domain, set up as iommu_probe_device + iommu_setup_dma_ops do. */
struct kabi_dma_cfg {
  struct kabi_pgtable_cfg pgtable;
  uint64_t aperture_start, aperture_end; /* domain->geometry, force_aperture */
  const struct kabi_range *reserved;     /* IOMMU_RESV_RESERVED regions, bytes */
  size_t nr_reserved;
  uint64_t dma_mask, coherent_dma_mask, seg_boundary_mask;
  unsigned max_seg_size;
  int coherent;
  int lazy; /* IOMMU_DOMAIN_DMA_FQ: the flush queue, its timer fired by fq_timeout() */
  const struct kabi_pci_bridge *pci; /* a (trusted) PCI device behind this bridge; NULL: a platform device */
};

/* struct scatterlist as the C++ side keeps it between map_sg and unmap_sg. */
struct kabi_sg {
  uint64_t page_phys; /* page_to_phys(sg_page(s)) */
  unsigned offset, length;
  uint64_t dma_address;
  unsigned dma_length;
};

enum kabi_dir { KABI_BIDIRECTIONAL = 0, KABI_TO_DEVICE = 1, KABI_FROM_DEVICE = 2 };

/* The index arithmetic of io-pgtable-arm.c at one iova, with the geometry the tree built
 * (struct arm_lpae_io_pgtable): idx[l] = ARM_LPAE_LVL_IDX(iova, l, data) for start_level <= l
 * < ARM_LPAE_MAX_LEVELS, 0 for the levels above the start. */
struct kabi_lpae_index {
  int start_level, pgd_bits, bits_per_level;
  uint64_t idx[4];
};

/* An SMMUv3 driven by the tree's arm-smmu-v3.c: probed as a platform device whose registers
 * are mmio, with the DMA API device of dma over its default domain (dma.pgtable, the aperture
 * and the page sizes are the driver's choice: arm_smmu_domain_finalise() from the ID registers). */
struct kabi_smmu_cfg {
  struct kabi_mmio mmio;
  int coherent; /* the SMMU node's "dma-coherent" */
  struct kabi_dma_cfg dma;
};

enum kabi_smmu_domain { KABI_SMMU_DMA = 0, KABI_SMMU_IDENTITY = 1, KABI_SMMU_BLOCKED = 2, KABI_SMMU_UNMANAGED = 3 };

struct kabi_ops {
  int abi_version; /* KABI_VERSION */
  unsigned page_shift; /* the PAGE_SHIFT this object was built with */

  /* Once, before anything else: installs the host, the fault handlers and the hang timer.
   * hang_ms is CPU time one entry point may take before it is reported as KABI_HANG. Called
   * again in a forked child, it arms the timer again (fork does not inherit it). */
  void (*init)(const struct kabi_host *host, unsigned hang_ms);

  /* Common to every instance. */
  const char *(*fault_message)(const struct kabi_inst *inst);
  /* Where a dead instance's fault happened: the offset of the instruction in this object (for
   * addr2line), 0 when unknown (a BUG(), a sanitizer report, a fault outside the object). */
  uint64_t (*fault_pc)(const struct kabi_inst *inst);
  /* A sanitizer report (AddressSanitizer, built with -fsanitize-recover=address) raised while
   * this object runs kernel code: the running instance takes the summary as its fault message
   * and dies when the call returns (KABI_CRASH). 0 when no call of this object is running. */
  int (*sanitizer_report)(const char *summary);
  /* The CPU the instance's later calls run on (raw_smp_processor_id(), per-CPU data such as the
   * rcache and the flush queue); 0 until set. Below 4 (the shim's NR_CPUS). */
  void (*set_cpu)(struct kabi_inst *inst, unsigned cpu);
  /* Copies the oldest WARN() not yet taken into buf; 0 when there is none. */
  int (*take_warning)(struct kabi_inst *inst, char *buf, size_t cap);
  void (*destroy)(struct kabi_inst *inst); /* runs the kernel's teardown if alive */

  /* iova.c: init_iova_domain() + iova_domain_init_rcaches(). */
  int (*iova_create)(struct kabi_inst **out, uint64_t granule, uint64_t start_pfn);
  int (*iova_alloc)(struct kabi_inst *inst, uint64_t size, uint64_t limit_pfn, int size_aligned,
                    int *found, struct kabi_range *got);
  int (*iova_alloc_fast)(struct kabi_inst *inst, uint64_t size, uint64_t limit_pfn, int flush_rcache,
                         uint64_t *pfn);
  int (*iova_find)(struct kabi_inst *inst, uint64_t pfn, int *found, struct kabi_range *got);
  int (*iova_free)(struct kabi_inst *inst, uint64_t pfn);                  /* free_iova() */
  int (*iova_free_fast)(struct kabi_inst *inst, uint64_t pfn, uint64_t size); /* free_iova_fast() */
  int (*iova_reserve)(struct kabi_inst *inst, uint64_t pfn_lo, uint64_t pfn_hi, int *ok);
  /* Views, for an iova or a dma instance (its cookie's iovad). When cap is too small, *n is
   * the number needed and nothing is copied. */
  int (*iova_nodes)(struct kabi_inst *inst, struct kabi_iova_node *buf, size_t cap, size_t *n);
  int (*iova_cached_pfns)(struct kabi_inst *inst, uint64_t *buf, size_t cap, size_t *n); /* rcache */
  int (*iova_granule)(struct kabi_inst *inst, uint64_t *granule, uint64_t *start_pfn);
  /* The tree's include/linux/iova.h helpers on an iova instance's domain (its granule):
   * iova_offset(iovad, x) and iova_align(iovad, x). smt/tree_check checks its encodings so. */
  int (*iova_arith)(struct kabi_inst *inst, uint64_t x, uint64_t *offset, uint64_t *align);

  /* io-pgtable-arm.c through alloc_io_pgtable_ops(). *err: 0, or -EINVAL when the tree
   * refused the configuration (alloc_io_pgtable_ops() returned NULL). */
  int (*pgtable_create)(struct kabi_inst **out, const struct kabi_pgtable_cfg *cfg, int *err);
  int (*pgtable_map)(struct kabi_inst *inst, uint64_t iova, uint64_t paddr, uint64_t pgsize,
                     uint64_t pgcount, int prot, uint64_t *mapped, int *ret);
  /* gather: 0 none (NULL), 1 an iommu_iotlb_gather, 2 a queued one (DMA-FQ). */
  int (*pgtable_unmap)(struct kabi_inst *inst, uint64_t iova, uint64_t pgsize, uint64_t pgcount,
                       int gather, uint64_t *unmapped);
  /* For a pgtable or a dma instance (its domain's tables). */
  int (*pgtable_flushes)(struct kabi_inst *inst, struct kabi_flush *buf, size_t cap, size_t *n); /* since the last call */
  int (*pgtable_iova_to_phys)(struct kabi_inst *inst, uint64_t iova, uint64_t *phys);
  int (*pgtable_translate)(struct kabi_inst *inst, uint64_t iova, int *valid, uint64_t *phys, int *read,
                           int *write);
  int (*pgtable_leaves)(struct kabi_inst *inst, struct kabi_leaf *buf, size_t cap, size_t *n);
  int (*pgtable_table_pages)(struct kabi_inst *inst, size_t *n);
  int (*pgtable_splits_blocks)(void); /* 1 when unmapping part of a block splits it (before 6.13) */
  /* ARM_LPAE_LVL_IDX() of a pgtable instance's tables at iova (smt/tree_check). */
  int (*pgtable_lvl_idx)(struct kabi_inst *inst, uint64_t iova, struct kabi_lpae_index *out);

  /* dma-iommu.c over the same tree's iova.c and io-pgtable-arm.c. *setup_err: 0, or the -errno
   * of setting up the domain (-EINVAL: io-pgtable refused the configuration). *init_err: 0, or
   * the -errno iommu_dma_init_domain() returned (the device then has no IOMMU DMA ops; only
   * destroy() and the views may be called). */
  int (*dma_create)(struct kabi_inst **out, const struct kabi_dma_cfg *cfg, int *setup_err, int *init_err);
  int (*dma_map_page)(struct kabi_inst *inst, uint64_t page_phys, uint64_t offset, uint64_t size, int dir,
                      uint64_t *handle);
  int (*dma_unmap_page)(struct kabi_inst *inst, uint64_t handle, uint64_t size, int dir);
  int (*dma_map_sg)(struct kabi_inst *inst, struct kabi_sg *sg, int nents, int dir, int *ret);
  int (*dma_unmap_sg)(struct kabi_inst *inst, struct kabi_sg *sg, int nents, int dir);
  /* iommu_dma_alloc(): *handle DMA_MAPPING_ERROR on failure; pages as page_to_phys(), one per
   * PAGE_SIZE page; *cpu_addr is what dma_free() takes back. */
  int (*dma_alloc)(struct kabi_inst *inst, uint64_t size, uint64_t *handle, uint64_t *cpu_addr,
                   uint64_t *pages, size_t cap, size_t *npages);
  int (*dma_free)(struct kabi_inst *inst, uint64_t size, uint64_t cpu_addr, uint64_t handle);
  int (*dma_iommu_unmap)(struct kabi_inst *inst, uint64_t iova, uint64_t size, uint64_t *unmapped);
  int (*dma_fq_timeout)(struct kabi_inst *inst); /* fq_flush_timeout(); nothing when strict */
  /* The IOVAs waiting in the flush queues (every CPU's ring, oldest first), as pfn ranges. */
  int (*dma_fq_pfns)(struct kabi_inst *inst, struct kabi_range *buf, size_t cap, size_t *n);

  /* arm-smmu-v3.c over the host's SMMU, and the same tree's dma-iommu.c over its default domain
   * (the dma_* and pgtable view entries take this instance). *probe_err: 0, or the -errno of
   * arm_smmu_device_probe() (nothing else may then be called but destroy()); *setup_err and
   * *init_err as for dma_create. */
  int (*smmu_create)(struct kabi_inst **out, const struct kabi_smmu_cfg *cfg, int *probe_err, int *setup_err,
                     int *init_err);
  /* The StreamID's master (probed on first use) to a domain (enum kabi_smmu_domain); *ret 0 or -errno. */
  int (*smmu_attach)(struct kabi_inst *inst, uint32_t sid, int domain, int *ret);
  /* Runs the event-queue thread once: the records it consumed, 4 words each, oldest first.
   * cap (in words) must hold the whole event queue. */
  int (*smmu_events)(struct kabi_inst *inst, uint64_t *buf, size_t cap, size_t *n);
  /* The default domain's io-pgtable as arm_smmu_domain_finalise() configured it. */
  int (*smmu_pgtable_cfg)(struct kabi_inst *inst, struct kabi_pgtable_cfg *out);
  /* arm_smmu_tlb_inv_range_domain() on the default domain: its commands go to the host's
   * SMMU as the driver issues them (smt/tree_check reads the plan off the queue). */
  int (*smmu_tlb_inv)(struct kabi_inst *inst, uint64_t iova, uint64_t size, uint64_t granule, int leaf);
  /* Pure arithmetic, no instance: always KABI_OK. */
  int (*smmu_queue_arith)(unsigned shift, uint32_t prod, uint32_t cons, uint32_t n,
                          struct kabi_smmu_queue_arith *out);
};

const struct kabi_ops *kabi_get_ops(void);

#ifdef __cplusplus
}
#endif
#endif
