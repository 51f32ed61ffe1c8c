/* iovet glue: helpers shared between glue files */
#ifndef KABI_GLUE_H
#define KABI_GLUE_H
struct io_pgtable_ops *kabi_pgtable_alloc(struct kabi_inst *in, const struct kabi_pgtable_cfg *c, u64 *pgsize_bitmap);
/* dma.c: the DMA API device over a domain another glue file (a real IOMMU driver) made */
struct kabi_dma_priv *kabi_dma_priv_new(struct kabi_inst *in);
struct device *kabi_dma_dev(struct kabi_inst *in);
int kabi_dma_setup_device(struct kabi_inst *in, struct iommu_domain *d, const struct kabi_dma_cfg *cfg, int *init_err);
void kabi_dma_put_device(struct kabi_inst *in);
#endif
