/* iovet shim runtime: per-instance tracked allocation (kmalloc, kmem_cache, percpu, pages,
 * remap tokens), WARN capture, printk. Written for iovet; no kernel code. */
#include <kabi_shim.h>
#include <linux/device.h>
#include <linux/pci.h>

/* libc, declared by hand (we build under -nostdinc) */
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);
void free(void *p);
char *getenv(const char *name);
int vsnprintf(char *buf, size_t n, const char *fmt, __builtin_va_list ap);
int vdprintf(int fd, const char *fmt, __builtin_va_list ap);

struct kabi_inst *kabi_cur;
int kabi_cur_cpu_unused;
int kabi_cpu;
unsigned long volatile jiffies;
volatile int kabi_in_libc;
int kabi_debug = -1;

void *kabi_untracked_malloc(size_t n)
{
	void *p;
	kabi_in_libc++;
	p = calloc(1, n ? n : 1);
	kabi_in_libc--;
	return p;
}

void kabi_untracked_free(void *p)
{
	kabi_in_libc++;
	free(p);
	kabi_in_libc--;
}

int kabi_ensure_cap(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *p;
	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	kabi_in_libc++;
	p = realloc(*arr, n * elem);
	kabi_in_libc--;
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

/* ---- kmalloc and friends: a header before every block links it into its instance ---- */
#define KABI_HDR_MAGIC 0x6b616269616c6c63ULL
struct kabi_hdr {
	struct kabi_hdr *next, *prev;
	size_t size;
	u64 magic;
	u64 pad[4]; /* 64 bytes: keeps the payload 64-byte aligned relative to the header */
};

static struct kabi_hdr kabi_orphans = { &kabi_orphans, &kabi_orphans, 0, 0, { 0 } };

static struct kabi_hdr *kabi_list(void)
{
	if (kabi_cur) {
		if (!kabi_cur->allocs) {
			struct kabi_hdr *h = kabi_untracked_malloc(sizeof(*h));
			h->next = h->prev = h;
			kabi_cur->allocs = h;
		}
		return kabi_cur->allocs;
	}
	return &kabi_orphans; /* only outside any instance (never in practice) */
}

void *kabi_malloc(size_t size, gfp_t gfp)
{
	struct kabi_hdr *h, *l = kabi_list();
	kabi_in_libc++;
	h = (gfp & __GFP_ZERO) ? calloc(1, sizeof(*h) + size) : malloc(sizeof(*h) + size);
	kabi_in_libc--;
	if (!h)
		return NULL;
	h->size = size;
	h->magic = KABI_HDR_MAGIC;
	h->next = l->next;
	h->prev = l;
	l->next->prev = h;
	l->next = h;
	return h + 1;
}

void kabi_free(const void *p)
{
	struct kabi_hdr *h;
	if (ZERO_OR_NULL_PTR(p))
		return;
	h = (struct kabi_hdr *)p - 1;
	if (h->magic != KABI_HDR_MAGIC) /* the kernel would oops or corrupt the slab */
		kabi_crash("kfree() of %p, which kmalloc never returned (or freed twice)", p);
	h->magic = 0;
	h->prev->next = h->next;
	h->next->prev = h->prev;
	kabi_untracked_free(h);
}

size_t kabi_alloc_size(const void *p)
{
	return ((const struct kabi_hdr *)p - 1)->size;
}

static void kabi_free_list(struct kabi_hdr *l)
{
	struct kabi_hdr *h, *n;
	if (!l)
		return;
	for (h = l->next; h != l; h = n) {
		n = h->next;
		h->magic = 0;
		kabi_untracked_free(h);
	}
	kabi_untracked_free(l);
}

/* models mm/slab_common.c kmem_cache_create(): the cache object is global (it outlives
 * instances, like iova.c's iova_cache); its objects are tracked per instance. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *c = kabi_untracked_malloc(sizeof(*c));
	(void)flags;
	(void)ctor;
	if (c) {
		c->name = name;
		c->size = size;
		c->align = align;
	}
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	kabi_untracked_free(c);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return kabi_malloc(c->size, gfp);
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	(void)c;
	if (kabi_cur && kabi_cur->resv_n)
		kabi_resv_forget(kabi_cur, p); /* an iova freed by iova.c is no longer a node */
	kabi_free(p);
}

/* models mm/percpu.c alloc_percpu(): one block, NR_CPUS copies at a 64-byte stride */
void *kabi_alloc_percpu(size_t size, size_t align)
{
	size_t stride = ALIGN(size, max_t(size_t, align, 64));
	char *p = kabi_malloc(64 + stride * NR_CPUS, GFP_KERNEL | __GFP_ZERO);
	if (!p)
		return NULL;
	((size_t *)(p + 64))[-1] = stride;
	return p + 64;
}

void kabi_free_percpu(void *p)
{
	if (p)
		kabi_free((char *)p - 64);
}

/* ---- pages from the host, tracked per instance (hash on the block address) ---- */
const struct kabi_host *kabi_host_ops;
#define KABI_PG_TOMB 1UL

static size_t kabi_pg_slot(unsigned long a, size_t cap)
{
	return (size_t)((a >> 12) * 0x9E3779B97F4A7C15ULL) & (cap - 1);
}

static void kabi_pg_insert(struct kabi_inst *in, unsigned long addr, unsigned int order);

static void kabi_pg_grow(struct kabi_inst *in)
{
	struct kabi_pg *old = in->pg;
	size_t i, oc = in->pg_cap, nc = oc ? oc * 2 : 256;
	size_t live = 0;
	for (i = 0; i < oc; i++)
		if (old[i].addr > KABI_PG_TOMB)
			live++;
	while (live * 2 >= nc)
		nc *= 2;
	in->pg = kabi_untracked_malloc(nc * sizeof(*in->pg));
	in->pg_cap = nc;
	in->pg_used = 0;
	for (i = 0; i < oc; i++)
		if (old[i].addr > KABI_PG_TOMB)
			kabi_pg_insert(in, old[i].addr, old[i].order);
	kabi_untracked_free(old);
}

static void kabi_pg_insert(struct kabi_inst *in, unsigned long addr, unsigned int order)
{
	size_t i;
	if ((in->pg_used + 1) * 4 >= in->pg_cap * 3)
		kabi_pg_grow(in);
	for (i = kabi_pg_slot(addr, in->pg_cap);; i = (i + 1) & (in->pg_cap - 1)) {
		if (in->pg[i].addr == 0) {
			in->pg_used++;
			break;
		}
		if (in->pg[i].addr == KABI_PG_TOMB)
			break;
	}
	in->pg[i].addr = addr;
	in->pg[i].order = order;
}

static struct kabi_pg *kabi_pg_find(struct kabi_inst *in, unsigned long addr)
{
	size_t i;
	if (!in->pg_cap)
		return NULL;
	for (i = kabi_pg_slot(addr, in->pg_cap); in->pg[i].addr; i = (i + 1) & (in->pg_cap - 1))
		if (in->pg[i].addr == addr)
			return &in->pg[i];
	return NULL;
}

void *kabi_alloc_pages_raw(unsigned int order, gfp_t gfp)
{
	void *p;
	(void)gfp; /* the host's pages are always zeroed */
	BUG_ON(!kabi_cur);
	kabi_in_libc++;
	p = kabi_host_ops->alloc_pages(order);
	kabi_in_libc--;
	if (p)
		kabi_pg_insert(kabi_cur, (unsigned long)p, order);
	return p;
}

/* models __free_pages(): freeing a block the instance does not hold is a kernel BUG (bad page) */
void kabi_free_pages_raw(void *addr, unsigned int order)
{
	struct kabi_pg *e;
	BUG_ON(!kabi_cur);
	e = kabi_pg_find(kabi_cur, (unsigned long)addr);
	if (!e || e->order != order) /* the kernel's "Bad page state" */
		kabi_bug_msg("BUG: Bad page state: free of order-%u block %p the instance does not hold", order, addr);
	e->addr = KABI_PG_TOMB;
	kabi_in_libc++;
	kabi_host_ops->free_pages(addr, order);
	kabi_in_libc--;
}

/* models mm/page_alloc.c split_page(): an order-n block becomes 2^n order-0 pages */
void kabi_split_pages_raw(void *addr, unsigned int order)
{
	struct kabi_pg *e;
	unsigned long i;
	BUG_ON(!kabi_cur);
	e = kabi_pg_find(kabi_cur, (unsigned long)addr);
	BUG_ON(!e || e->order != order);
	e->order = 0;
	for (i = 1; i < (1UL << order); i++)
		kabi_pg_insert(kabi_cur, (unsigned long)addr + i * PAGE_SIZE, 0);
}

/* ---- dma_common_pages_remap() tokens: fake vmalloc addresses, never dereferenceable ---- */
#define KABI_VMALLOC_START 0xffffc90000000000UL
#define KABI_VMALLOC_END 0xffffe90000000000UL

bool is_vmalloc_addr(const void *x)
{
	unsigned long a = (unsigned long)x;
	return a >= KABI_VMALLOC_START && a < KABI_VMALLOC_END;
}

static struct kabi_remap *kabi_remap_find(const void *cpu_addr)
{
	size_t i;
	if (!kabi_cur)
		return NULL;
	for (i = 0; i < kabi_cur->remap_n; i++)
		if (kabi_cur->remap[i].token == (unsigned long)cpu_addr)
			return &kabi_cur->remap[i];
	return NULL;
}

/* models kernel/dma/remap.c dma_common_pages_remap(): no mapping is made, a token stands for it */
void *dma_common_pages_remap(struct page **pages, size_t size, pgprot_t prot, const void *caller)
{
	struct kabi_remap *r;
	(void)prot;
	(void)caller;
	if (kabi_ensure_cap((void **)&kabi_cur->remap, &kabi_cur->remap_cap, kabi_cur->remap_n + 1, sizeof(*r)))
		return NULL;
	if (!kabi_cur->remap_next)
		kabi_cur->remap_next = KABI_VMALLOC_START;
	r = &kabi_cur->remap[kabi_cur->remap_n++];
	r->token = kabi_cur->remap_next;
	r->size = size;
	r->pages = pages;
	r->live = 1;
	kabi_cur->remap_next += PAGE_ALIGN(size) + PAGE_SIZE; /* a guard page between tokens */
	return (void *)r->token;
}

/* models dma_common_contiguous_remap(): not modelled, reports failure (unreachable for a
 * blocking iommu_dma_alloc(), which takes the remap path) */
void *dma_common_contiguous_remap(struct page *page, size_t size, pgprot_t prot, const void *caller)
{
	(void)page, (void)size, (void)prot, (void)caller;
	return NULL;
}

/* models dma_common_find_pages() */
struct page **dma_common_find_pages(void *cpu_addr)
{
	struct kabi_remap *r = kabi_remap_find(cpu_addr);
	return r && r->live ? r->pages : NULL;
}

/* models dma_common_free_remap(): the token stays a vmalloc address, its pages are forgotten */
void dma_common_free_remap(void *cpu_addr, size_t size)
{
	struct kabi_remap *r = kabi_remap_find(cpu_addr);
	(void)size;
	if (r)
		r->live = 0;
}

struct page *vmalloc_to_page(const void *addr)
{
	(void)addr;
	return NULL;
}

/* ---- WARN, printk ---- */
void kabi_warn(const char *file, int line, const char *fmt, ...)
{
	char buf[512];
	int n;
	__builtin_va_list ap;
	struct kabi_inst *in = kabi_cur;
	char *s;
	if (!in)
		return;
	n = snprintf(buf, sizeof(buf), "%s:%d: ", file, line);
	__builtin_va_start(ap, fmt);
	kabi_in_libc++;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	kabi_in_libc--;
	__builtin_va_end(ap);
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	if (kabi_debug > 0) {
		__builtin_va_list none;
		(void)none;
		kabi_printk("WARNING: %s\n", buf);
	}
	if (kabi_ensure_cap((void **)&in->warn, &in->warn_cap, in->warn_n + 1, sizeof(char *)))
		return;
	s = kabi_untracked_malloc(n + 1);
	memcpy(s, buf, n + 1);
	in->warn[in->warn_n++] = s;
}

bool kabi_warn_once_seen(const void *site)
{
	struct kabi_inst *in = kabi_cur;
	size_t i;
	if (!in)
		return true;
	for (i = 0; i < in->once_n; i++)
		if (in->once[i] == site)
			return true;
	if (!kabi_ensure_cap((void **)&in->once, &in->once_cap, in->once_n + 1, sizeof(void *)))
		in->once[in->once_n++] = site;
	return false;
}

void kabi_printk(const char *fmt, ...)
{
	__builtin_va_list ap;
	if (kabi_debug < 0) {
		kabi_in_libc++;
		kabi_debug = getenv("IOVET_KERNEL_DEBUG") != NULL;
		kabi_in_libc--;
	}
	if (!kabi_debug)
		return;
	__builtin_va_start(ap, fmt);
	kabi_in_libc++;
	vdprintf(2, fmt, ap);
	kabi_in_libc--;
	__builtin_va_end(ap);
}

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') { *res = true; return 0; }
		if (s[1] == 'f' || s[1] == 'F') { *res = false; return 0; }
	}
	return -EINVAL;
}

/* drivers/pci/pci-driver.c's bus: dev_is_pci() compares a device's bus with it */
struct bus_type pci_bus_type = { .name = "pci" };

const char *dev_name(const struct device *dev)
{
	return dev && dev->init_name ? dev->init_name : "iovet-dev";
}

/* ---- instances ---- */
struct kabi_inst *kabi_inst_new(int kind)
{
	struct kabi_inst *in = kabi_untracked_malloc(sizeof(*in));
	if (in)
		in->kind = kind;
	return in;
}

void kabi_push_flush(struct kabi_inst *in, u64 iova, u64 size, u64 granule, int walk)
{
	struct kabi_flush *f;
	if (kabi_ensure_cap((void **)&in->fl, &in->fl_cap, in->fl_n + 1, sizeof(*f)))
		return;
	f = &in->fl[in->fl_n++];
	f->iova = iova;
	f->size = size;
	f->granule = granule;
	f->walk = walk;
}

void kabi_resv_track(struct kabi_inst *in, const void *iova)
{
	if (!iova || kabi_resv_has(in, iova))
		return;
	if (!kabi_ensure_cap((void **)&in->resv, &in->resv_cap, in->resv_n + 1, sizeof(void *)))
		in->resv[in->resv_n++] = iova;
}

void kabi_resv_forget(struct kabi_inst *in, const void *iova)
{
	size_t i;
	for (i = 0; i < in->resv_n; i++)
		if (in->resv[i] == iova) {
			in->resv[i] = in->resv[--in->resv_n];
			return;
		}
}

bool kabi_resv_has(struct kabi_inst *in, const void *iova)
{
	size_t i;
	for (i = 0; i < in->resv_n; i++)
		if (in->resv[i] == iova)
			return true;
	return false;
}

void kabi_inst_free_all(struct kabi_inst *in)
{
	size_t i;
	kabi_free_list(in->allocs);
	for (i = 0; i < in->pg_cap; i++)
		if (in->pg[i].addr > KABI_PG_TOMB) {
			kabi_in_libc++;
			kabi_host_ops->free_pages((void *)in->pg[i].addr, in->pg[i].order);
			kabi_in_libc--;
		}
	kabi_untracked_free(in->pg);
	for (i = in->warn_head; i < in->warn_n; i++)
		kabi_untracked_free(in->warn[i]);
	kabi_untracked_free(in->warn);
	kabi_untracked_free(in->once);
	kabi_untracked_free(in->remap);
	kabi_untracked_free(in->fl);
	kabi_untracked_free(in->resv);
	kabi_untracked_free(in->priv);
	kabi_untracked_free(in);
}
