/* iovet shim: the few IOMMU-core functions dma-iommu.c calls, written for iovet following the
 * user's tree's drivers/iommu/iommu.c (6.1) over domain->ops->map_pages/unmap_pages; iommu.c
 * itself is too entangled with buses, groups and sysfs to compile. */
#include <kabi_shim.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/dma-map-ops.h>
#include <linux/swiotlb.h>
#include "kabi_iommu_core.h"

/* models iommu.c's private struct iommu_group: just the domains the device is attached to */
struct iommu_group {
	struct iommu_domain *default_domain;
	struct iommu_domain *domain;
	const struct kabi_range *resv;
	size_t nr_resv;
};

struct iommu_group *kabi_group_new(struct iommu_domain *domain, const struct kabi_range *resv, size_t nr_resv)
{
	struct iommu_group *g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return NULL;
	g->default_domain = g->domain = domain;
	if (nr_resv) {
		struct kabi_range *copy = kcalloc(nr_resv, sizeof(*copy), GFP_KERNEL);
		if (!copy)
			return NULL;
		memcpy(copy, resv, nr_resv * sizeof(*copy));
		g->resv = copy;
		g->nr_resv = nr_resv;
	}
	return g;
}

/* models iommu_get_domain_for_dev() */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	return dev->iommu_group ? dev->iommu_group->domain : NULL;
}

/* models iommu_get_dma_domain() */
struct iommu_domain *iommu_get_dma_domain(struct device *dev)
{
	return dev->iommu_group->default_domain;
}

/* models iommu_deferred_attach(): the device is always attached already */
int iommu_deferred_attach(struct device *dev, struct iommu_domain *domain)
{
	(void)dev, (void)domain;
	return 0;
}

/* models iommu_alloc_resv_region() */
struct iommu_resv_region *iommu_alloc_resv_region(phys_addr_t start, size_t length, int prot,
						  enum iommu_resv_type type, gfp_t gfp)
{
	struct iommu_resv_region *r = kzalloc(sizeof(*r), gfp);
	if (!r)
		return NULL;
	INIT_LIST_HEAD(&r->list);
	r->start = start;
	r->length = length;
	r->prot = prot;
	r->type = type;
	return r;
}

/* models iommu_get_resv_regions(): the driver's get_resv_regions reports the configured
 * ranges as IOMMU_RESV_RESERVED */
void iommu_get_resv_regions(struct device *dev, struct list_head *list)
{
	struct iommu_group *g = dev->iommu_group;
	size_t i;
	for (i = 0; g && i < g->nr_resv; i++) {
		struct iommu_resv_region *r = iommu_alloc_resv_region(
			g->resv[i].lo, g->resv[i].hi - g->resv[i].lo + 1, 0, IOMMU_RESV_RESERVED, GFP_KERNEL);
		if (r)
			list_add_tail(&r->list, list);
	}
}

/* models iommu_put_resv_regions() */
void iommu_put_resv_regions(struct device *dev, struct list_head *list)
{
	struct iommu_resv_region *r, *n;
	list_for_each_entry_safe(r, n, list, list) {
		if (r->free)
			r->free(dev, r);
		else
			kfree(r);
	}
}

/* models iommu_iova_to_phys() */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type == IOMMU_DOMAIN_BLOCKED)
		return 0;
	return domain->ops->iova_to_phys(domain, iova);
}

/* models iommu_pgsize(): the largest supported page size that fits the size and the
 * alignment of iova|paddr, and how many of it to map before a larger size becomes usable */
static size_t kabi_iommu_pgsize(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
				size_t size, size_t *count)
{
	unsigned long merged = paddr | iova;
	unsigned long sizes = domain->pgsize_bitmap & GENMASK(__fls(size), 0);
	unsigned long bigger;
	unsigned int idx;
	size_t pgsize, next, to_next, end;

	if (merged)
		sizes &= GENMASK(__ffs(merged), 0);
	BUG_ON(!sizes);
	idx = __fls(sizes);
	pgsize = BIT(idx);
	if (!count)
		return pgsize;

	bigger = domain->pgsize_bitmap & ~GENMASK(idx, 0);
	if (bigger) {
		next = BIT(__ffs(bigger));
		/* only worth stopping early when iova and paddr share the offset in it */
		if (!((iova ^ paddr) & (next - 1))) {
			to_next = next - (merged & (next - 1));
			if (!__builtin_add_overflow(to_next, next, &end) && end <= size)
				size = to_next;
		}
	}
	*count = size >> idx;
	return pgsize;
}

/* models __iommu_map_pages() */
static int kabi_map_pages(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
			  size_t size, int prot, gfp_t gfp, size_t *mapped)
{
	const struct iommu_domain_ops *ops = domain->ops;
	size_t count, pgsize = kabi_iommu_pgsize(domain, iova, paddr, size, &count);
	int ret;

	if (ops->map_pages)
		return ops->map_pages(domain, iova, paddr, pgsize, count, prot, gfp, mapped);
	ret = ops->map(domain, iova, paddr, pgsize, prot, gfp);
	*mapped = ret ? 0 : pgsize;
	return ret;
}

/* models __iommu_map() */
static int kabi_iommu_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
			  size_t size, int prot, gfp_t gfp)
{
	const struct iommu_domain_ops *ops = domain->ops;
	unsigned long iova0 = iova;
	size_t size0 = size;
	unsigned int min_pagesz;
	int ret = 0;

	if (unlikely(!(ops->map || ops->map_pages) || !domain->pgsize_bitmap))
		return -ENODEV;
	if (unlikely(!(domain->type & __IOMMU_DOMAIN_PAGING)))
		return -EINVAL;
	min_pagesz = 1 << __ffs(domain->pgsize_bitmap);
	if (!IS_ALIGNED(iova | paddr | size, min_pagesz)) {
		pr_err("unaligned: iova 0x%lx pa 0x%llx size 0x%zx min_pagesz 0x%x\n", iova, paddr, size, min_pagesz);
		return -EINVAL;
	}
	while (size) {
		size_t mapped = 0;
		ret = kabi_map_pages(domain, iova, paddr, size, prot, gfp, &mapped);
		size -= mapped; /* a partial map still counts, so the unroll covers it */
		if (ret)
			break;
		iova += mapped;
		paddr += mapped;
	}
	if (ret)
		iommu_unmap(domain, iova0, size0 - size);
	return ret;
}

/* models _iommu_map() */
static int kabi_iommu_map_sync(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
			       size_t size, int prot, gfp_t gfp)
{
	int ret = kabi_iommu_map(domain, iova, paddr, size, prot, gfp);
	if (!ret && domain->ops->iotlb_sync_map)
		domain->ops->iotlb_sync_map(domain, iova, size);
	return ret;
}

/* models iommu_map() (6.1 signature, without gfp) */
int iommu_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr, size_t size, int prot)
{
	return kabi_iommu_map_sync(domain, iova, paddr, size, prot, GFP_KERNEL);
}

/* models iommu_map_atomic() */
int iommu_map_atomic(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr, size_t size, int prot)
{
	return kabi_iommu_map_sync(domain, iova, paddr, size, prot, GFP_ATOMIC);
}

/* models __iommu_unmap_pages() */
static size_t kabi_unmap_pages(struct iommu_domain *domain, unsigned long iova, size_t size,
			       struct iommu_iotlb_gather *gather)
{
	const struct iommu_domain_ops *ops = domain->ops;
	size_t count, pgsize = kabi_iommu_pgsize(domain, iova, iova, size, &count);

	if (ops->unmap_pages)
		return ops->unmap_pages(domain, iova, pgsize, count, gather);
	return ops->unmap(domain, iova, pgsize, gather);
}

/* models __iommu_unmap(): stops at the first hole */
static size_t kabi_iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size,
			       struct iommu_iotlb_gather *gather)
{
	const struct iommu_domain_ops *ops = domain->ops;
	size_t done = 0, step;
	unsigned int min_pagesz;

	if (unlikely(!(ops->unmap || ops->unmap_pages) || !domain->pgsize_bitmap))
		return 0;
	if (unlikely(!(domain->type & __IOMMU_DOMAIN_PAGING)))
		return 0;
	min_pagesz = 1 << __ffs(domain->pgsize_bitmap);
	if (!IS_ALIGNED(iova | size, min_pagesz)) {
		pr_err("unaligned: iova 0x%lx size 0x%zx min_pagesz 0x%x\n", iova, size, min_pagesz);
		return 0;
	}
	while (done < size) {
		step = kabi_unmap_pages(domain, iova, size - done, gather);
		if (!step)
			break;
		iova += step;
		done += step;
	}
	return done;
}

/* models iommu_unmap() */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct iommu_iotlb_gather gather;
	size_t ret;

	iommu_iotlb_gather_init(&gather);
	ret = kabi_iommu_unmap(domain, iova, size, &gather);
	iommu_iotlb_sync(domain, &gather);
	return ret;
}

/* models iommu_unmap_fast() */
size_t iommu_unmap_fast(struct iommu_domain *domain, unsigned long iova, size_t size,
			struct iommu_iotlb_gather *gather)
{
	return kabi_iommu_unmap(domain, iova, size, gather);
}

/* models __iommu_map_sg(): physically contiguous runs are mapped as one; segments marked as
 * bus addresses are skipped */
static ssize_t kabi_iommu_map_sg(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
				 unsigned int nents, int prot, gfp_t gfp)
{
	size_t len = 0, mapped = 0;
	phys_addr_t start = 0;
	unsigned int i = 0;
	int ret;

	while (i <= nents) {
		phys_addr_t s_phys = sg_phys(sg);

		if (len && s_phys != start + len) {
			ret = kabi_iommu_map(domain, iova + mapped, start, len, prot, gfp);
			if (ret) {
				iommu_unmap(domain, iova, mapped);
				return ret;
			}
			mapped += len;
			len = 0;
		}
#ifdef sg_is_dma_bus_address
		if (!sg_is_dma_bus_address(sg))
#endif
		{
			if (len) {
				len += sg->length;
			} else {
				len = sg->length;
				start = s_phys;
			}
		}
		if (++i < nents)
			sg = sg_next(sg);
	}
	if (domain->ops->iotlb_sync_map)
		domain->ops->iotlb_sync_map(domain, iova, mapped);
	return mapped;
}

/* models iommu_map_sg() */
ssize_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
		     unsigned int nents, int prot)
{
	return kabi_iommu_map_sg(domain, iova, sg, nents, prot, GFP_KERNEL);
}

/* models iommu_map_sg_atomic() */
ssize_t iommu_map_sg_atomic(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
			    unsigned int nents, int prot)
{
	return kabi_iommu_map_sg(domain, iova, sg, nents, prot, GFP_ATOMIC);
}

/* ---- DMA-API pieces the compiled files call (kernel/dma/mapping.c, swiotlb.c, arch) ---- */

/* models arch_sync_dma_for_device()/arch_sync_dma_for_cpu(): cache maintenance, nothing to do */
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size, enum dma_data_direction dir)
{
	(void)paddr, (void)size, (void)dir;
}

void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size, enum dma_data_direction dir)
{
	(void)paddr, (void)size, (void)dir;
}


/* models kernel/dma/mapping.c dma_pgprot() */
pgprot_t dma_pgprot(struct device *dev, pgprot_t prot, unsigned long attrs)
{
	(void)dev, (void)attrs;
	return prot;
}

/* models dma_map_page_attrs() for a device without dma_ops (io-pgtable's iommu_dev): direct */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *pg, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	if (dev->dma_ops)
		return dev->dma_ops->map_page(dev, pg, offset, size, dir, attrs);
	return page_to_phys(pg) + offset;
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir,
			  unsigned long attrs)
{
	if (dev->dma_ops)
		dev->dma_ops->unmap_page(dev, addr, size, dir, attrs);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	(void)dev, (void)addr, (void)size, (void)dir;
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	(void)dev, (void)addr, (void)size, (void)dir;
}

/* models kernel/dma/ops_helpers.c dma_common_alloc_pages(): not modelled (the .alloc_pages op
 * is never driven), reports failure */
struct page *dma_common_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
				    enum dma_data_direction dir, gfp_t gfp)
{
	(void)dev, (void)size, (void)dma_handle, (void)dir, (void)gfp;
	return NULL;
}

void dma_common_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
			   enum dma_data_direction dir)
{
	(void)dev, (void)size, (void)page, (void)dma_handle, (void)dir;
}

/* ---- what an IOMMU driver registers and its masters' firmware specs (iommu.c) ---- */

/* models iommu_device_register(): there is one IOMMU, which the glue knows; no global list */
int iommu_device_register(struct iommu_device *iommu, const struct iommu_ops *ops, struct device *hwdev)
{
	iommu->ops = ops;
	iommu->dev = hwdev;
	iommu->fwnode = dev_fwnode(hwdev);
	return 0;
}

void iommu_device_unregister(struct iommu_device *iommu)
{
	iommu->ops = NULL;
}

/* models iommu_device_sysfs_add()/remove(): no sysfs */
int iommu_device_sysfs_add(struct iommu_device *iommu, struct device *parent, const struct attribute_group **groups,
			   const char *fmt, ...)
{
	(void)iommu, (void)parent, (void)groups, (void)fmt;
	return 0;
}

void iommu_device_sysfs_remove(struct iommu_device *iommu)
{
	(void)iommu;
}

/* models iommu_fwspec_init() (with dev_iommu_get()) */
int iommu_fwspec_init(struct device *dev, struct fwnode_handle *iommu_fwnode, const struct iommu_ops *ops)
{
	struct iommu_fwspec *fwspec;

	if (!dev->iommu && !(dev->iommu = kzalloc(sizeof(*dev->iommu), GFP_KERNEL)))
		return -ENOMEM;
	fwspec = dev->iommu->fwspec;
	if (fwspec)
		return ops == fwspec->ops ? 0 : -EINVAL;
	fwspec = kzalloc(sizeof(*fwspec) + sizeof(fwspec->ids[0]), GFP_KERNEL);
	if (!fwspec)
		return -ENOMEM;
	fwspec->iommu_fwnode = iommu_fwnode;
	fwspec->ops = ops;
	dev->iommu->fwspec = fwspec;
	return 0;
}

/* models iommu_fwspec_add_ids() (krealloc of the flexible ids[]) */
int iommu_fwspec_add_ids(struct device *dev, u32 *ids, int num_ids)
{
	struct iommu_fwspec *fwspec = dev->iommu ? dev->iommu->fwspec : NULL;
	struct iommu_fwspec *grown;
	int i, n;

	if (!fwspec)
		return -EINVAL;
	n = fwspec->num_ids + num_ids;
	if (n > 1) {
		grown = kzalloc(sizeof(*grown) + n * sizeof(grown->ids[0]), GFP_KERNEL);
		if (!grown)
			return -ENOMEM;
		memcpy(grown, fwspec, sizeof(*fwspec) + fwspec->num_ids * sizeof(fwspec->ids[0]));
		kfree(fwspec);
		dev->iommu->fwspec = fwspec = grown;
	}
	for (i = 0; i < num_ids; i++)
		fwspec->ids[fwspec->num_ids + i] = ids[i];
	fwspec->num_ids += num_ids;
	return 0;
}

/* models generic_device_group() and pci_device_group() (no aliases: one group per device) */
struct iommu_group *generic_device_group(struct device *dev)
{
	(void)dev;
	return kabi_group_new(NULL, NULL, 0) ?: ERR_PTR(-ENOMEM);
}

struct iommu_group *pci_device_group(struct device *dev)
{
	return generic_device_group(dev);
}

/* models iommu_report_device_fault(): no device registered a fault handler
 * (iommu_register_device_fault_handler() is never called), so -EINVAL */
int iommu_report_device_fault(struct device *dev, struct iommu_fault_event *evt)
{
	(void)dev, (void)evt;
	return -EINVAL;
}
