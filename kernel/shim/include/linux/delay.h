/* iovet shim: udelay()/ndelay() return at once; the simulated SMMU completes commands when
 * polled, not after a delay. */
#ifndef _KABI_LINUX_DELAY_H
#define _KABI_LINUX_DELAY_H
#define udelay(us) do { (void)(us); } while (0)
#define ndelay(ns) do { (void)(ns); } while (0)
#define mdelay(ms) do { (void)(ms); } while (0)
#endif
