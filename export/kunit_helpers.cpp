// The C helpers an exported KUnit suite carries: one assertion helper per rule of the spec
// (spec/iova_judge.cpp, spec/pt_judge.cpp), stated in terms of the kernel API. Emitted
// verbatim by export/kunit.cpp, each group only when a case needs it.
#include "export/kunit_helpers.h"

namespace iovet {

const char* kunit_iova_helpers() {
  return R"C(/*
 * The IOVA allocator's rules (iovet spec/iova_judge.cpp), checked on every allocation that
 * succeeds: iova.zero (never pfn 0), iova.window (inside [start_pfn, limit_pfn] and the
 * aperture), iova.alignment (size-aligned when asked; alloc_iova_fast() always is) and
 * iova.overlap (clear of every live allocation and reserved range).
 */
#define IOVET_IOVA_MAX 64

struct iovet_iova_range {
	unsigned long lo, hi;
	const char *id; /* NULL: a reserved range */
};

struct iovet_iova {
	struct kunit *test;
	struct iova_domain iovad;
	unsigned long start_pfn;
	unsigned long ap_lo, ap_hi; /* the pfns wholly inside the aperture */
	struct iovet_iova_range live[IOVET_IOVA_MAX];
	unsigned int nr_live;
};

/* One allocation the case names: what it asked for and what it got. */
struct iovet_iova_id {
	const char *name;
	unsigned long size, pfn;
	bool fast, live;
};

static void iovet_iova_track(struct iovet_iova *d, unsigned long lo, unsigned long hi,
			     const char *id)
{
	KUNIT_ASSERT_TRUE_MSG(d->test, d->nr_live < IOVET_IOVA_MAX, "too many live ranges");
	d->live[d->nr_live++] = (struct iovet_iova_range){ lo, hi, id };
}

static void iovet_iova_untrack(struct iovet_iova *d, const char *id)
{
	unsigned int i;

	for (i = 0; i < d->nr_live; i++)
		if (d->live[i].id == id) {
			d->live[i] = d->live[--d->nr_live];
			return;
		}
}

/*
 * init_iova_domain() and iova_domain_init_rcaches() as iommu_dma_init_domain() calls them;
 * aperture in bytes, its pfns as the granule cuts them.
 */
static void iovet_iova_init(struct kunit *test, struct iovet_iova *d, unsigned long granule,
			    unsigned long start_pfn, u64 ap_start, u64 ap_end)
{
	unsigned int shift = __ffs(granule);

	if (granule > PAGE_SIZE)
		kunit_skip(test, "granule %lu above PAGE_SIZE", granule);
	d->test = test;
	d->start_pfn = start_pfn;
	d->ap_lo = (ap_start >> shift) + !!(ap_start & (granule - 1));
	d->ap_hi = (ap_end >> shift) - ((ap_end & (granule - 1)) != granule - 1);
	d->nr_live = 0;
	KUNIT_ASSERT_EQ(test, iova_cache_get(), 0);
	init_iova_domain(&d->iovad, granule, start_pfn);
	KUNIT_ASSERT_EQ(test, iova_domain_init_rcaches(&d->iovad), 0);
}

static void iovet_iova_exit(struct iovet_iova *d)
{
	put_iova_domain(&d->iovad);
	iova_cache_put();
}

/* reserve_iova(): a range the allocator must keep clear of from now on */
static void __maybe_unused iovet_iova_reserve(struct iovet_iova *d, unsigned long lo,
					       unsigned long hi)
{
	if (reserve_iova(&d->iovad, lo, hi))
		iovet_iova_track(d, lo, hi, NULL);
}

/* the last pfn of an allocation, saturated at the top of the pfn space */
static unsigned long iovet_iova_last(const struct iovet_iova_id *id)
{
	unsigned long hi = id->pfn + id->size - 1;

	return hi < id->pfn ? ULONG_MAX : hi;
}

/* rule iova.zero */
static void iovet_expect_iova_zero(struct iovet_iova *d, const struct iovet_iova_id *id)
{
	KUNIT_EXPECT_NE_MSG(d->test, id->pfn, 0UL, "iova.zero: %s was handed pfn 0", id->name);
}

/* rule iova.window */
static void iovet_expect_iova_window(struct iovet_iova *d, const struct iovet_iova_id *id,
				     unsigned long limit_pfn)
{
	unsigned long hi = iovet_iova_last(id);

	KUNIT_EXPECT_GE_MSG(d->test, id->pfn, max(d->start_pfn, d->ap_lo),
			    "iova.window: %s starts below start_pfn or the aperture", id->name);
	KUNIT_EXPECT_LE_MSG(d->test, hi, min(limit_pfn, d->ap_hi),
			    "iova.window: %s ends above limit_pfn or the aperture", id->name);
}

/* rule iova.alignment */
static void iovet_expect_iova_alignment(struct iovet_iova *d, const struct iovet_iova_id *id)
{
	unsigned long align = roundup_pow_of_two(id->size);

	KUNIT_EXPECT_EQ_MSG(d->test, id->pfn & (align - 1), 0UL,
			    "iova.alignment: %s is not aligned to its size", id->name);
}

/* rule iova.overlap */
static void iovet_expect_iova_overlap(struct iovet_iova *d, const struct iovet_iova_id *id)
{
	unsigned long hi = iovet_iova_last(id);
	unsigned int i;

	for (i = 0; i < d->nr_live; i++)
		KUNIT_EXPECT_TRUE_MSG(d->test, hi < d->live[i].lo || id->pfn > d->live[i].hi,
				      "iova.overlap: %s [%#lx, %#lx] overlaps %s [%#lx, %#lx]",
				      id->name, id->pfn, hi,
				      d->live[i].id ? d->live[i].id : "reserved range",
				      d->live[i].lo, d->live[i].hi);
}

/*
 * alloc_iova() (size_aligned as asked) or alloc_iova_fast() (flushing the rcaches before it
 * gives up, as iommu_dma_alloc_iova()'s last try): true when it succeeded.
 */
static bool iovet_iova_alloc(struct iovet_iova *d, struct iovet_iova_id *id, unsigned long size,
			     unsigned long limit_pfn, bool size_aligned, bool fast)
{
	id->size = size;
	id->fast = fast;
	if (fast) {
		id->pfn = alloc_iova_fast(&d->iovad, size, limit_pfn, true);
	} else {
		struct iova *iova = alloc_iova(&d->iovad, size, limit_pfn, size_aligned);

		id->pfn = iova ? iova->pfn_lo : 0;
		if (!iova)
			return false;
	}
	if (fast && !id->pfn)
		return false;
	iovet_expect_iova_zero(d, id);
	iovet_expect_iova_window(d, id, limit_pfn);
	if (size_aligned || fast)
		iovet_expect_iova_alignment(d, id);
	iovet_expect_iova_overlap(d, id);
	iovet_iova_track(d, id->pfn, iovet_iova_last(id), id->name);
	id->live = true;
	return true;
}

/* free_iova() or free_iova_fast() of what an id holds; nothing when its allocation failed */
static void __maybe_unused iovet_iova_free(struct iovet_iova *d, struct iovet_iova_id *id,
					    bool fast)
{
	if (!id->live)
		return;
	if (fast)
		free_iova_fast(&d->iovad, id->pfn, id->size);
	else
		free_iova(&d->iovad, id->pfn);
	iovet_iova_untrack(d, id->name);
	id->live = false;
}
)C";
}

const char* kunit_cpu_helpers() {
  return R"C(/* every CPU the case's ops run on must be there */
static void iovet_need_cpus(struct kunit *test, unsigned int max_cpu)
{
	unsigned int cpu;

	for (cpu = 0; cpu <= max_cpu; cpu++)
		if (!cpu_online(cpu))
			kunit_skip(test, "needs CPU %u online", cpu);
}

/* pin the task to the CPU an op runs on (its rcache is that CPU's) */
static void iovet_on_cpu(struct kunit *test, unsigned int cpu)
{
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)), 0);
}
)C";
}

const char* kunit_pgtable_helpers() {
  return R"C(/*
 * The io-pgtable rules (iovet spec/pt_judge.cpp) through the kernel's own API, as the
 * io-pgtable-arm selftest drives it: pt.range (a request beyond ias/oas is -ERANGE),
 * pt.exists (no map over a live mapping), pt.translation (iova_to_phys() gives what the live
 * mappings say around every one of them, unmap_pages() returns what was live, every unmapped
 * page is flushed from the TLB) and pt.permission (the descriptor a device's walk reaches
 * grants what the mapping asked: the walk reads the tables as the SMMU does, from the TTBR).
 */
#define IOVET_PT_MAX 64

struct iovet_pt_run {
	u64 iova, size, phys, leaf;
	int prot;
};

struct iovet_pt {
	struct kunit *test;
	struct device dev;
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct iovet_pt_run live[IOVET_PT_MAX]; /* what the case mapped and did not unmap */
	unsigned int nr_live;
	struct { u64 iova, size; } flush[IOVET_PT_MAX]; /* since the last unmap */
	unsigned int nr_flush;
	size_t mapped; /* by the last map */
	bool stage2;
};

static void iovet_tlb_flush(unsigned long iova, size_t size, size_t granule, void *cookie)
{
	struct iovet_pt *p = cookie;

	if (p->nr_flush < IOVET_PT_MAX) {
		p->flush[p->nr_flush].iova = iova;
		p->flush[p->nr_flush++].size = size;
	}
}

static void iovet_tlb_flush_all(void *cookie)
{
	iovet_tlb_flush(0, ~0UL, 0, cookie);
}

static void iovet_tlb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova,
			       size_t granule, void *cookie)
{
	iovet_tlb_flush(iova, granule, granule, cookie);
}

static const struct iommu_flush_ops iovet_flush_ops = {
	.tlb_flush_all	= iovet_tlb_flush_all,
	.tlb_flush_walk	= iovet_tlb_flush,
	.tlb_add_page	= iovet_tlb_add_page,
};

static void iovet_pt_init(struct kunit *test, struct iovet_pt *p, enum io_pgtable_fmt fmt,
			  unsigned long pgsize_bitmap, unsigned int ias, unsigned int oas)
{
	memset(p, 0, sizeof(*p));
	p->test = test;
	p->stage2 = fmt == ARM_64_LPAE_S2;
	/* __arm_lpae_alloc_pages() merely needs dev_to_node() to work */
	set_dev_node(&p->dev, NUMA_NO_NODE);
	p->cfg = (struct io_pgtable_cfg) {
		.pgsize_bitmap	= pgsize_bitmap,
		.ias		= ias,
		.oas		= oas,
		.coherent_walk	= true,
		.tlb		= &iovet_flush_ops,
		.iommu_dev	= &p->dev,
	};
	p->ops = alloc_io_pgtable_ops(fmt, &p->cfg, p);
	KUNIT_ASSERT_NOT_NULL(test, p->ops);
}

static void iovet_pt_exit(struct iovet_pt *p)
{
	free_io_pgtable_ops(p->ops);
}

static const struct iovet_pt_run *iovet_pt_find(const struct iovet_pt *p, u64 iova)
{
	unsigned int i;

	for (i = 0; i < p->nr_live; i++)
		if (iova - p->live[i].iova < p->live[i].size)
			return &p->live[i];
	return NULL;
}

static bool iovet_pt_any_live(const struct iovet_pt *p, u64 first, u64 last)
{
	unsigned int i;

	for (i = 0; i < p->nr_live; i++)
		if (p->live[i].iova <= last && first <= p->live[i].iova + p->live[i].size - 1)
			return true;
	return false;
}

/* drop [first, last] from the live runs, splitting a run it cuts through */
static void iovet_pt_forget(struct iovet_pt *p, u64 first, u64 last)
{
	unsigned int i;

	for (i = 0; i < p->nr_live; i++) {
		struct iovet_pt_run r = p->live[i];
		u64 end = r.iova + r.size - 1;

		if (r.iova > last || end < first)
			continue;
		p->live[i--] = p->live[--p->nr_live];
		if (r.iova < first)
			p->live[p->nr_live++] = (struct iovet_pt_run){
				r.iova, first - r.iova, r.phys, r.leaf, r.prot };
		if (end > last && p->nr_live < IOVET_PT_MAX)
			p->live[p->nr_live++] = (struct iovet_pt_run){
				last + 1, end - last, r.phys + (last + 1 - r.iova),
				r.leaf, r.prot };
	}
}

/* The bytes per table at the level that holds pgsize pages: map and unmap stop at its end. */
static u64 iovet_pt_table_span(const struct iovet_pt *p, u64 pgsize)
{
	unsigned int granule_shift = __ffs(p->cfg.pgsize_bitmap);

	return pgsize << (granule_shift - 3);
}

/*
 * The descriptor a device's walk of the tables reaches for iova, 0 when it faults: from the
 * TTBR (stage 1) or VTTBR (stage 2), as arm_lpae_alloc_pgtable() laid the levels out.
 */
static u64 iovet_pt_walk(const struct iovet_pt *p, u64 iova)
{
	unsigned int gshift = __ffs(p->cfg.pgsize_bitmap), bpl = gshift - 3;
	unsigned int va_bits = p->cfg.ias - gshift;
	unsigned int levels = DIV_ROUND_UP(va_bits, bpl);
	int lvl = 4 - levels;
	unsigned int pgd_bits = va_bits - bpl * (levels - 1);
	u64 addr_mask = GENMASK_ULL(47, gshift);
	u64 table = p->stage2 ? p->cfg.arm_lpae_s2_cfg.vttbr : p->cfg.arm_lpae_s1_cfg.ttbr;
	unsigned int bits = pgd_bits;

	/* arm_lpae_alloc_pgtable_s2(): a small level-0 table is concatenated into level 1 */
	if (p->stage2 && lvl == 0 && (1U << pgd_bits) <= 16) {
		lvl = 1;
		bits = pgd_bits + bpl;
	}
	if (iova >> p->cfg.ias)
		return 0;
	for (;; lvl++) {
		unsigned int shift = gshift + bpl * (3 - lvl);
		u64 *ptes = phys_to_virt(table & addr_mask);
		u64 pte = ptes[(iova >> shift) & ((1ULL << bits) - 1)];

		bits = bpl;
		if (!(pte & 1))
			return 0;
		if (lvl == 3 || !(pte & 2))
			return pte;
		table = pte;
	}
}

/* rule pt.permission at one address: what the reached descriptor grants */
static void iovet_expect_pt_permission(struct iovet_pt *p, u64 iova,
				       const struct iovet_pt_run *r)
{
	u64 pte = iovet_pt_walk(p, iova);
	bool may_write = r->prot & IOMMU_WRITE, may_read = r->prot & IOMMU_READ;
	bool writes, reads;

	if (!pte)
		return; /* a fault: pt.translation says so */
	if (p->stage2) {
		reads = pte & BIT(6);
		writes = pte & BIT(7);
	} else {
		reads = true; /* stage 1 cannot express write-only */
		may_read = true;
		writes = !(pte & BIT(7));
	}
	KUNIT_EXPECT_EQ_MSG(p->test, writes, may_write,
			    "pt.permission: a device %s write at iova %#llx, mapped %s write",
			    writes ? "can" : "cannot", iova, may_write ? "with" : "without");
	KUNIT_EXPECT_EQ_MSG(p->test, reads, may_read,
			    "pt.permission: a device %s read at iova %#llx, mapped %s read",
			    reads ? "can" : "cannot", iova, may_read ? "with" : "without");
}

/* rule pt.translation at one address (and pt.permission where it is live) */
static void iovet_expect_pt_at(struct iovet_pt *p, u64 iova)
{
	const struct iovet_pt_run *r;
	u64 want;

	if (iova >> p->cfg.ias)
		return;
	r = iovet_pt_find(p, iova);
	want = r ? r->phys + (iova - r->iova) : 0;
	KUNIT_EXPECT_EQ_MSG(p->test, p->ops->iova_to_phys(p->ops, iova), want,
			    "pt.translation: iova_to_phys(%#llx)%s", iova,
			    r ? "" : ": nothing is mapped there");
	if (r)
		iovet_expect_pt_permission(p, iova, r);
}

/* After every op: both ends and the middle of each live run, the bytes just outside it and
 * the op's own range. */
static void iovet_expect_pt_state(struct iovet_pt *p, u64 first, u64 last)
{
	unsigned int i;

	for (i = 0; i < p->nr_live; i++) {
		const struct iovet_pt_run r = p->live[i];

		if (r.iova)
			iovet_expect_pt_at(p, r.iova - 1);
		iovet_expect_pt_at(p, r.iova);
		iovet_expect_pt_at(p, r.iova + r.size / 2);
		iovet_expect_pt_at(p, r.iova + r.size - 1);
		iovet_expect_pt_at(p, r.iova + r.size);
	}
	iovet_expect_pt_at(p, first);
	iovet_expect_pt_at(p, last);
}

/* map_pages() of [iova, +pgsize * pgcount) to paddr: pt.range, pt.exists, then the state */
static int iovet_pt_map(struct iovet_pt *p, u64 iova, u64 paddr, u64 pgsize, u64 pgcount,
			int prot)
{
	u64 bytes = pgsize * pgcount, last = iova + bytes - 1;
	size_t mapped = 0;
	bool outside = (last >> p->cfg.ias) || ((paddr + bytes - 1) >> p->cfg.oas) || last < iova;
	bool clash = iovet_pt_any_live(p, iova, last);
	int ret;

	ret = p->ops->map_pages(p->ops, iova, paddr, pgsize, pgcount, prot, GFP_KERNEL, &mapped);
	p->mapped = mapped;
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return ret; /* nothing for a device to reach */
	if (outside) {
		/* only a part up to a table's end inside ias and oas may go; else -ERANGE */
		bool prefix = !ret && mapped && mapped < bytes && mapped % pgsize == 0 &&
			      (iova + mapped) % iovet_pt_table_span(p, pgsize) == 0 &&
			      !((iova + mapped - 1) >> p->cfg.ias) &&
			      !((paddr + mapped - 1) >> p->cfg.oas);

		KUNIT_EXPECT_TRUE_MSG(p->test, ret == -ERANGE || prefix,
				      "pt.range: map %#llx (%#llx x %llu) reaches beyond ias %u or oas %u; returned %d, mapped %#zx",
				      iova, pgsize, pgcount, p->cfg.ias, p->cfg.oas, ret, mapped);
	} else if (clash) {
		KUNIT_EXPECT_NE_MSG(p->test, ret, 0,
				    "pt.exists: map %#llx (%#llx x %llu) succeeded over a live mapping",
				    iova, pgsize, pgcount);
	} else {
		KUNIT_EXPECT_EQ_MSG(p->test, ret, 0,
				    "pt.translation: map %#llx (%#llx x %llu) failed",
				    iova, pgsize, pgcount);
		/* all of it, or (the IOMMU core calls again for the rest) up to a table's end */
		KUNIT_EXPECT_TRUE_MSG(p->test, mapped == bytes ||
				      (mapped && mapped % pgsize == 0 &&
				       (iova + mapped) % iovet_pt_table_span(p, pgsize) == 0),
				      "pt.translation: map %#llx (%#llx x %llu) reports %#zx mapped",
				      iova, pgsize, pgcount, mapped);
	}
	if (mapped) {
		iovet_pt_forget(p, iova, iova + mapped - 1);
		KUNIT_ASSERT_TRUE_MSG(p->test, p->nr_live < IOVET_PT_MAX, "too many live runs");
		p->live[p->nr_live++] = (struct iovet_pt_run){ iova, mapped, paddr, pgsize, prot };
	}
	iovet_expect_pt_state(p, iova, last);
	return ret;
}

/* pt.translation: every stretch it unmapped is covered by a flush the gather asked for */
static void iovet_expect_pt_flushed(struct iovet_pt *p, u64 first, u64 last)
{
	u64 a = first;
	unsigned int i;

	for (;;) {
		for (i = 0; i < p->nr_flush; i++)
			if (a - p->flush[i].iova < p->flush[i].size)
				break;
		if (i == p->nr_flush)
			break;
		if (p->flush[i].iova + p->flush[i].size - 1 >= last)
			return;
		a = p->flush[i].iova + p->flush[i].size;
	}
	KUNIT_FAIL(p->test,
		   "pt.translation: iova %#llx was unmapped but no TLB flush covers it", a);
}

/*
 * unmap_pages() of [iova, +pgsize * pgcount): page by page what is live goes and the first
 * hole ends it; it may stop at a table's end; at a page inside a bigger block the tree splits
 * the block or stops, leaving it whole.
 */
static size_t iovet_pt_unmap(struct iovet_pt *p, u64 iova, u64 pgsize, u64 pgcount)
{
	struct iommu_iotlb_gather gather;
	u64 want = 0, whole = ~0ULL, i, span = iovet_pt_table_span(p, pgsize);
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	p->nr_flush = 0;
	ret = p->ops->unmap_pages(p->ops, iova, pgsize, pgcount, &gather);
	for (i = 0; i < pgcount; i++) {
		u64 va = iova + i * pgsize;
		const struct iovet_pt_run *r = iovet_pt_find(p, va);

		if (!iovet_pt_any_live(p, va, va + pgsize - 1))
			break;
		if (r && r->leaf > pgsize && whole == ~0ULL)
			whole = want;
		want += pgsize;
	}
	KUNIT_EXPECT_TRUE_MSG(p->test, ret == want || ret == whole ||
			      (ret && ret < want && ret % pgsize == 0 && (iova + ret) % span == 0),
			      "pt.translation: unmap %#llx (%#llx x %llu) returned %#zx, the live mappings allow %#llx",
			      iova, pgsize, pgcount, ret, want);
	if (ret) {
		iovet_expect_pt_flushed(p, iova, iova + ret - 1);
		iovet_pt_forget(p, iova, iova + ret - 1);
	}
	iovet_expect_pt_state(p, iova, iova + pgsize * pgcount - 1);
	return ret;
}
)C";
}

}  // namespace iovet
