/* iovet shim: include/linux/iopoll.h. The simulated SMMU never advances on its own, so a poll
 * that is not satisfied after a bounded number of reads times out (-ETIMEDOUT) as a real one
 * would after timeout_us; no clock is read (same inputs, same result). */
#ifndef _KABI_LINUX_IOPOLL_H
#define _KABI_LINUX_IOPOLL_H
#include <asm/io.h>
#define KABI_POLL_READS 1000
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us, sleep_before_read, args...) ({ \
	int __kabi_n = KABI_POLL_READS;                                                      \
	(void)(sleep_us); (void)(timeout_us); (void)(sleep_before_read);                       \
	for (;;) {                                                                           \
		(val) = op(args);                                                            \
		if (cond)                                                                    \
			break;                                                               \
		if (!--__kabi_n) {                                                           \
			(val) = op(args);                                                    \
			break;                                                               \
		}                                                                            \
	}                                                                                    \
	(cond) ? 0 : -ETIMEDOUT; })
#define read_poll_timeout_atomic read_poll_timeout
#define readl_relaxed_poll_timeout(addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout(readl_relaxed, val, cond, delay_us, timeout_us, false, addr)
#define readl_relaxed_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	read_poll_timeout(readl_relaxed, val, cond, delay_us, timeout_us, false, addr)
#define readl_poll_timeout readl_relaxed_poll_timeout
#define readl_poll_timeout_atomic readl_relaxed_poll_timeout_atomic
#endif
