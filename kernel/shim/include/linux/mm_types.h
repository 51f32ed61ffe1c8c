/* iovet shim: struct mm_struct stays opaque (no SVA: CONFIG_ARM_SMMU_V3_SVA off). */
