/* iovet shim: include/linux/ktime.h. Time does not pass in the simulation: ktime_get() is 0,
 * so the driver's queue polls count spins and never time out on the clock (iopoll.h bounds the
 * register polls; the command queue's own poll is bounded by the hang guard). */
#ifndef _KABI_LINUX_KTIME_H
#define _KABI_LINUX_KTIME_H
typedef s64 ktime_t;
static inline ktime_t ktime_get(void) { return 0; }
#define ktime_add_us(kt, us) ((kt) + (s64)(us) * 1000)
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#endif
