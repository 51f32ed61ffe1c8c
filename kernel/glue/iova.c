/* iovet glue: drivers/iommu/iova.c compiled unmodified, and the iova_* ABI entries.
 * reserve_iova() is renamed while the tree file compiles so that every caller (this file's
 * entries and dma-iommu.c's reserved regions) goes through the wrapper below, which records
 * the nodes it returns (kmem_cache_free() forgets them when iova.c frees them). */
#include <kabi_shim.h>

#define reserve_iova kabi_tree_reserve_iova
#include <drivers/iommu/iova.c>
#undef reserve_iova

struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo, unsigned long pfn_hi);
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo, unsigned long pfn_hi)
{
	struct iova *v = kabi_tree_reserve_iova(iovad, pfn_lo, pfn_hi);
	if (v && kabi_cur)
		kabi_resv_track(kabi_cur, v);
	return v;
}

struct kabi_iova_priv {
	struct iova_domain iovad;
	int cache_got;
};

static void kabi_iova_teardown(struct kabi_inst *in)
{
	struct kabi_iova_priv *p = in->priv;
	put_iova_domain(&p->iovad);
	if (p->cache_got)
		iova_cache_put();
}

int kabi_iova_create(struct kabi_inst **out, uint64_t granule, uint64_t start_pfn)
{
	struct kabi_inst *in = kabi_inst_new(KABI_KIND_IOVA);
	struct kabi_iova_priv *p = kabi_untracked_malloc(sizeof(*p));
	int st;

	in->priv = p;
	st = KABI_GUARD(in, {
		if (!iova_cache_get())
			p->cache_got = 1;
		init_iova_domain(&p->iovad, granule, start_pfn);
		in->iovad = &p->iovad;
		in->teardown = kabi_iova_teardown;
		iova_domain_init_rcaches(&p->iovad);
	});
	*out = in;
	return st;
}

/* What alloc_iova() or find_iova() returned, as the ABI reports it. */
static void kabi_report_iova(const struct iova *v, int *found, struct kabi_range *got)
{
	*found = v != NULL;
	if (v) {
		got->lo = v->pfn_lo;
		got->hi = v->pfn_hi;
	}
}

int kabi_iova_alloc(struct kabi_inst *in, uint64_t size, uint64_t limit_pfn, int size_aligned, int *found,
		    struct kabi_range *got)
{
	struct iova *v = NULL;
	int st = KABI_GUARD(in, v = alloc_iova(in->iovad, size, limit_pfn, size_aligned));
	if (!st)
		kabi_report_iova(v, found, got);
	return st;
}

int kabi_iova_alloc_fast(struct kabi_inst *in, uint64_t size, uint64_t limit_pfn, int flush_rcache, uint64_t *pfn)
{
	unsigned long r = 0;
	int st = KABI_GUARD(in, r = alloc_iova_fast(in->iovad, size, limit_pfn, flush_rcache));
	if (!st)
		*pfn = r;
	return st;
}

int kabi_iova_find(struct kabi_inst *in, uint64_t pfn, int *found, struct kabi_range *got)
{
	struct iova *v = NULL;
	int st = KABI_GUARD(in, v = find_iova(in->iovad, pfn));
	if (!st)
		kabi_report_iova(v, found, got);
	return st;
}

int kabi_iova_free(struct kabi_inst *in, uint64_t pfn)
{
	return KABI_GUARD(in, free_iova(in->iovad, pfn));
}

int kabi_iova_free_fast(struct kabi_inst *in, uint64_t pfn, uint64_t size)
{
	return KABI_GUARD(in, free_iova_fast(in->iovad, pfn, size));
}

int kabi_iova_reserve(struct kabi_inst *in, uint64_t pfn_lo, uint64_t pfn_hi, int *ok)
{
	struct iova *v = NULL;
	int st = KABI_GUARD(in, v = reserve_iova(in->iovad, pfn_lo, pfn_hi));
	if (!st)
		*ok = v != NULL;
	return st;
}

/* every rbtree node but the anchor, in pfn order */
int kabi_iova_nodes(struct kabi_inst *in, struct kabi_iova_node *buf, size_t cap, size_t *n)
{
	size_t cnt = 0;
	int st = KABI_GUARD(in, {
		struct rb_node *nd;
		size_t total = 0;
		for (nd = rb_first(&in->iovad->rbroot); nd; nd = rb_next(nd))
			if (nd != &in->iovad->anchor.node)
				total++;
		cnt = total;
		if (total <= cap) {
			size_t i = 0;
			for (nd = rb_first(&in->iovad->rbroot); nd; nd = rb_next(nd)) {
				struct iova *v = to_iova(nd);
				if (nd == &in->iovad->anchor.node)
					continue;
				buf[i].pfn_lo = v->pfn_lo;
				buf[i].pfn_hi = v->pfn_hi;
				buf[i].reserved = kabi_resv_has(in, v);
				i++;
			}
		}
	});
	if (!st)
		*n = cnt;
	return st;
}

/* every pfn in any rcache magazine: per size class, per CPU loaded then prev, then the depot */
static size_t kabi_mag_put(struct iova_magazine *mag, uint64_t *buf, size_t cap, size_t i)
{
	unsigned long k;
	if (!mag)
		return i;
	for (k = 0; k < mag->size; k++, i++)
		if (i < cap)
			buf[i] = mag->pfns[k];
	return i;
}

int kabi_iova_cached_pfns(struct kabi_inst *in, uint64_t *buf, size_t cap, size_t *n)
{
	size_t cnt = 0;
	int st = KABI_GUARD(in, {
		struct iova_domain *iovad = in->iovad;
		size_t i = 0;
		unsigned int r, cpu;
		unsigned long d;
		for (r = 0; iovad->rcaches && r < IOVA_RANGE_CACHE_MAX_SIZE; r++) {
			struct iova_rcache *rc = &iovad->rcaches[r];
			for_each_possible_cpu(cpu) {
				struct iova_cpu_rcache *c = per_cpu_ptr(rc->cpu_rcaches, cpu);
				i = kabi_mag_put(c->loaded, buf, cap, i);
				i = kabi_mag_put(c->prev, buf, cap, i);
			}
			for (d = 0; d < rc->depot_size; d++)
				i = kabi_mag_put(rc->depot[d], buf, cap, i);
		}
		cnt = i;
	});
	if (!st)
		*n = cnt;
	return st;
}

int kabi_iova_granule(struct kabi_inst *in, uint64_t *granule, uint64_t *start_pfn)
{
	unsigned long g = 0, s = 0;
	int st = KABI_GUARD(in, { g = in->iovad->granule; s = in->iovad->start_pfn; });
	if (!st) {
		*granule = g;
		*start_pfn = s;
	}
	return st;
}

int kabi_iova_arith(struct kabi_inst *in, uint64_t x, uint64_t *offset, uint64_t *align)
{
	size_t o = 0, a = 0;
	int st = KABI_GUARD(in, { o = iova_offset(in->iovad, x); a = iova_align(in->iovad, x); });
	if (!st) {
		*offset = o;
		*align = a;
	}
	return st;
}
