/* iovet shim: core API comes from the force-included prelude.h */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
