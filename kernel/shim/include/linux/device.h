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
};
struct device_driver { const char *name; };
static inline int dev_to_node(struct device *dev) { (void)dev; return NUMA_NO_NODE; }
static inline void set_dev_node(struct device *dev, int node) { (void)dev; (void)node; }
static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline bool dev_is_removable(struct device *dev) { (void)dev; return false; }
static inline struct device *get_device(struct device *d) { return d; }
static inline void put_device(struct device *d) { (void)d; }

#endif
