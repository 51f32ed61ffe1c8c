/* iovet shim: just enough PCI for dma-iommu.c's iova_reserve_pci_windows() and its
 * dev_is_pci() tests. The glue makes a device PCI by putting it on pci_bus_type, behind a
 * host bridge whose windows and dma_ranges come from the case. */
#ifndef _KABI_LINUX_PCI_H
#define _KABI_LINUX_PCI_H
#include <linux/device.h>
#include <linux/ioport.h>

/* include/linux/resource_ext.h */
struct resource_entry {
	struct list_head node;
	struct resource *res;	/* CPU addresses */
	resource_size_t offset;	/* CPU address - bus address */
	struct resource __res;
};
#define resource_list_for_each_entry(entry, list) list_for_each_entry((entry), (list), node)

struct pci_host_bridge {
	struct list_head windows;	/* resource_entry */
	struct list_head dma_ranges;	/* resource_entry */
};
/* Linux finds the bridge from the root bus; here the one bus knows it. */
struct pci_bus { struct pci_host_bridge *bridge; };
struct pci_dev {
	struct device dev;
	struct pci_bus *bus;
	unsigned int untrusted : 1;
	unsigned short vendor, device;	/* read by arm_smmu_device_group() (never 0x19e5 here) */
	unsigned int pasid_enabled : 1;
};

#define PCI_VENDOR_ID_HUAWEI 0x19e5
extern struct bus_type pci_bus_type;
#define dev_is_pci(d) ((d)->bus == &pci_bus_type)
#define to_pci_dev(n) container_of(n, struct pci_dev, dev)
static inline struct pci_host_bridge *pci_find_host_bridge(struct pci_bus *bus) { return bus->bridge; }
#endif
