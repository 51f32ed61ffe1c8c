/* iovet shim: the allocating xarray (lib/xarray.c's xa_alloc/xa_load/xa_erase/xa_store) as a
 * sorted array of (index, entry). Its storage is untracked: the xarray is a static of the
 * driver and outlives instances; the glue empties it when no instance uses it. Written for
 * iovet. */
#include <kabi_shim.h>
#include <linux/xarray.h>

static size_t kabi_xa_pos(const struct xarray *xa, unsigned long index)
{
	size_t lo = 0, hi = xa->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (xa->idx[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	size_t i = kabi_xa_pos(xa, index);

	return i < xa->n && xa->idx[i] == index ? xa->ent[i] : NULL;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	size_t i = kabi_xa_pos(xa, index);
	void *old;

	if (i >= xa->n || xa->idx[i] != index)
		return NULL;
	old = xa->ent[i];
	memmove(&xa->idx[i], &xa->idx[i + 1], (xa->n - i - 1) * sizeof(*xa->idx));
	memmove(&xa->ent[i], &xa->ent[i + 1], (xa->n - i - 1) * sizeof(*xa->ent));
	xa->n--;
	return old;
}

static int kabi_xa_insert(struct xarray *xa, size_t i, u32 index, void *entry)
{
	size_t cap = xa->cap;

	if (kabi_ensure_cap((void **)&xa->idx, &cap, xa->n + 1, sizeof(*xa->idx)))
		return -ENOMEM;
	cap = xa->cap;
	if (kabi_ensure_cap((void **)&xa->ent, &cap, xa->n + 1, sizeof(*xa->ent)))
		return -ENOMEM;
	xa->cap = cap;
	memmove(&xa->idx[i + 1], &xa->idx[i], (xa->n - i) * sizeof(*xa->idx));
	memmove(&xa->ent[i + 1], &xa->ent[i], (xa->n - i) * sizeof(*xa->ent));
	xa->idx[i] = index;
	xa->ent[i] = entry;
	xa->n++;
	return 0;
}

/* the lowest free index in [max(min, base), max], as xa_alloc() finds it; -EBUSY when full */
int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp)
{
	u64 want = limit.min > xa->base ? limit.min : xa->base;
	size_t i = kabi_xa_pos(xa, want);
	int ret;

	(void)gfp;
	for (; i < xa->n && xa->idx[i] == want; i++)
		want++;
	if (want > limit.max)
		return -EBUSY;
	ret = kabi_xa_insert(xa, i, (u32)want, entry);
	if (!ret)
		*id = (u32)want;
	return ret;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	size_t i = kabi_xa_pos(xa, index);
	void *old;

	(void)gfp;
	if (i < xa->n && xa->idx[i] == index) {
		old = xa->ent[i];
		xa->ent[i] = entry;
		return old;
	}
	return kabi_xa_insert(xa, i, (u32)index, entry) ? ERR_PTR(-ENOMEM) : NULL;
}

void xa_destroy(struct xarray *xa)
{
	xa->n = 0;
}
