/* iovet shim: our model of struct device, reduced to what the DMA/IOMMU layers read. */
#ifndef _KABI_LINUX_DEVICE_H
#define _KABI_LINUX_DEVICE_H
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

struct bus_type { const char *name; };
struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned int min_align_mask;
	unsigned long segment_boundary_mask;
};
struct dma_map_ops;
struct dev_iommu;
struct iommu_group;
struct cma;
/* include/linux/device.h's dev_msi_info: no MSI domain (the SMMU's MSIs are not set up) */
struct dev_msi_info { void *domain; };
struct device {
	const char *init_name;
	struct bus_type *bus;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	u64 bus_dma_limit;
	struct device_dma_parameters *dma_parms;
	const struct dma_map_ops *dma_ops;
	struct dev_iommu *iommu;
	struct iommu_group *iommu_group;
	struct cma *cma_area;
	struct device_node *of_node;
	struct fwnode_handle *fwnode;
	void *driver_data;
	int numa_node;
	bool dma_coherent;
	bool dma_skip_sync;
	bool dma_ops_bypass;
	bool removable;
	struct dev_msi_info msi;
	struct kabi_devres_action *kabi_devres; /* devm actions, newest first (shim/devres.c) */
};
struct of_device_id;
struct device_driver { const char *name; const struct of_device_id *of_match_table; bool suppress_bind_attrs; };
static inline int dev_to_node(struct device *dev) { (void)dev; return NUMA_NO_NODE; }
static inline void set_dev_node(struct device *dev, int node) { (void)dev; (void)node; }
static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline bool dev_is_removable(struct device *dev) { (void)dev; return false; }
static inline struct device *get_device(struct device *d) { return d; }
static inline void put_device(struct device *d) { (void)d; }

/* drivers/base/devres.c (shim/devres.c) */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp) { return devm_kmalloc(dev, size, gfp | __GFP_ZERO); }
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t gfp)
{ size_t b; return __builtin_mul_overflow(n, size, &b) ? NULL : devm_kzalloc(dev, b, gfp); }
void devm_kfree(struct device *dev, const void *p);
unsigned long *devm_bitmap_zalloc(struct device *dev, unsigned int nbits, gfp_t gfp);
int devm_add_action(struct device *dev, void (*action)(void *), void *data);
int devm_add_action_or_reset(struct device *dev, void (*action)(void *), void *data);
void kabi_devres_release_all(struct device *dev); /* what unbinding the driver runs */
struct resource;
void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res); /* shim/mmio.c */
/* drivers/base/property.c, bus.c (shim/of.c) */
int device_property_read_u32(struct device *dev, const char *name, u32 *out);
bool device_property_read_bool(struct device *dev, const char *name);
struct fwnode_handle *dev_fwnode(const struct device *dev);
struct device *driver_find_device_by_fwnode(struct device_driver *drv, const struct fwnode_handle *fwnode);
#include <linux/ratelimit.h>
#endif
