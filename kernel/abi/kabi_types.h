/* C types kabi.h needs when compiled under -nostdinc with the shim: uint64_t and size_t come
 * from the shim's linux/types.h (u64 is unsigned long long, size_t unsigned long, as on
 * x86_64 Linux; the C++ side's <cstdint> types have the same size and calling convention). */
#ifndef IOVET_KABI_TYPES_H
#define IOVET_KABI_TYPES_H
#include <linux/types.h>
#endif
