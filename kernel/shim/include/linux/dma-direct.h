/* iovet shim: dma-direct is not used (every device is behind the IOMMU) */
