/* iovet shim: core API comes from the force-included prelude.h; mmap paths are not modelled */
#define vm_map_pages(...) (-ENXIO)
#define vmalloc_to_pfn(addr) page_to_pfn(vmalloc_to_page(addr))
#define remap_pfn_range(...) (-ENXIO)
