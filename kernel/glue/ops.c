/* iovet glue: the one exported symbol, the ABI table. */
#include <kabi_shim.h>

int kabi_iova_create(struct kabi_inst **out, uint64_t granule, uint64_t start_pfn);
int kabi_iova_alloc(struct kabi_inst *, uint64_t, uint64_t, int, int *, struct kabi_range *);
int kabi_iova_alloc_fast(struct kabi_inst *, uint64_t, uint64_t, int, uint64_t *);
int kabi_iova_find(struct kabi_inst *, uint64_t, int *, struct kabi_range *);
int kabi_iova_free(struct kabi_inst *, uint64_t);
int kabi_iova_free_fast(struct kabi_inst *, uint64_t, uint64_t);
int kabi_iova_reserve(struct kabi_inst *, uint64_t, uint64_t, int *);
int kabi_iova_nodes(struct kabi_inst *, struct kabi_iova_node *, size_t, size_t *);
int kabi_iova_cached_pfns(struct kabi_inst *, uint64_t *, size_t, size_t *);
int kabi_iova_granule(struct kabi_inst *, uint64_t *, uint64_t *);
int kabi_iova_arith(struct kabi_inst *, uint64_t, uint64_t *, uint64_t *);
int kabi_pgtable_create(struct kabi_inst **, const struct kabi_pgtable_cfg *, int *);
int kabi_pgtable_map(struct kabi_inst *, uint64_t, uint64_t, uint64_t, uint64_t, int, uint64_t *, int *);
int kabi_pgtable_unmap(struct kabi_inst *, uint64_t, uint64_t, uint64_t, int, uint64_t *);
int kabi_pgtable_flushes(struct kabi_inst *, struct kabi_flush *, size_t, size_t *);
int kabi_pgtable_iova_to_phys(struct kabi_inst *, uint64_t, uint64_t *);
int kabi_pgtable_translate(struct kabi_inst *, uint64_t, int *, uint64_t *, int *, int *);
int kabi_pgtable_leaves(struct kabi_inst *, struct kabi_leaf *, size_t, size_t *);
int kabi_pgtable_table_pages(struct kabi_inst *, size_t *);
int kabi_pgtable_splits_blocks(void);
int kabi_pgtable_lvl_idx(struct kabi_inst *, uint64_t, struct kabi_lpae_index *);
int kabi_dma_create(struct kabi_inst **, const struct kabi_dma_cfg *, int *, int *);
int kabi_dma_map_page(struct kabi_inst *, uint64_t, uint64_t, uint64_t, int, uint64_t *);
int kabi_dma_unmap_page(struct kabi_inst *, uint64_t, uint64_t, int);
int kabi_dma_map_sg(struct kabi_inst *, struct kabi_sg *, int, int, int *);
int kabi_dma_unmap_sg(struct kabi_inst *, struct kabi_sg *, int, int);
int kabi_dma_alloc(struct kabi_inst *, uint64_t, uint64_t *, uint64_t *, uint64_t *, size_t, size_t *);
int kabi_dma_free(struct kabi_inst *, uint64_t, uint64_t, uint64_t);
int kabi_dma_iommu_unmap(struct kabi_inst *, uint64_t, uint64_t, uint64_t *);
int kabi_dma_fq_timeout(struct kabi_inst *);
int kabi_dma_fq_pfns(struct kabi_inst *, struct kabi_range *, size_t, size_t *);

int kabi_smmu_create(struct kabi_inst **, const struct kabi_smmu_cfg *, int *, int *, int *);
int kabi_smmu_attach(struct kabi_inst *, uint32_t, int, int *);
int kabi_smmu_events(struct kabi_inst *, uint64_t *, size_t, size_t *);
int kabi_smmu_pgtable_cfg(struct kabi_inst *, struct kabi_pgtable_cfg *);
int kabi_smmu_tlb_inv(struct kabi_inst *, uint64_t, uint64_t, uint64_t, int);
int kabi_smmu_queue_arith(unsigned, uint32_t, uint32_t, uint32_t, struct kabi_smmu_queue_arith *);
static const struct kabi_ops kabi_the_ops = {
	.abi_version = KABI_VERSION,
	.page_shift = PAGE_SHIFT,
	.init = kabi_init,
	.fault_message = kabi_fault_message,
	.fault_pc = kabi_fault_pc,
	.set_cpu = kabi_set_cpu,
	.sanitizer_report = kabi_sanitizer_report,
	.take_warning = kabi_take_warning,
	.destroy = kabi_destroy,
	.iova_create = kabi_iova_create,
	.iova_alloc = kabi_iova_alloc,
	.iova_alloc_fast = kabi_iova_alloc_fast,
	.iova_find = kabi_iova_find,
	.iova_free = kabi_iova_free,
	.iova_free_fast = kabi_iova_free_fast,
	.iova_reserve = kabi_iova_reserve,
	.iova_nodes = kabi_iova_nodes,
	.iova_cached_pfns = kabi_iova_cached_pfns,
	.iova_granule = kabi_iova_granule,
	.iova_arith = kabi_iova_arith,
	.pgtable_create = kabi_pgtable_create,
	.pgtable_map = kabi_pgtable_map,
	.pgtable_unmap = kabi_pgtable_unmap,
	.pgtable_flushes = kabi_pgtable_flushes,
	.pgtable_iova_to_phys = kabi_pgtable_iova_to_phys,
	.pgtable_translate = kabi_pgtable_translate,
	.pgtable_leaves = kabi_pgtable_leaves,
	.pgtable_table_pages = kabi_pgtable_table_pages,
	.pgtable_splits_blocks = kabi_pgtable_splits_blocks,
	.pgtable_lvl_idx = kabi_pgtable_lvl_idx,
	.dma_create = kabi_dma_create,
	.dma_map_page = kabi_dma_map_page,
	.dma_unmap_page = kabi_dma_unmap_page,
	.dma_map_sg = kabi_dma_map_sg,
	.dma_unmap_sg = kabi_dma_unmap_sg,
	.dma_alloc = kabi_dma_alloc,
	.dma_free = kabi_dma_free,
	.dma_iommu_unmap = kabi_dma_iommu_unmap,
	.dma_fq_timeout = kabi_dma_fq_timeout,
	.dma_fq_pfns = kabi_dma_fq_pfns,
	.smmu_create = kabi_smmu_create,
	.smmu_attach = kabi_smmu_attach,
	.smmu_events = kabi_smmu_events,
	.smmu_pgtable_cfg = kabi_smmu_pgtable_cfg,
	.smmu_tlb_inv = kabi_smmu_tlb_inv,
	.smmu_queue_arith = kabi_smmu_queue_arith,
};

__attribute__((__visibility__("default"))) const struct kabi_ops *kabi_get_ops(void)
{
	return &kabi_the_ops;
}
