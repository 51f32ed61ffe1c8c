/* iovet shim: the firmware description of devices (drivers/of/property.c, drivers/base/
 * property.c, drivers/base/bus.c's device lookup). A node's properties are the glue's
 * (name, value) list ending with a NULL name. Written for iovet. */
#include <kabi_shim.h>
#include <linux/device.h>
#include <linux/of.h>
#include <linux/fwnode.h>

static const struct kabi_of_prop *kabi_of_find(const struct device_node *np, const char *name)
{
	const struct kabi_of_prop *p;

	for (p = np ? np->props : NULL; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

int of_property_read_u32(const struct device_node *np, const char *name, u32 *out)
{
	const struct kabi_of_prop *p = kabi_of_find(np, name);

	if (!p)
		return -EINVAL;
	*out = p->value;
	return 0;
}

bool of_property_read_bool(const struct device_node *np, const char *name)
{
	return kabi_of_find(np, name) != NULL;
}

int device_property_read_u32(struct device *dev, const char *name, u32 *out)
{
	return of_property_read_u32(dev->of_node, name, out);
}

bool device_property_read_bool(struct device *dev, const char *name)
{
	return of_property_read_bool(dev->of_node, name);
}

struct fwnode_handle *dev_fwnode(const struct device *dev)
{
	return dev->of_node ? &dev->of_node->fwnode : dev->fwnode;
}

/* the one device the glue bound to a driver (its probe ran) per instance */
struct device *driver_find_device_by_fwnode(struct device_driver *drv, const struct fwnode_handle *fwnode)
{
	struct device *dev = kabi_cur ? kabi_cur->bound_dev : NULL;

	(void)drv;
	return dev && dev_fwnode(dev) == fwnode ? get_device(dev) : NULL;
}
