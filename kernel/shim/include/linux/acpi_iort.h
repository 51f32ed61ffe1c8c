/* iovet shim: no ACPI IORT (CONFIG_ACPI_IORT off, as include/linux/acpi_iort.h's stubs): no
 * reserved-memory (RMR) StreamIDs to install bypass STEs for */
struct list_head;
struct fwnode_handle;
static inline void iort_get_rmr_sids(struct fwnode_handle *f, struct list_head *h) { (void)f; (void)h; }
static inline void iort_put_rmr_sids(struct fwnode_handle *f, struct list_head *h) { (void)f; (void)h; }
#define iort_iommu_get_resv_regions(...) do { } while (0)
