/* iovet shim: no ACPI (CONFIG_ACPI off): the SMMU is described by a device-tree node, so
 * arm_smmu_device_acpi_probe() is the driver's own -ENODEV stub. */
#ifndef _KABI_LINUX_ACPI_H
#define _KABI_LINUX_ACPI_H
#define acpi_disabled 1
#endif
