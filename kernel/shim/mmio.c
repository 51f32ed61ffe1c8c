/* iovet shim: MMIO. An __iomem address is what devm_ioremap_resource() returned, the
 * resource's start; each access becomes a call to the running instance's MMIO host callback
 * with the offset from the instance's window (the simulated device's register file). Written
 * for iovet; stands in for arm64's readl_relaxed() & co. and lib/devres.c's
 * devm_ioremap_resource(). */
#include <kabi_shim.h>
#include <linux/device.h>
#include <linux/ioport.h>

static u64 kabi_mmio_offset(const volatile void __iomem *addr, unsigned int size)
{
	struct kabi_inst *in = kabi_cur;
	u64 off;

	BUG_ON(!in);
	off = (u64)(unsigned long)addr - in->mmio_base;
	/* an access outside the window or unaligned is an external abort on arm64 */
	if (!in->mmio.read || off >= in->mmio_size || (off & (size - 1)))
		kabi_crash("SError: MMIO access of %u bytes at %p outside the device's registers", size, addr);
	return off;
}

u64 kabi_mmio_read(const volatile void __iomem *addr, unsigned int size)
{
	struct kabi_inst *in = kabi_cur;
	u64 off = kabi_mmio_offset(addr, size), v;

	kabi_in_libc++;
	v = in->mmio.read(in->mmio.ctx, off, size);
	kabi_in_libc--;
	return v;
}

void kabi_mmio_write(volatile void __iomem *addr, u64 val, unsigned int size)
{
	struct kabi_inst *in = kabi_cur;
	u64 off = kabi_mmio_offset(addr, size);

	kabi_in_libc++;
	in->mmio.write(in->mmio.ctx, off, val, size);
	kabi_in_libc--;
}

void kabi_write_once64(const volatile void *addr)
{
	struct kabi_inst *in = kabi_cur;

	if (!in || !in->mmio.store)
		return;
	kabi_in_libc++;
	in->mmio.store(in->mmio.ctx, (u64)(unsigned long)addr);
	kabi_in_libc--;
}

/* lib/devres.c devm_ioremap_resource(): the mapping is the resource's address itself */
void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	(void)dev;
	if (!res || resource_type(res) != IORESOURCE_MEM)
		return (void __iomem *)ERR_PTR(-EINVAL);
	return (void __iomem *)(unsigned long)res->start;
}
