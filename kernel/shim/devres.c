/* iovet shim: device-managed resources (drivers/base/devres.c, kernel/dma/mapping.c's dmam_*).
 * devm_ memory is the instance's tracked kmalloc memory and dmam_ memory its page-pool pages
 * (freed with the instance); devm actions run, newest first, when the glue releases the
 * device (devres_release_all() on unbind). Written for iovet. */
#include <kabi_shim.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>

struct kabi_devres_action {
	struct kabi_devres_action *next;
	void (*action)(void *);
	void *data;
};

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	(void)dev;
	return kmalloc(size, gfp);
}

void devm_kfree(struct device *dev, const void *p)
{
	(void)dev;
	kfree(p);
}

unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits, gfp_t gfp)
{
	return devm_kmalloc(dev, BITS_TO_LONGS(nbits) * sizeof(unsigned long), gfp | __GFP_ZERO);
}

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct kabi_devres_action *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	a->action = action;
	a->data = data;
	a->next = dev->kabi_devres;
	dev->kabi_devres = a;
	return 0;
}

int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data)
{
	int ret = devm_add_action(dev, action, data);

	if (ret)
		action(data);
	return ret;
}

void kabi_devres_release_all(struct device *dev)
{
	while (dev->kabi_devres) {
		struct kabi_devres_action *a = dev->kabi_devres;

		dev->kabi_devres = a->next;
		a->action(a->data);
		kfree(a);
	}
}

/* dmam_alloc_coherent(): zeroed pages from the pool; a coherent SMMU reads them where the CPU
 * wrote them (the dma address is the page's address, as without an IOMMU in front of it) */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp, unsigned long attrs)
{
	void *p;

	(void)dev;
	(void)attrs;
	p = kabi_alloc_pages_raw(get_order(size), gfp | __GFP_ZERO);
	if (p)
		*dma_handle = virt_to_phys(p);
	return p;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	(void)dev;
	(void)dma_handle;
	kabi_free_pages_raw(vaddr, get_order(size));
}

/* kernel/dma/mapping.c: the SMMU's own DMA masks (its table walks, queue accesses) */
int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask)
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	dev->coherent_dma_mask = mask;
	return 0;
}
