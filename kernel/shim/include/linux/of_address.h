/* iovet shim: of_address.h; nothing used beyond linux/of.h */
#include <linux/of.h>
