/* iovet shim: no PCI ATS/PRI/PASID (CONFIG_PCI_ATS, CONFIG_PCI_PRI, CONFIG_PCI_PASID off, as
 * include/linux/pci-ats.h's own stubs): the simulated SMMU has no ATS (IDR0.ATS clear). */
#ifndef _KABI_LINUX_PCI_ATS_H
#define _KABI_LINUX_PCI_ATS_H
#include <linux/pci.h>
static inline bool pci_ats_supported(struct pci_dev *d) { (void)d; return false; }
static inline int pci_enable_ats(struct pci_dev *d, int ps) { (void)d; (void)ps; return -ENODEV; }
static inline void pci_disable_ats(struct pci_dev *d) { (void)d; }
static inline int pci_enable_pasid(struct pci_dev *d, int f) { (void)d; (void)f; return -EINVAL; }
static inline void pci_disable_pasid(struct pci_dev *d) { (void)d; }
static inline int pci_pasid_features(struct pci_dev *d) { (void)d; return -EINVAL; }
static inline int pci_max_pasids(struct pci_dev *d) { (void)d; return -EINVAL; }
#endif
