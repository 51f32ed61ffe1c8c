/* iovet glue: lib/rbtree.c compiled unmodified over the shim */
#include <lib/rbtree.c>
