/* iovet shim: no device tree. */
#ifndef _KABI_LINUX_OF_H
#define _KABI_LINUX_OF_H
#define MAX_PHANDLE_ARGS 16
struct of_phandle_args { struct device_node *np; int args_count; u32 args[MAX_PHANDLE_ARGS]; };
static inline bool is_of_node(const struct fwnode_handle *f) { (void)f; return true; }
#endif
