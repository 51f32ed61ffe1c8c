/* iovet shim: glue-facing helpers of shim/iommu_core.c */
#ifndef KABI_IOMMU_CORE_H
#define KABI_IOMMU_CORE_H
struct iommu_group *kabi_group_new(struct iommu_domain *domain, const struct kabi_range *resv, size_t nr_resv);
#endif
