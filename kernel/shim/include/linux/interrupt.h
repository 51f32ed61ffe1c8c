/* iovet shim: include/linux/interrupt.h. No interrupt is ever delivered: the glue describes
 * no IRQ line, so request calls are not reached; handlers (e.g. the SMMU's event-queue thread)
 * are called directly by the glue when the host asks. */
#ifndef _KABI_LINUX_INTERRUPT_H
#define _KABI_LINUX_INTERRUPT_H
#include <linux/device.h>
typedef enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int, void *);
#define IRQF_ONESHOT 0x00002000
#define IRQF_SHARED 0x00000080
static inline int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t h, unsigned long f,
				   const char *name, void *id)
{ (void)dev; (void)irq; (void)h; (void)f; (void)name; (void)id; return -ENXIO; }
static inline int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t h, irq_handler_t t,
					    unsigned long f, const char *name, void *id)
{ (void)t; return devm_request_irq(dev, irq, h, f, name, id); }
#endif
