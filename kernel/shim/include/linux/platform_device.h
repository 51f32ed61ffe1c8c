/* iovet shim: include/linux/platform_device.h, reduced to what an IOMMU driver's probe reads:
 * one device, its MEM resources, its named interrupts (none here: the glue gives no IRQ, so
 * the driver polls CMD_SYNC and the event queue is read on request). */
#ifndef _KABI_LINUX_PLATFORM_DEVICE_H
#define _KABI_LINUX_PLATFORM_DEVICE_H
#include <linux/device.h>
#include <linux/of.h>
#include <linux/ioport.h>
struct platform_device {
	const char *name;
	struct device dev;
	u32 num_resources;
	struct resource *resource;
};
#define to_platform_device(x) container_of((x), struct platform_device, dev)
struct platform_driver {
	int (*probe)(struct platform_device *);
	int (*remove)(struct platform_device *);
	void (*shutdown)(struct platform_device *);
	struct device_driver driver;
};
static inline struct resource *platform_get_resource(struct platform_device *pdev, unsigned int type, unsigned int num)
{
	u32 i;
	for (i = 0; i < pdev->num_resources; i++)
		if ((pdev->resource[i].flags & type) && num-- == 0)
			return &pdev->resource[i];
	return NULL;
}
/* no interrupt line is described: -ENXIO, as for a node without "interrupt-names" */
static inline int platform_get_irq_byname_optional(struct platform_device *pdev, const char *name)
{ (void)pdev; (void)name; return -ENXIO; }
static inline void *platform_get_drvdata(const struct platform_device *pdev) { return dev_get_drvdata(&pdev->dev); }
static inline void platform_set_drvdata(struct platform_device *pdev, void *data) { pdev->dev.driver_data = data; }
static inline int platform_driver_register(struct platform_driver *drv) { (void)drv; return 0; }
static inline void platform_driver_unregister(struct platform_driver *drv) { (void)drv; }
/* no MSI domain (CONFIG_GENERIC_MSI_IRQ_DOMAIN off): never reached, the SMMU has no IDR0.MSI */
static inline int platform_msi_domain_alloc_irqs(struct device *dev, unsigned int nvec, void (*write)(struct msi_desc *, struct msi_msg *))
{ (void)dev; (void)nvec; (void)write; return -ENODEV; }
static inline void platform_msi_domain_free_irqs(struct device *dev) { (void)dev; }
/* module_platform_driver(): the glue calls probe/remove itself */
#define module_platform_driver(drv) static __maybe_unused struct platform_driver *__kabi_pdrv_##drv = &(drv)
#endif
