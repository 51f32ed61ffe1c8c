/* iovet glue: lib/scatterlist.c compiled unmodified over the shim */
#include <lib/scatterlist.c>
