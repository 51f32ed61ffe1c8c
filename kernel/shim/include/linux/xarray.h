/* iovet shim: include/linux/xarray.h, the allocating xarray an IOMMU driver keeps its ASIDs
 * in: a sorted array of (index, entry), grown from untracked memory since the array outlives
 * any one instance (a static in the driver). */
#ifndef _KABI_LINUX_XARRAY_H
#define _KABI_LINUX_XARRAY_H
struct xa_limit { u32 max, min; };
#define XA_LIMIT(_min, _max) ((struct xa_limit){ .min = (_min), .max = (_max) })
struct xarray { unsigned int base; u32 *idx; void **ent; size_t n, cap; };
#define XA_FLAGS_ALLOC1 1
#define DEFINE_XARRAY_ALLOC1(name) struct xarray name = { .base = 1 }
#define DEFINE_XARRAY_ALLOC(name) struct xarray name = { .base = 0 }
void *xa_load(struct xarray *xa, unsigned long index);
void *xa_erase(struct xarray *xa, unsigned long index);
int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void xa_destroy(struct xarray *xa);
#endif
