/* iovet shim: no architecture DMA ops (a macro: the parameter list differs between trees) */
#define get_arch_dma_ops(...) ((const struct dma_map_ops *)NULL)
