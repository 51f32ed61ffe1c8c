/* iovet shim: of_platform.h; nothing used beyond linux/of.h and platform_device.h */
#include <linux/of.h>
#include <linux/platform_device.h>
