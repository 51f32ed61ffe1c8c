/* iovet shim: include/linux/ratelimit.h. Nothing is rate limited: same inputs, same output. */
#ifndef _KABI_LINUX_RATELIMIT_H
#define _KABI_LINUX_RATELIMIT_H
struct ratelimit_state { int unused; };
#define DEFAULT_RATELIMIT_INTERVAL (5 * HZ)
#define DEFAULT_RATELIMIT_BURST 10
#define DEFINE_RATELIMIT_STATE(name, interval, burst) struct ratelimit_state name = { 0 }
#define __ratelimit(rs) ((void)(rs), 1)
#endif
