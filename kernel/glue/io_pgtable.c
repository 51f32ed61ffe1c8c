/* iovet glue: drivers/iommu/io-pgtable.c compiled unmodified over the shim */
#include <drivers/iommu/io-pgtable.c>
