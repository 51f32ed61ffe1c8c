/* iovet shim: CONFIG_PCI is off; only the types dma-iommu.c names. Devices are never PCI. */
#ifndef _KABI_LINUX_PCI_H
#define _KABI_LINUX_PCI_H
#include <linux/device.h>

#define IORESOURCE_TYPE_BITS 0x00001f00
#define IORESOURCE_MEM 0x00000200
struct resource_entry {
	struct list_head node;
	struct resource *res;
	resource_size_t offset;
	struct resource __res;
};
#define resource_list_for_each_entry(entry, list) list_for_each_entry((entry), (list), node)
static inline unsigned long resource_type(const struct resource *res) { return res->flags & IORESOURCE_TYPE_BITS; }
struct pci_bus { int number; };
struct pci_dev {
	struct device dev;
	struct pci_bus *bus;
	unsigned int untrusted : 1;
};
struct pci_host_bridge {
	struct list_head windows;
	struct list_head dma_ranges;
};
#define dev_is_pci(d) (((void)(d)), false)
#define to_pci_dev(n) container_of(n, struct pci_dev, dev)
static inline struct pci_host_bridge *pci_find_host_bridge(struct pci_bus *bus) { (void)bus; return NULL; }
#endif
