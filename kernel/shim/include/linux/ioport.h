/* iovet shim: include/linux/ioport.h, the resource helpers (struct resource is the prelude's). */
#ifndef _KABI_LINUX_IOPORT_H
#define _KABI_LINUX_IOPORT_H
#define IORESOURCE_TYPE_BITS 0x00001f00
#define IORESOURCE_MEM 0x00000200
static inline resource_size_t resource_size(const struct resource *res) { return res->end - res->start + 1; }
static inline unsigned long resource_type(const struct resource *res) { return res->flags & IORESOURCE_TYPE_BITS; }
#define DEFINE_RES_MEM(_start, _size) \
	((struct resource){ .start = (_start), .end = (_start) + (_size) - 1, .name = NULL, .flags = IORESOURCE_MEM })
#endif
