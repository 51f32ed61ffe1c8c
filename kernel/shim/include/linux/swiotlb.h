/* iovet shim: no SWIOTLB (devices are trusted, CONFIG_SWIOTLB off). Macros, since the
 * parameter lists differ between trees. */
#ifndef _KABI_LINUX_SWIOTLB_H
#define _KABI_LINUX_SWIOTLB_H
#define is_swiotlb_buffer(...) false
#define is_swiotlb_active(...) false
#define swiotlb_sync_single_for_cpu(...) do { } while (0)
#define swiotlb_sync_single_for_device(...) do { } while (0)
#define swiotlb_tbl_map_single(...) ({ BUG(); (phys_addr_t)0; })
#define swiotlb_tbl_unmap_single(...) BUG()
#define swiotlb_max_mapping_size(...) SIZE_MAX
#endif
