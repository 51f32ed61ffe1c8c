/* iovet shim: no device tree. */
#ifndef _KABI_LINUX_OF_H
#define _KABI_LINUX_OF_H
#define MAX_PHANDLE_ARGS 16
struct of_phandle_args { struct device_node *np; int args_count; u32 args[MAX_PHANDLE_ARGS]; };
static inline bool is_of_node(const struct fwnode_handle *f) { (void)f; return true; }
/* include/linux/mod_devicetable.h */
struct of_device_id { char name[32]; char type[32]; char compatible[128]; const void *data; };
/* of_property_read_*(): a node's properties are the glue's (name, value) list, e.g. the SMMU's
 * "#iommu-cells" = 1 and "dma-coherent"; an absent property is -EINVAL as in drivers/of */
struct kabi_of_prop { const char *name; u32 value; };
int of_property_read_u32(const struct device_node *np, const char *name, u32 *out);
bool of_property_read_bool(const struct device_node *np, const char *name);
static inline bool of_dma_is_coherent(struct device_node *np) { return of_property_read_bool(np, "dma-coherent"); }
#endif
