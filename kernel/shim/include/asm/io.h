/* iovet shim: arch/arm64/include/asm/io.h's MMIO accessors. An __iomem address is the
 * resource's start (devm_ioremap_resource()); every access goes to the running instance's
 * MMIO host callback (shim/mmio.c), i.e. the simulated device's register file. */
#ifndef _KABI_ASM_IO_H
#define _KABI_ASM_IO_H
u64 kabi_mmio_read(const volatile void __iomem *addr, unsigned int size);
void kabi_mmio_write(volatile void __iomem *addr, u64 val, unsigned int size);
#define readl_relaxed(a) ((u32)kabi_mmio_read((a), 4))
#define readq_relaxed(a) kabi_mmio_read((a), 8)
#define writel_relaxed(v, a) kabi_mmio_write((a), (u32)(v), 4)
#define writeq_relaxed(v, a) kabi_mmio_write((a), (u64)(v), 8)
#define readl(a) readl_relaxed(a)
#define readq(a) readq_relaxed(a)
#define writel(v, a) writel_relaxed(v, a)
#define writeq(v, a) writeq_relaxed(v, a)
/* arm64's __iomb(): orders MMIO against memory; the simulated device sees accesses in order */
#define __iomb() __sync_synchronize()
#endif
