/* iovet shim: MSI descriptors are never used (no MSI cookie path is driven) */
#define msi_desc_to_dev(desc) (((void)(desc)), (struct device *)NULL)
#define msi_desc_set_iommu_msi_iova(...) do { } while (0)
