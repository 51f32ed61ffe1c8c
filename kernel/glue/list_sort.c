/* iovet glue: lib/list_sort.c compiled unmodified over the shim (dma-iommu.c sorts a PCI host
 * bridge's dma_ranges with it) */
#include <lib/list_sort.c>
