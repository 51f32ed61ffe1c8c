/* iovet shim: no ACPI IORT */
#define iort_iommu_get_resv_regions(...) do { } while (0)
