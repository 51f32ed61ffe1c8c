/* iovet glue: drivers/iommu/dma-iommu.c compiled unmodified, and the dma_* ABI entries.
 * A fake trusted device (a platform device, or a PCI device behind a host bridge with the
 * case's windows and dma_ranges) is attached to one IOMMU_DOMAIN_DMA(_FQ) domain, set up as
 * the IOMMU core would: the domain, then iommu_get_dma_cookie() and iommu_setup_dma_ops(dev, 0,
 * ~0ULL). The domain is this file's, whose ops drive io-pgtable-arm.c directly (dma_create),
 * or a real driver's (arm_smmu_v3.c's smmu_create). */
#include <kabi_shim.h>
#include <drivers/iommu/dma-iommu.c>
#include <linux/io-pgtable.h>
#include "kabi_glue.h"
#include "kabi_iommu_core.h"

struct kabi_dma_priv {
	struct iommu_domain own; /* dma_create's domain over the io-pgtable */
	struct iommu_domain_ops dops;
	struct iommu_domain *domain; /* the device's DMA domain: &own, or a driver's */
	struct pci_dev pdev; /* pdev.dev is the device; on pci_bus_type only when it is PCI */
	struct pci_bus bus;
	struct pci_host_bridge bridge;
	struct device_dma_parameters parms;
	u64 dma_mask;
	struct kabi_inst *inst;
	int cache_got;
};

#define kabi_dma_of(d) container_of(d, struct kabi_dma_priv, own)

/* the SMMU driver's domain ops, over the io-pgtable (models arm_smmu_map_pages & co.) */
static int kabi_dom_map_pages(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr, size_t pgsize,
			      size_t pgcount, int prot, gfp_t gfp, size_t *mapped)
{
	struct io_pgtable_ops *ops = kabi_dma_of(d)->inst->pgt;
	return ops->map_pages(ops, iova, paddr, pgsize, pgcount, prot, gfp, mapped);
}

static size_t kabi_dom_unmap_pages(struct iommu_domain *d, unsigned long iova, size_t pgsize, size_t pgcount,
				   struct iommu_iotlb_gather *gather)
{
	struct io_pgtable_ops *ops = kabi_dma_of(d)->inst->pgt;
	return ops->unmap_pages(ops, iova, pgsize, pgcount, gather);
}

static void kabi_dom_flush_iotlb_all(struct iommu_domain *d)
{
	kabi_push_flush(kabi_dma_of(d)->inst, 0, ~0ULL, 0, 1);
}

static void kabi_dom_iotlb_sync(struct iommu_domain *d, struct iommu_iotlb_gather *gather)
{
	/* the invalidations were recorded as tlb_add_page()/tlb_flush_walk() calls */
	(void)d, (void)gather;
}

static phys_addr_t kabi_dom_iova_to_phys(struct iommu_domain *d, dma_addr_t iova)
{
	struct io_pgtable_ops *ops = kabi_dma_of(d)->inst->pgt;
	return ops->iova_to_phys(ops, iova);
}

void kabi_dma_put_device(struct kabi_inst *in)
{
	struct kabi_dma_priv *p = in->priv;
	if (p->domain)
		iommu_put_dma_cookie(p->domain);
	if (p->cache_got)
		iova_cache_put();
}

static void kabi_dma_teardown(struct kabi_inst *in)
{
	kabi_dma_put_device(in);
	if (in->pgt)
		free_io_pgtable_ops(in->pgt);
}

/* A host bridge's resource list as the firmware parsers leave it, in the given order. */
static int kabi_resource_list(struct list_head *head, const struct kabi_resource_entry *e, size_t n)
{
	size_t i;

	INIT_LIST_HEAD(head);
	for (i = 0; i < n; i++) {
		struct resource_entry *r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r)
			return -ENOMEM;
		r->res = &r->__res;
		r->res->start = e[i].start;
		r->res->end = e[i].end;
		r->res->flags = IORESOURCE_MEM;
		r->offset = e[i].offset;
		list_add_tail(&r->node, head);
	}
	return 0;
}

static int kabi_pci_setup(struct kabi_dma_priv *p, const struct kabi_pci_bridge *b)
{
	if (kabi_resource_list(&p->bridge.windows, b->windows, b->nr_windows) ||
	    kabi_resource_list(&p->bridge.dma_ranges, b->dma_ranges, b->nr_dma_ranges))
		return -ENOMEM;
	p->bus.bridge = &p->bridge;
	p->pdev.bus = &p->bus;
	p->pdev.dev.bus = &pci_bus_type;
	return 0;
}

struct kabi_dma_priv *kabi_dma_priv_new(struct kabi_inst *in)
{
	struct kabi_dma_priv *p = kabi_untracked_malloc(sizeof(*p));

	p->inst = in;
	in->priv = p;
	return p;
}

struct device *kabi_dma_dev(struct kabi_inst *in)
{
	return &((struct kabi_dma_priv *)in->priv)->pdev.dev;
}

/* The device with the case's masks, parameters and bus, its group's default domain d, and
 * dma-iommu's cookie over it, as iommu_probe_device() + iommu_setup_dma_ops() leave them. */
int kabi_dma_setup_device(struct kabi_inst *in, struct iommu_domain *d, const struct kabi_dma_cfg *cfg, int *init_err)
{
	struct kabi_dma_priv *p = in->priv;
	struct device *dev = &p->pdev.dev;
	int ret;

	if (!iommu_dma_init()) /* arch_initcall: iova_cache_get() */
		p->cache_got = 1;
	p->domain = d;
	p->dma_mask = cfg->dma_mask;
	p->parms.max_segment_size = cfg->max_seg_size;
	p->parms.segment_boundary_mask = cfg->seg_boundary_mask;
	dev->init_name = "iovet-dev";
	dev->dma_mask = &p->dma_mask;
	dev->coherent_dma_mask = cfg->coherent_dma_mask;
	dev->dma_parms = &p->parms;
	dev->dma_coherent = !!cfg->coherent;
	dev->iommu_group = kabi_group_new(d, cfg->reserved, cfg->nr_reserved);
	if (!dev->iommu_group)
		return -ENOMEM;
	if (cfg->pci && (ret = kabi_pci_setup(p, cfg->pci)))
		return ret;

	ret = iommu_get_dma_cookie(d);
	if (ret)
		return ret;
	in->iovad = &d->iova_cookie->iovad;
	/* iommu_setup_dma_ops() only warns on failure; the same call first tells us the errno
	 * (a second iommu_dma_init_domain() on an initialised domain is a no-op returning 0) */
	*init_err = iommu_dma_init_domain(d, 0, ~0ULL, dev);
	if (*init_err)
		return 0;
	iommu_setup_dma_ops(dev, 0, ~0ULL);
	return dev->dma_ops == &iommu_dma_ops ? 0 : -ENODEV;
}

static int kabi_dma_setup(struct kabi_inst *in, struct kabi_dma_priv *p, const struct kabi_dma_cfg *cfg,
			  int *init_err)
{
	struct iommu_domain *d = &p->own;
	u64 bitmap = 0;

	in->teardown = kabi_dma_teardown;
	in->pgt = kabi_pgtable_alloc(in, &cfg->pgtable, &bitmap);
	if (!in->pgt)
		return -EINVAL;

	p->dops.map_pages = kabi_dom_map_pages;
	p->dops.unmap_pages = kabi_dom_unmap_pages;
	p->dops.flush_iotlb_all = kabi_dom_flush_iotlb_all;
	p->dops.iotlb_sync = kabi_dom_iotlb_sync;
	p->dops.iova_to_phys = kabi_dom_iova_to_phys;
	d->type = cfg->lazy ? IOMMU_DOMAIN_DMA_FQ : IOMMU_DOMAIN_DMA;
	d->ops = &p->dops;
	d->pgsize_bitmap = bitmap;
	d->geometry.aperture_start = cfg->aperture_start;
	d->geometry.aperture_end = cfg->aperture_end;
	d->geometry.force_aperture = true;
	return kabi_dma_setup_device(in, d, cfg, init_err);
}

int kabi_dma_create(struct kabi_inst **out, const struct kabi_dma_cfg *cfg, int *setup_err, int *init_err)
{
	struct kabi_inst *in = kabi_inst_new(KABI_KIND_DMA);
	struct kabi_dma_priv *p = kabi_dma_priv_new(in);
	int ret = 0, init = 0, st;

	st = KABI_GUARD(in, ret = kabi_dma_setup(in, p, cfg, &init));
	*out = in;
	if (!st) {
		*setup_err = ret;
		*init_err = init;
	}
	return st;
}

#define KDEV(in) kabi_dma_dev(in)

int kabi_dma_map_page(struct kabi_inst *in, uint64_t page_phys, uint64_t offset, uint64_t size, int dir,
		      uint64_t *handle)
{
	dma_addr_t h = 0;
	int st = KABI_GUARD(in, h = iommu_dma_map_page(KDEV(in), phys_to_page(page_phys), offset, size, dir, 0));
	if (!st)
		*handle = h;
	return st;
}

int kabi_dma_unmap_page(struct kabi_inst *in, uint64_t handle, uint64_t size, int dir)
{
	return KABI_GUARD(in, iommu_dma_unmap_page(KDEV(in), handle, size, dir, 0));
}

static struct scatterlist *kabi_sg_build(const struct kabi_sg *sg, int nents, bool with_dma)
{
	struct scatterlist *sgl = kcalloc(nents > 0 ? nents : 1, sizeof(*sgl), GFP_KERNEL);
	int i;
	if (!sgl)
		return NULL;
	sg_init_table(sgl, nents > 0 ? nents : 1);
	for (i = 0; i < nents; i++) {
		sg_set_page(&sgl[i], phys_to_page(sg[i].page_phys), sg[i].length, sg[i].offset);
		if (with_dma) {
			sg_dma_address(&sgl[i]) = sg[i].dma_address;
			sg_dma_len(&sgl[i]) = sg[i].dma_length;
		}
	}
	return sgl;
}

static int kabi_map_sg(struct kabi_inst *in, struct kabi_sg *sg, int nents, int dir)
{
	struct scatterlist *sgl = kabi_sg_build(sg, nents, false), *s;
	int ret, i;
	if (!sgl)
		return -ENOMEM;
	ret = iommu_dma_map_sg(KDEV(in), sgl, nents, dir, 0);
	for_each_sg(sgl, s, nents, i) {
		sg[i].page_phys = page_to_phys(sg_page(s));
		sg[i].offset = s->offset;
		sg[i].length = s->length;
		sg[i].dma_address = sg_dma_address(s);
		sg[i].dma_length = sg_dma_len(s);
	}
	kfree(sgl);
	return ret;
}

int kabi_dma_map_sg(struct kabi_inst *in, struct kabi_sg *sg, int nents, int dir, int *ret)
{
	int r = 0;
	int st = KABI_GUARD(in, r = kabi_map_sg(in, sg, nents, dir));
	if (!st)
		*ret = r;
	return st;
}

static void kabi_unmap_sg(struct kabi_inst *in, struct kabi_sg *sg, int nents, int dir)
{
	struct scatterlist *sgl = kabi_sg_build(sg, nents, true);
	if (!sgl)
		return;
	iommu_dma_unmap_sg(KDEV(in), sgl, nents, dir, 0);
	kfree(sgl);
}

int kabi_dma_unmap_sg(struct kabi_inst *in, struct kabi_sg *sg, int nents, int dir)
{
	return KABI_GUARD(in, kabi_unmap_sg(in, sg, nents, dir));
}

int kabi_dma_alloc(struct kabi_inst *in, uint64_t size, uint64_t *handle, uint64_t *cpu_addr, uint64_t *pages,
		   size_t cap, size_t *npages)
{
	dma_addr_t h = DMA_MAPPING_ERROR;
	void *cpu = NULL;
	size_t cnt = 0;
	int st = KABI_GUARD(in, {
		size_t i;
		cpu = iommu_dma_alloc(KDEV(in), size, &h, GFP_KERNEL, 0);
		if (!cpu) {
			h = DMA_MAPPING_ERROR;
		} else {
			struct page **pp = is_vmalloc_addr(cpu) ? dma_common_find_pages(cpu) : NULL;
			struct page *first = pp ? NULL : virt_to_page(cpu);
			cnt = PAGE_ALIGN(size) >> PAGE_SHIFT;
			for (i = 0; i < cnt && i < cap; i++)
				pages[i] = page_to_phys(pp ? pp[i] : first + i);
		}
	});
	if (!st) {
		*handle = h;
		*cpu_addr = (unsigned long)cpu;
		*npages = cnt;
	}
	return st;
}

int kabi_dma_free(struct kabi_inst *in, uint64_t size, uint64_t cpu_addr, uint64_t handle)
{
	return KABI_GUARD(in, iommu_dma_free(KDEV(in), size, (void *)(unsigned long)cpu_addr, handle, 0));
}

int kabi_dma_iommu_unmap(struct kabi_inst *in, uint64_t iova, uint64_t size, uint64_t *unmapped)
{
	size_t u = 0;
	int st = KABI_GUARD(in, u = iommu_unmap(((struct kabi_dma_priv *)in->priv)->domain, iova, size));
	if (!st)
		*unmapped = u;
	return st;
}

/* the flush queue's timer firing: fq_flush_timeout() when the domain is lazy and
 * queue_iova() armed it (a timer nobody armed never fires) */
static void kabi_fq_fire(struct kabi_inst *in)
{
	struct iommu_dma_cookie *cookie = ((struct kabi_dma_priv *)in->priv)->domain->iova_cookie;
	if (!cookie || !cookie->fq_domain || !cookie->fq_timer.pending)
		return;
	cookie->fq_timer.pending = 0;
	cookie->fq_timer.function(&cookie->fq_timer);
}

int kabi_dma_fq_timeout(struct kabi_inst *in)
{
	return KABI_GUARD(in, kabi_fq_fire(in));
}

int kabi_dma_fq_pfns(struct kabi_inst *in, struct kabi_range *buf, size_t cap, size_t *n)
{
	size_t cnt = 0;
	int st = KABI_GUARD(in, {
		struct iommu_dma_cookie *cookie = ((struct kabi_dma_priv *)in->priv)->domain->iova_cookie;
		unsigned int cpu, idx;
		if (cookie && cookie->fq_domain) {
			for_each_possible_cpu(cpu) {
				struct iova_fq *fq = per_cpu_ptr(cookie->fq, cpu);
				fq_ring_for_each(idx, fq) {
					if (cnt < cap) {
						buf[cnt].lo = fq->entries[idx].iova_pfn;
						buf[cnt].hi = fq->entries[idx].iova_pfn + fq->entries[idx].pages - 1;
					}
					cnt++;
				}
			}
		}
	});
	if (!st)
		*n = cnt;
	return st;
}
