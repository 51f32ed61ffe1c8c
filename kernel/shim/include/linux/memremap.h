/* iovet shim: no ZONE_DEVICE */
#define is_pci_p2pdma_page(p) (((void)(p)), false)
