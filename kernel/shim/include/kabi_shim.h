/* iovet shim internals shared by the C files of kernel/shim and kernel/glue (not kernel API). */
#ifndef KABI_SHIM_H
#define KABI_SHIM_H

#include "kabi.h"

enum kabi_kind { KABI_KIND_IOVA = 1, KABI_KIND_PGTABLE, KABI_KIND_DMA, KABI_KIND_SMMU };

struct kabi_hdr; /* tracked kmalloc block header (runtime.c) */
struct kabi_pg { unsigned long addr; unsigned int order; }; /* tracked page block */
struct kabi_remap { unsigned long token; size_t size; struct page **pages; int live; };

struct kabi_inst {
	int kind;
	volatile int status;
	char msg[1024];
	unsigned long fault_pc; /* offset in this object of the faulting instruction, 0 if unknown */
	int cpu; /* what raw_smp_processor_id() says while this instance's calls run */
	/* WARN queue (oldest first) and the WARN_ONCE sites already hit */
	char **warn;
	size_t warn_head, warn_n, warn_cap;
	const void **once;
	size_t once_n, once_cap;
	/* every kmalloc/kmem_cache/vmalloc/percpu block, as a circular list of headers */
	struct kabi_hdr *allocs;
	/* every page block from the host: open-addressing hash on the address */
	struct kabi_pg *pg;
	size_t pg_cap, pg_used; /* pg_used counts live + tombstones */
	/* dma_common_pages_remap() tokens */
	struct kabi_remap *remap;
	size_t remap_n, remap_cap;
	unsigned long remap_next;
	/* iommu_flush_ops records since the last pgtable_flushes() */
	struct kabi_flush *fl;
	size_t fl_n, fl_cap;
	/* struct iova * returned by reserve_iova() and still allocated */
	const void **resv;
	size_t resv_n, resv_cap;
	/* the kernel objects the views read: the iova domain (iova and dma instances) and the
	 * io-pgtable (pgtable and dma instances) */
	struct iova_domain *iovad;
	struct io_pgtable_ops *pgt;
	/* the glue's state for this kind, and its kernel teardown (run under the guard) */
	void *priv;
	/* a device's registers (shim/mmio.c): [mmio_base, mmio_base + mmio_size) goes to mmio */
	struct kabi_mmio mmio;
	unsigned long mmio_base, mmio_size;
	void *driver; /* an IOMMU driver glue's state (arm_smmu_v3.c), under the dma glue's priv */
	struct device *bound_dev; /* the device whose driver probe ran (driver_find_device_by_*) */
	void (*teardown)(struct kabi_inst *inst);
};

/* The guard: every ABI entry point that runs kernel code goes through KABI_GUARD. */
typedef struct { long buf[32]; } kabi_jmp_buf[1]; /* >= glibc's struct __jmp_buf_tag (200 bytes) */
int __sigsetjmp(void *env, int savemask) __attribute__((__returns_twice__, __nothrow__));
extern kabi_jmp_buf kabi_jb;
extern volatile int kabi_running;
extern volatile unsigned long kabi_ticks, kabi_t0;
extern volatile int kabi_in_libc;
extern int kabi_cpu;
extern const struct kabi_host *kabi_host_ops;

/* Runs STMT for INST with crash/BUG/hang isolation; evaluates to the kabi_status. No syscall:
 * the signal mask is not saved (handlers use SA_NODEFER, so nothing stays blocked). */
#define KABI_GUARD(inst, ...) ({                                              \
	struct kabi_inst *const __kg_i = (inst);                               \
	int __kg_st = __kg_i->status;                                          \
	if (!__kg_st) {                                                        \
		kabi_cur = __kg_i;                                             \
		kabi_cpu = __kg_i->cpu;                                        \
		kabi_t0 = kabi_ticks;                                          \
		if (__sigsetjmp(kabi_jb, 0) == 0) {                            \
			kabi_running = 1;                                      \
			__VA_ARGS__;                                           \
			kabi_running = 0;                                      \
		} else {                                                       \
			kabi_running = 0;                                      \
			kabi_in_libc = 0;                                      \
		}                                                              \
		kabi_cur = NULL;                                               \
		__kg_st = __kg_i->status;                                      \
	}                                                                      \
	__kg_st; })

__noreturn void kabi_crash(const char *fmt, ...) __printf(1, 2);
__noreturn void kabi_bug_msg(const char *fmt, ...) __printf(1, 2);
struct kabi_inst *kabi_inst_new(int kind);
void kabi_inst_free_all(struct kabi_inst *inst); /* frees tracked memory and the instance */
void kabi_push_flush(struct kabi_inst *inst, u64 iova, u64 size, u64 granule, int walk);
void kabi_resv_track(struct kabi_inst *inst, const void *iova);
void kabi_resv_forget(struct kabi_inst *inst, const void *iova);
bool kabi_resv_has(struct kabi_inst *inst, const void *iova);
void *kabi_untracked_malloc(size_t n);
void kabi_untracked_free(void *p);
int kabi_ensure_cap(void **arr, size_t *cap, size_t need, size_t elem);

/* The ops entries implemented per glue file. */
void kabi_init(const struct kabi_host *host, unsigned hang_ms);
const char *kabi_fault_message(const struct kabi_inst *inst);
uint64_t kabi_fault_pc(const struct kabi_inst *inst);
void kabi_set_cpu(struct kabi_inst *inst, unsigned cpu);
int kabi_sanitizer_report(const char *summary);
int kabi_take_warning(struct kabi_inst *inst, char *buf, size_t cap);
void kabi_destroy(struct kabi_inst *inst);

#endif
