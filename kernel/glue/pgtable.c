/* iovet glue: drivers/iommu/io-pgtable-arm.c compiled unmodified, and the pgtable_* ABI
 * entries. The views (translate, leaves, table_pages) walk the tables with the file's own
 * macros and struct arm_lpae_io_pgtable. */
#include <kabi_shim.h>
#include <drivers/iommu/io-pgtable-arm.c>
#include "kabi_glue.h"

/* iommu_flush_ops: every call is recorded for pgtable_flushes(); the cookie is the instance */
static void kabi_tlb_flush_all(void *cookie)
{
	kabi_push_flush(cookie, 0, ~0ULL, 0, 1);
}

static void kabi_tlb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie)
{
	kabi_push_flush(cookie, iova, size, granule, 1);
}

static void kabi_tlb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova, size_t granule, void *cookie)
{
	(void)gather;
	kabi_push_flush(cookie, iova, granule, granule, 0);
}

const struct iommu_flush_ops kabi_flush_ops = {
	.tlb_flush_all = kabi_tlb_flush_all,
	.tlb_flush_walk = kabi_tlb_flush_walk,
	.tlb_add_page = kabi_tlb_add_page,
};

/* alloc_io_pgtable_ops() for ARM_64_LPAE_S1/S2 as an SMMU driver would call it */
struct io_pgtable_ops *kabi_pgtable_alloc(struct kabi_inst *in, const struct kabi_pgtable_cfg *c,
					  u64 *pgsize_bitmap)
{
	struct io_pgtable_cfg cfg;
	struct device *walker = kzalloc(sizeof(*walker), GFP_KERNEL); /* the SMMU itself */
	struct io_pgtable_ops *ops;

	memset(&cfg, 0, sizeof(cfg));
	cfg.pgsize_bitmap = c->pgsize_bitmap;
	cfg.ias = c->ias;
	cfg.oas = c->oas;
	cfg.coherent_walk = !!c->coherent_walk;
	cfg.tlb = &kabi_flush_ops;
	cfg.iommu_dev = walker;
	ops = alloc_io_pgtable_ops(c->stage2 ? ARM_64_LPAE_S2 : ARM_64_LPAE_S1, &cfg, in);
	if (pgsize_bitmap)
		*pgsize_bitmap = cfg.pgsize_bitmap; /* arm_lpae_restrict_pgsizes() may narrow it */
	return ops;
}

static void kabi_pgtable_teardown(struct kabi_inst *in)
{
	if (in->pgt)
		free_io_pgtable_ops(in->pgt);
}

int kabi_pgtable_create(struct kabi_inst **out, const struct kabi_pgtable_cfg *cfg, int *err)
{
	struct kabi_inst *in = kabi_inst_new(KABI_KIND_PGTABLE);
	int st = KABI_GUARD(in, {
		in->pgt = kabi_pgtable_alloc(in, cfg, NULL);
		in->teardown = kabi_pgtable_teardown;
	});
	*out = in;
	if (!st)
		*err = in->pgt ? 0 : -EINVAL;
	return st;
}

int kabi_pgtable_map(struct kabi_inst *in, uint64_t iova, uint64_t paddr, uint64_t pgsize, uint64_t pgcount,
		     int prot, uint64_t *mapped, int *ret)
{
	size_t m = 0;
	int r = 0;
	int st = KABI_GUARD(in, r = in->pgt->map_pages(in->pgt, iova, paddr, pgsize, pgcount, prot, GFP_ATOMIC, &m));
	if (!st) {
		*mapped = m;
		*ret = r;
	}
	return st;
}

int kabi_pgtable_unmap(struct kabi_inst *in, uint64_t iova, uint64_t pgsize, uint64_t pgcount, int gather,
		       uint64_t *unmapped)
{
	struct iommu_iotlb_gather g;
	size_t u = 0;
	int st;

	iommu_iotlb_gather_init(&g);
	if (gather == 2)
		g.queued = true;
	st = KABI_GUARD(in, u = in->pgt->unmap_pages(in->pgt, iova, pgsize, pgcount, gather ? &g : NULL));
	if (!st)
		*unmapped = u;
	return st;
}

int kabi_pgtable_flushes(struct kabi_inst *in, struct kabi_flush *buf, size_t cap, size_t *n)
{
	if (in->status)
		return in->status;
	*n = in->fl_n;
	if (in->fl_n <= cap) {
		if (in->fl_n)
			memcpy(buf, in->fl, in->fl_n * sizeof(*buf));
		in->fl_n = 0;
	}
	return KABI_OK;
}

int kabi_pgtable_iova_to_phys(struct kabi_inst *in, uint64_t iova, uint64_t *phys)
{
	phys_addr_t p = 0;
	int st = KABI_GUARD(in, p = in->pgt->iova_to_phys(in->pgt, iova));
	if (!st)
		*phys = p;
	return st;
}

/* The walk a device does: valid bit at every level, leaf = block (levels < 3) or page (3). */
static int kabi_walk(struct arm_lpae_io_pgtable *data, u64 iova, arm_lpae_iopte *leaf, int *leaf_lvl)
{
	arm_lpae_iopte *ptep = data->pgd, pte;
	int lvl;

	for (lvl = data->start_level; lvl < ARM_LPAE_MAX_LEVELS; lvl++) {
		pte = READ_ONCE(ptep[ARM_LPAE_LVL_IDX(iova, lvl, data)]);
		if (!(pte & ARM_LPAE_PTE_VALID))
			return 0;
		if (iopte_leaf(pte, lvl, data->iop.fmt)) {
			*leaf = pte;
			*leaf_lvl = lvl;
			return 1;
		}
		if (lvl == ARM_LPAE_MAX_LEVELS - 1 || iopte_type(pte) != ARM_LPAE_PTE_TYPE_TABLE)
			return 0; /* reserved encoding: a translation fault */
		ptep = iopte_deref(pte, data);
	}
	return 0;
}

static bool kabi_is_s1(struct arm_lpae_io_pgtable *data)
{
	return data->iop.fmt == ARM_64_LPAE_S1 || data->iop.fmt == ARM_32_LPAE_S1;
}

int kabi_pgtable_translate(struct kabi_inst *in, uint64_t iova, int *valid, uint64_t *phys, int *read, int *write)
{
	int v = 0, r = 0, w = 0;
	u64 p = 0;
	int st = KABI_GUARD(in, {
		struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(in->pgt);
		arm_lpae_iopte pte;
		int lvl;
		if (kabi_walk(data, iova, &pte, &lvl)) {
			v = 1;
			p = iopte_to_paddr(pte, data) | (iova & (ARM_LPAE_BLOCK_SIZE(lvl, data) - 1));
			if (kabi_is_s1(data)) {
				r = 1; /* S1 AP: always readable; AP[2] (RDONLY) removes write */
				w = !(pte & ARM_LPAE_PTE_AP_RDONLY);
			} else {
				r = !!(pte & ARM_LPAE_PTE_HAP_READ);
				w = !!(pte & ARM_LPAE_PTE_HAP_WRITE);
			}
		}
	});
	if (!st) {
		*valid = v;
		*phys = v ? p : 0;
		*read = r;
		*write = w;
	}
	return st;
}

/* Decodes a leaf back to IOMMU_* prot, inverting arm_lpae_prot_to_pte():
 *  S1: READ always; WRITE unless AP_RDONLY (so prot 0 and WRITE-only maps decode as
 *      READ|WRITE: S1 cannot express them); PRIV when AP_UNPRIV is clear; ATTRINDX DEV ->
 *      MMIO (CACHE, if also asked, is lost), CACHE -> CACHE.
 *  S2: READ/WRITE from HAP; MEMATTR DEV -> MMIO, OIWB -> CACHE; PRIV is not encoded (never set).
 *  Both: NOEXEC from XN. */
static int kabi_decode_prot(struct arm_lpae_io_pgtable *data, arm_lpae_iopte pte)
{
	int prot = 0;
	if (kabi_is_s1(data)) {
		u64 idx = (pte >> ARM_LPAE_PTE_ATTRINDX_SHIFT) & 7;
		prot |= IOMMU_READ;
		if (!(pte & ARM_LPAE_PTE_AP_RDONLY))
			prot |= IOMMU_WRITE;
		if (!(pte & ARM_LPAE_PTE_AP_UNPRIV))
			prot |= IOMMU_PRIV;
		if (idx == ARM_LPAE_MAIR_ATTR_IDX_DEV)
			prot |= IOMMU_MMIO;
		else if (idx == ARM_LPAE_MAIR_ATTR_IDX_CACHE)
			prot |= IOMMU_CACHE;
	} else {
		u64 attr = pte & (((arm_lpae_iopte)0xf) << 2);
		if (pte & ARM_LPAE_PTE_HAP_READ)
			prot |= IOMMU_READ;
		if (pte & ARM_LPAE_PTE_HAP_WRITE)
			prot |= IOMMU_WRITE;
		if (attr == ARM_LPAE_PTE_MEMATTR_DEV)
			prot |= IOMMU_MMIO;
		else if (attr == ARM_LPAE_PTE_MEMATTR_OIWB)
			prot |= IOMMU_CACHE;
	}
	if ((pte & ARM_LPAE_PTE_XN) == ARM_LPAE_PTE_XN)
		prot |= IOMMU_NOEXEC;
	return prot;
}

struct kabi_leafwalk {
	struct arm_lpae_io_pgtable *data;
	struct kabi_leaf *buf;
	size_t cap, n, tables;
};

static void kabi_leaves_rec(struct kabi_leafwalk *w, arm_lpae_iopte *table, int lvl, u64 base)
{
	struct arm_lpae_io_pgtable *data = w->data;
	size_t i, nr = lvl == data->start_level ? (1UL << data->pgd_bits) : ARM_LPAE_PTES_PER_TABLE(data);
	u64 bsz = ARM_LPAE_BLOCK_SIZE(lvl, data);

	for (i = 0; i < nr; i++) {
		arm_lpae_iopte pte = READ_ONCE(table[i]);
		u64 iova = base + i * bsz;
		if (!(pte & ARM_LPAE_PTE_VALID))
			continue;
		if (iopte_leaf(pte, lvl, data->iop.fmt)) {
			if (w->n < w->cap) {
				w->buf[w->n].iova = iova;
				w->buf[w->n].size = bsz;
				w->buf[w->n].phys = iopte_to_paddr(pte, data);
				w->buf[w->n].prot = kabi_decode_prot(data, pte);
			}
			w->n++;
		} else if (lvl < ARM_LPAE_MAX_LEVELS - 1 && iopte_type(pte) == ARM_LPAE_PTE_TYPE_TABLE) {
			w->tables++;
			kabi_leaves_rec(w, iopte_deref(pte, data), lvl + 1, iova);
		}
	}
}

static void kabi_leaves_walk(struct kabi_leafwalk *w, struct io_pgtable_ops *ops)
{
	w->data = io_pgtable_ops_to_data(ops);
	kabi_leaves_rec(w, w->data->pgd, w->data->start_level, 0);
}

int kabi_pgtable_leaves(struct kabi_inst *in, struct kabi_leaf *buf, size_t cap, size_t *n)
{
	struct kabi_leafwalk w = { .buf = buf, .cap = cap };
	int st = KABI_GUARD(in, kabi_leaves_walk(&w, in->pgt));
	if (!st)
		*n = w.n; /* when n > cap the buffer holds the first cap leaves; callers retry */
	return st;
}

int kabi_pgtable_table_pages(struct kabi_inst *in, size_t *n)
{
	struct kabi_leafwalk w = { .buf = NULL, .cap = 0 };
	size_t top = 0;
	int st = KABI_GUARD(in, {
		kabi_leaves_walk(&w, in->pgt);
		top = DIV_ROUND_UP(ARM_LPAE_PGD_SIZE(w.data), ARM_LPAE_GRANULE(w.data));
	});
	if (!st)
		*n = top + w.tables;
	return st;
}

/* 6.1 splits a block on a partial unmap (arm_lpae_split_blk_unmap); 6.13 dropped that. */
int kabi_pgtable_splits_blocks(void)
{
	return 1;
}

int kabi_pgtable_lvl_idx(struct kabi_inst *in, uint64_t iova, struct kabi_lpae_index *out)
{
	struct kabi_lpae_index r;
	int st;

	memset(&r, 0, sizeof(r));
	st = KABI_GUARD(in, {
		struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(in->pgt);
		int lvl;
		r.start_level = data->start_level;
		r.pgd_bits = data->pgd_bits;
		r.bits_per_level = data->bits_per_level;
		for (lvl = data->start_level; lvl < ARM_LPAE_MAX_LEVELS; lvl++)
			r.idx[lvl] = ARM_LPAE_LVL_IDX(iova, lvl, data);
	});
	if (!st)
		*out = r;
	return st;
}
