/* iovet glue: drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c compiled unmodified, and the smmu_*
 * ABI entries. The SMMU is a platform device described by a device-tree node ("#iommu-cells"
 * = <1>, "dma-coherent" as asked) with one MEM resource, its 128K register window, whose
 * accesses go to the host's MMIO callback (the simulated SMMUv3); no interrupt line, so
 * CMD_SYNC is polled and the event queue is read when the host asks (arm_smmu_evtq_thread()).
 * Set up as the driver core and the IOMMU core would: arm_smmu_device_probe(), then one
 * IOMMU_DOMAIN_DMA(_FQ) default domain from arm_smmu_ops.domain_alloc(), finalised, under the
 * same tree's dma-iommu.c (the dma glue's device and cookie). Each StreamID the host attaches
 * is a master device probed on first use (iommu_fwspec_init() + arm_smmu_of_xlate() +
 * arm_smmu_probe_device()). */
#include <kabi_shim.h>
#include <linux/ktime.h>
#include <linux/rbtree.h>
#include <linux/xarray.h>
#include <linux/dma-mapping.h>
#include <drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c>
#include "kabi_glue.h"

/* Where the SMMU's registers sit (QEMU virt's SMMUv3 address); never dereferenced: every
 * access goes through asm/io.h's accessors to the host. */
#define KABI_SMMU_MMIO_BASE 0x09050000UL

struct kabi_smmu_master {
	struct device dev;
	u32 sid;
	int domain; /* enum kabi_smmu_domain it is attached to; KABI_SMMU_BLOCKED until then */
	struct kabi_smmu_master *next;
};

struct kabi_smmu {
	struct platform_device pdev;
	struct device_node node;
	struct kabi_of_prop props[3];
	struct resource res;
	u64 smmu_dma_mask;
	struct arm_smmu_device *smmu;
	struct iommu_domain *dma_domain, *identity_domain, *unmanaged_domain;
	struct kabi_smmu_master *masters;
	int probed;
};

#define KSMMU(in) ((struct kabi_smmu *)(in)->driver)

/* models __iommu_domain_alloc(): the driver's domain with the core's defaults */
static struct iommu_domain *kabi_smmu_domain_alloc(unsigned int type)
{
	struct iommu_domain *d = arm_smmu_ops.domain_alloc(type);

	if (!d)
		return NULL;
	d->type = type;
	d->ops = arm_smmu_ops.default_domain_ops;
	d->pgsize_bitmap = arm_smmu_ops.pgsize_bitmap;
	return d;
}

static void kabi_smmu_teardown(struct kabi_inst *in)
{
	struct kabi_smmu *s = KSMMU(in);
	struct kabi_smmu_master *m;

	kabi_dma_put_device(in);
	for (m = s->masters; m; m = m->next)
		if (dev_iommu_priv_get(&m->dev))
			arm_smmu_release_device(&m->dev); /* detaches: the STE aborts */
	if (s->dma_domain)
		arm_smmu_domain_free(s->dma_domain);
	if (s->identity_domain)
		arm_smmu_domain_free(s->identity_domain);
	if (s->unmanaged_domain)
		arm_smmu_domain_free(s->unmanaged_domain);
	if (s->probed) {
		arm_smmu_device_remove(&s->pdev);
		kabi_devres_release_all(&s->pdev.dev); /* arm_smmu_disable_action(): SMMUEN off */
	}
	in->pgt = NULL; /* freed with the domain */
}

/* The driver's statics start as after boot (one SMMU instance per object at a time). */
static void kabi_smmu_module_reset(void)
{
	xa_destroy(&arm_smmu_asid_xa);
	mutex_init(&arm_smmu_asid_lock);
	arm_smmu_ops.pgsize_bitmap = -1UL;
}

static int kabi_smmu_probe(struct kabi_smmu *s, const struct kabi_smmu_cfg *cfg)
{
	struct device *dev = &s->pdev.dev;
	int n = 0, ret;

	s->props[n++] = (struct kabi_of_prop){ "#iommu-cells", 1 };
	if (cfg->coherent)
		s->props[n++] = (struct kabi_of_prop){ "dma-coherent", 1 };
	s->node.props = s->props;
	s->res = DEFINE_RES_MEM(KABI_SMMU_MMIO_BASE, SZ_128K);
	s->pdev.name = "arm-smmu-v3";
	s->pdev.num_resources = 1;
	s->pdev.resource = &s->res;
	dev->init_name = "arm-smmu-v3.0.auto";
	dev->of_node = &s->node;
	dev->dma_mask = &s->smmu_dma_mask;
	ret = arm_smmu_device_probe(&s->pdev);
	if (ret)
		return ret;
	s->probed = 1;
	s->smmu = platform_get_drvdata(&s->pdev);
	return 0;
}

/* The default domain, finalised as its first attach_dev() would (io-pgtable, ASID or VMID,
 * CD table and CD) but with no STE installed yet: a stream uses it once attached. */
static int kabi_smmu_default_domain(struct kabi_smmu *s, bool lazy)
{
	struct arm_smmu_master m = { .smmu = s->smmu };
	struct arm_smmu_domain *sd;
	int ret;

	s->dma_domain = kabi_smmu_domain_alloc(lazy ? IOMMU_DOMAIN_DMA_FQ : IOMMU_DOMAIN_DMA);
	if (!s->dma_domain)
		return -ENOMEM;
	sd = to_smmu_domain(s->dma_domain);
	sd->smmu = s->smmu;
	ret = arm_smmu_domain_finalise(s->dma_domain, &m);
	if (ret)
		sd->smmu = NULL;
	return ret;
}

static int kabi_smmu_setup(struct kabi_inst *in, const struct kabi_smmu_cfg *cfg, int *probe_err, int *init_err)
{
	struct kabi_smmu *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return -ENOMEM;
	in->driver = s;
	in->teardown = kabi_smmu_teardown;
	in->mmio = cfg->mmio;
	in->mmio_base = KABI_SMMU_MMIO_BASE;
	in->mmio_size = SZ_128K;
	in->bound_dev = &s->pdev.dev;
	kabi_smmu_module_reset();
	*probe_err = kabi_smmu_probe(s, cfg);
	if (*probe_err)
		return 0;
	ret = kabi_smmu_default_domain(s, cfg->dma.lazy);
	if (ret)
		return ret;
	in->pgt = to_smmu_domain(s->dma_domain)->pgtbl_ops;
	return kabi_dma_setup_device(in, s->dma_domain, &cfg->dma, init_err);
}

int kabi_smmu_create(struct kabi_inst **out, const struct kabi_smmu_cfg *cfg, int *probe_err, int *setup_err,
		     int *init_err)
{
	struct kabi_inst *in = kabi_inst_new(KABI_KIND_SMMU);
	int ret = 0, probe = 0, init = 0, st;

	kabi_dma_priv_new(in);
	st = KABI_GUARD(in, ret = kabi_smmu_setup(in, cfg, &probe, &init));
	*out = in;
	if (!st) {
		*probe_err = probe;
		*setup_err = ret;
		*init_err = init;
	}
	return st;
}

/* The master device for a StreamID, probed on first use as of_iommu_configure() and
 * iommu_probe_device() do: fwspec with the SMMU's fwnode, of_xlate, probe_device. */
static struct kabi_smmu_master *kabi_smmu_master(struct kabi_smmu *s, u32 sid, int *ret)
{
	struct of_phandle_args args = { .np = &s->node, .args_count = 1, .args = { sid } };
	struct kabi_smmu_master *m;
	struct iommu_device *iommu;

	for (m = s->masters; m; m = m->next)
		if (m->sid == sid)
			return m;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		*ret = -ENOMEM;
		return NULL;
	}
	m->sid = sid;
	m->domain = KABI_SMMU_BLOCKED;
	m->dev.init_name = "iovet-master";
	*ret = iommu_fwspec_init(&m->dev, &s->node.fwnode, &arm_smmu_ops);
	if (!*ret)
		*ret = arm_smmu_of_xlate(&m->dev, &args);
	if (*ret)
		return NULL;
	iommu = arm_smmu_probe_device(&m->dev);
	if (IS_ERR(iommu)) {
		*ret = PTR_ERR(iommu);
		return NULL;
	}
	m->next = s->masters;
	s->masters = m;
	return m;
}

/* attach: the DMA or identity domain through arm_smmu_attach_dev(), once per change as
 * 6.1's __iommu_group_set_domain() calls it, and an unmanaged domain likewise (the domain the group has already: nothing).
 * 6.1's driver has no blocking domain (arm_smmu_domain_alloc() refuses IOMMU_DOMAIN_BLOCKED;
 * the core would fall back to an empty UNMANAGED domain), so a stream is blocked the driver's
 * own way: arm_smmu_detach_dev() installs an aborting STE (disable_bypass). */
static int kabi_smmu_attach_sid(struct kabi_inst *in, u32 sid, int domain)
{
	struct kabi_smmu *s = KSMMU(in);
	struct kabi_smmu_master *m;
	int ret = 0;

	if (sid >> s->smmu->sid_bits)
		return -ERANGE; /* arm_smmu_insert_master()'s arm_smmu_sid_in_range() */
	m = kabi_smmu_master(s, sid, &ret);
	if (!m)
		return ret;
	if (m->domain == domain)
		return 0;
	switch (domain) {
	case KABI_SMMU_DMA:
		ret = arm_smmu_attach_dev(s->dma_domain, &m->dev);
		break;
	case KABI_SMMU_IDENTITY:
		if (!s->identity_domain && !(s->identity_domain = kabi_smmu_domain_alloc(IOMMU_DOMAIN_IDENTITY)))
			return -ENOMEM;
		ret = arm_smmu_attach_dev(s->identity_domain, &m->dev);
		break;
	case KABI_SMMU_UNMANAGED: /* as VFIO's: its own context and tables, nothing mapped */
		if (!s->unmanaged_domain && !(s->unmanaged_domain = kabi_smmu_domain_alloc(IOMMU_DOMAIN_UNMANAGED)))
			return -ENOMEM;
		ret = arm_smmu_attach_dev(s->unmanaged_domain, &m->dev);
		break;
	default:
		arm_smmu_detach_dev(dev_iommu_priv_get(&m->dev));
		break;
	}
	if (!ret)
		m->domain = domain;
	return ret;
}

int kabi_smmu_attach(struct kabi_inst *in, uint32_t sid, int domain, int *ret)
{
	int r = 0;
	int st = KABI_GUARD(in, r = kabi_smmu_attach_sid(in, sid, domain));

	if (!st)
		*ret = r;
	return st;
}

/* The records the driver's event-queue thread consumes now, copied from the queue memory
 * between its consumer index before and after. */
static size_t kabi_smmu_read_events(struct kabi_inst *in, uint64_t *buf, size_t cap)
{
	struct arm_smmu_queue *q = &KSMMU(in)->smmu->evtq.q;
	u32 cons = q->llq.cons, end;
	size_t n = 0, i;

	arm_smmu_evtq_thread(0, KSMMU(in)->smmu);
	end = q->llq.cons;
	for (; (cons ^ end) & (Q_WRP(&q->llq, ~0U) | Q_IDX(&q->llq, ~0U)); n++) {
		const __le64 *e = q->base + Q_IDX(&q->llq, cons) * q->ent_dwords;
		for (i = 0; i < EVTQ_ENT_DWORDS && n < cap; i++)
			buf[n * EVTQ_ENT_DWORDS + i] = le64_to_cpu(e[i]);
		cons = (Q_WRP(&q->llq, cons) | Q_IDX(&q->llq, cons)) + 1;
		cons &= Q_WRP(&q->llq, ~0U) | Q_IDX(&q->llq, ~0U);
	}
	return n;
}

int kabi_smmu_events(struct kabi_inst *in, uint64_t *buf, size_t cap, size_t *n)
{
	size_t got = 0;
	int st = KABI_GUARD(in, got = kabi_smmu_read_events(in, buf, cap / EVTQ_ENT_DWORDS));

	if (!st)
		*n = got;
	return st;
}

int kabi_smmu_pgtable_cfg(struct kabi_inst *in, struct kabi_pgtable_cfg *out)
{
	struct io_pgtable_cfg *c = &io_pgtable_ops_to_pgtable(in->pgt)->cfg;

	out->stage2 = io_pgtable_ops_to_pgtable(in->pgt)->fmt == ARM_64_LPAE_S2;
	out->pgsize_bitmap = c->pgsize_bitmap;
	out->ias = c->ias;
	out->oas = c->oas;
	out->coherent_walk = c->coherent_walk;
	return KABI_OK;
}

int kabi_smmu_tlb_inv(struct kabi_inst *in, uint64_t iova, uint64_t size, uint64_t granule, int leaf)
{
	return KABI_GUARD(in, arm_smmu_tlb_inv_range_domain(iova, size, granule, leaf,
							    to_smmu_domain(KSMMU(in)->dma_domain)));
}

/* The driver's static queue helpers on a queue of 2^shift entries (smt/tree_check). */
int kabi_smmu_queue_arith(unsigned shift, uint32_t prod, uint32_t cons, uint32_t n, struct kabi_smmu_queue_arith *out)
{
	struct arm_smmu_ll_queue q = { .max_n_shift = shift };

	q.prod = prod;
	q.cons = cons;
	out->full = queue_full(&q);
	out->empty = queue_empty(&q);
	out->has_space = queue_has_space(&q, n);
	out->consumed = queue_consumed(&q, prod);
	out->inc_prod_n = queue_inc_prod_n(&q, (int)n);
	return KABI_OK;
}
