/* iovet glue: helpers shared between glue files */
#ifndef KABI_GLUE_H
#define KABI_GLUE_H
struct io_pgtable_ops *kabi_pgtable_alloc(struct kabi_inst *in, const struct kabi_pgtable_cfg *c, u64 *pgsize_bitmap);
#endif
