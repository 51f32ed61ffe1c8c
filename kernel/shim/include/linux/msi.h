#ifndef _KABI_LINUX_MSI_H
#define _KABI_LINUX_MSI_H
/* iovet shim: MSI descriptors are never used (no MSI cookie path is driven; the simulated
 * SMMU has no MSI, IDR0.MSI clear, so arm_smmu_setup_msis() returns early) */
struct msi_msg { u32 address_lo, address_hi, data; };
struct msi_desc { u16 msi_index; struct device *dev; };
static inline unsigned int msi_get_virq(struct device *dev, unsigned int index) { (void)dev; (void)index; return 0; }
#define msi_desc_to_dev(desc) (((void)(desc)), (struct device *)NULL)
#define msi_desc_set_iommu_msi_iova(...) do { } while (0)
#endif
