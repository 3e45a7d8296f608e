// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Placement in a zone.
 *
 * The zone is a list of segments in address order, each a block or a free
 * extent; neighbours are found through the list, so freeing coalesces in
 * O(1). Free extents are indexed by size for address-ordered best fit:
 *
 *  - up to MMZ_SMALL_BINS grains: one bin per exact size, each a pairing
 *    heap by address (lowest address at the root, O(1) insert), and a
 *    two-level bitmap of non-empty bins, so "smallest non-empty bin >= n"
 *    is a few word operations;
 *  - larger: an AVL tree keyed by (size, phys). At most zone size /
 *    (MMZ_SMALL_BINS grains) such extents can exist, so it stays shallow.
 *
 * An aligned request can only fail to fit extents smaller than
 * size + align - grain (extents and align are grain multiples, so the
 * first aligned address is at most align - grain in); those are tested one
 * by one, larger ones always fit. Any grain multiple is an alignment: a
 * power of two is placed with masks, anything else by division. The
 * search visits sizes in increasing order, so the first fit is the exact
 * best fit, and it is complete: every fitting extent is reached.
 * Among extents of the best size the lowest-addressed one is taken: that
 * keeps the top of the zone in large pieces (LIFO ties lost 6 points of
 * success rate in bench/'s long churn). The direction only chooses the end
 * of the extent the block is cut from.
 */
#include "mmz_heap.h"

#define SPARE_MAX	64	/* recycled segments kept per zone */

static inline mmz_u64 grains(const struct mmz_pool *z, mmz_addr_t bytes)
{
	return bytes >> z->grain_shift;
}

static inline struct mmz_extent *tnode_block(struct mmz_avl_node *n)
{
	return n ? mmz_container_of(n, struct mmz_extent, tnode) : NULL;
}

static MMZ_COLD struct mmz_extent *seg_alloc(struct mmz_pool *z)
{
	return z->ops.alloc(z->ops.ctx, sizeof(struct mmz_extent));
}

static struct mmz_extent *seg_new(struct mmz_pool *z)
{
	struct mmz_extent *b = z->spare;

	if (!b)
		return seg_alloc(z);
	z->spare = b->next;
	z->nspare--;
	return b;
}

static MMZ_COLD void seg_free(struct mmz_pool *z, struct mmz_extent *b)
{
	z->ops.free(z->ops.ctx, b);
}

static void seg_put(struct mmz_pool *z, struct mmz_extent *b)
{
	if (z->nspare >= SPARE_MAX)
		return seg_free(z, b);
	b->next = z->spare;
	z->spare = b;
	z->nspare++;
}

/* ---- size index ---- */

static void bin_set(struct mmz_pool *z, unsigned int i)
{
	z->bitmap[i >> 6] |= 1ULL << (i & 63);
	z->bitmap_top |= 1ULL << (i >> 6);
}

static void bin_clear(struct mmz_pool *z, unsigned int i)
{
	z->bitmap[i >> 6] &= ~(1ULL << (i & 63));
	if (!z->bitmap[i >> 6])
		z->bitmap_top &= ~(1ULL << (i >> 6));
}

/* The first non-empty bin >= i, or -1. */
static int bin_find(const struct mmz_pool *z, mmz_u64 i)
{
	unsigned int w;
	mmz_u64 m;

	if (i >= MMZ_SMALL_BINS)
		return -1;
	w = (unsigned int)(i >> 6);
	m = z->bitmap[w] & (~0ULL << (i & 63));
	if (m)
		return (int)((w << 6) + mmz_ctz64(m));
	m = z->bitmap_top & (~0ULL << (w + 1));
	if (!m)
		return -1;
	w = mmz_ctz64(m);
	return (int)((w << 6) + mmz_ctz64(z->bitmap[w]));
}

static void large_insert(struct mmz_pool *z, struct mmz_extent *b)
{
	struct mmz_avl_node **link = &z->large.root, *parent = NULL;

	while (*link) {
		struct mmz_extent *o = tnode_block(*link);

		parent = *link;
		if (b->size < o->size ||
		    (b->size == o->size && b->phys < o->phys))
			link = &parent->left;
		else
			link = &parent->right;
	}
	mmz_avl_link(&z->large, &b->tnode, parent, link);
}

static void free_insert(struct mmz_pool *z, struct mmz_extent *b)
{
	mmz_u64 g = grains(z, b->size);

	b->is_free = 1;
	z->nfree++;
	if (g <= MMZ_SMALL_BINS) {
		unsigned int i = (unsigned int)g - 1;

		if (!z->bins[i])
			bin_set(z, i);
		heap_insert(&z->bins[i], b);
	} else {
		large_insert(z, b);
	}
}

static void free_remove(struct mmz_pool *z, struct mmz_extent *b)
{
	mmz_u64 g = grains(z, b->size);

	z->nfree--;
	if (g <= MMZ_SMALL_BINS) {
		unsigned int i = (unsigned int)g - 1;

		heap_erase(&z->bins[i], b);
		if (!z->bins[i])
			bin_clear(z, i);
	} else {
		mmz_avl_erase(&z->large, &b->tnode);
	}
}

/* ---- placement ---- */

/*
 * fit() for an alignment that is not a power of two (the vendor rounds
 * any align up to the page, e.g. 3 pages): placed by division.
 */
static MMZ_NOINLINE int fit_any(const struct mmz_extent *e, mmz_addr_t size,
				mmz_addr_t align, int dir, mmz_addr_t *at)
{
	mmz_addr_t pos, rem;

	if (dir == MMZ_LOW_TO_HIGH) {
		rem = mmz_mod64(e->phys, align);
		pos = rem ? e->phys + (align - rem) : e->phys;
		if (pos < e->phys || pos - e->phys > e->size - size)
			return 0;
	} else {
		pos = e->phys + e->size - size;
		pos -= mmz_mod64(pos, align);
		if (pos < e->phys)
			return 0;
	}
	*at = pos;
	return 1;
}

/* Where a block of @size at @align goes in extent @e, if it fits. */
static int fit(const struct mmz_extent *e, mmz_addr_t size, mmz_addr_t align,
	       int dir, mmz_addr_t *at)
{
	mmz_addr_t pos;

	if (e->size < size)
		return 0;
	if (align & (align - 1))
		return fit_any(e, size, align, dir, at);
	if (dir == MMZ_LOW_TO_HIGH) {
		pos = e->phys + ((0 - e->phys) & (align - 1));
		if (pos < e->phys || pos - e->phys > e->size - size)
			return 0;
	} else {
		pos = (e->phys + e->size - size) & ~(align - 1);
		if (pos < e->phys)
			return 0;
	}
	*at = pos;
	return 1;
}

/* The lowest-addressed extent of a bin where the request fits. */
static struct mmz_extent *fit_in_bin(struct mmz_extent *root, mmz_addr_t size,
				    mmz_addr_t align, int dir, mmz_addr_t *at)
{
	struct mmz_extent *e, *best = NULL;
	mmz_addr_t pos;

	for (e = root; e; e = heap_next(e))
		if ((!best || e->phys < best->phys) &&
		    fit(e, size, align, dir, &pos)) {
			best = e;
			*at = pos;
		}
	return best;
}

/* The first large extent of at least @size bytes, lowest phys first. */
static struct mmz_extent *large_lower_bound(const struct mmz_pool *z,
					   mmz_addr_t size)
{
	struct mmz_avl_node *n = z->large.root, *best = NULL;

	while (n) {
		if (tnode_block(n)->size >= size) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return tnode_block(best);
}

/*
 * Address-ordered best fit: the smallest extent that can hold the request,
 * the lowest-addressed one among extents of that size. Extents of at least
 * @sure bytes always fit; smaller ones (only when align > grain) are tested.
 */
static MMZ_NOINLINE struct mmz_extent *
best_fit(struct mmz_pool *z, mmz_addr_t size, mmz_addr_t align, int dir,
	 mmz_addr_t *at)
{
	mmz_addr_t slack = align - ((mmz_addr_t)1 << z->grain_shift);
	mmz_addr_t sure = size + slack < size ? ~(mmz_addr_t)0 : size + slack;
	struct mmz_extent *e;
	int i;

	for (i = bin_find(z, grains(z, size) - 1); i >= 0;
	     i = bin_find(z, (mmz_u64)i + 1)) {
		if (((mmz_addr_t)(i + 1) << z->grain_shift) >= sure) {
			e = z->bins[i];
			fit(e, size, align, dir, at);
			return e;
		}
		e = fit_in_bin(z->bins[i], size, align, dir, at);
		if (e)
			return e;
	}
	/* in (size, phys) order, so the first fit is the best */
	for (e = large_lower_bound(z, size); e;
	     e = tnode_block(mmz_avl_next(&e->tnode)))
		if (fit(e, size, align, dir, at))
			return e;
	return NULL;
}

static void link_after(struct mmz_extent *pos, struct mmz_extent *b)
{
	b->prev = pos;
	b->next = pos->next;
	if (b->next)
		b->next->prev = b;
	pos->next = b;
}

static void unlink_seg(struct mmz_pool *z, struct mmz_extent *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		z->first = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

static void block_init(struct mmz_extent *b, mmz_addr_t phys, mmz_addr_t size,
		       const char *name)
{
	size_t n = 0;

	memset(b->name, 0, MMZ_BLOCK_NAME_LEN);
	b->phys = phys;
	b->size = size;
	b->flags = 0;
	b->kvirt = 0;
	b->priv = NULL;
	b->is_free = 0;
	if (name)
		for (; n < MMZ_BLOCK_NAME_LEN - 1 && name[n]; n++)
			b->name[n] = name[n];
}

mmz_addr_t mmz_pool_v2_size(const struct mmz_pool *z, mmz_addr_t size)
{
	const mmz_addr_t max = ~(mmz_addr_t)0;
	mmz_addr_t g = (mmz_addr_t)1 << z->grain_shift, ba = z->block_align;
	mmz_addr_t p = 1;

	if (z->alloc_type == MMZ_ALLOC_TYPE_POW2) {
		while (p < size && p <= max / 2)
			p <<= 1;
		if (p < size)
			return 0;
		size = p;
	} else if (z->alloc_type == MMZ_ALLOC_TYPE_BLOCK && ba &&
		   mmz_mod64(size, ba)) {
		mmz_addr_t q = mmz_div64(size, ba);

		if (q >= mmz_div64(max, ba))
			return 0;
		size = (q + 1) * ba;
	}
	if (size > max - (g - 1))
		return 0;
	return (size + g - 1) & ~(g - 1);
}

int mmz_pool_alloc(struct mmz_pool *z, mmz_addr_t size, mmz_addr_t align,
		   int dir, const char *name, struct mmz_extent **out)
{
	mmz_addr_t g = (mmz_addr_t)1 << z->grain_shift;
	struct mmz_extent *e, *b, *tail = NULL;
	mmz_addr_t at = 0, head_len, tail_len;

	if (!size || (dir != MMZ_LOW_TO_HIGH && dir != MMZ_HIGH_TO_LOW))
		return -EINVAL;
	if (size > z->size)
		return -ENOMEM;
	size = (size + g - 1) & ~(g - 1);	/* no wrap: size <= z->size */
	if (align < g) {
		align = g;
	} else if (align & (g - 1)) {
		/* any value, rounded up to the grain as the vendor does */
		if (align > ~(mmz_addr_t)0 - (g - 1))
			return -ENOMEM;
		align = (align + g - 1) & ~(g - 1);
	}

	if (align == g) {
		/* no alignment beyond the grain: any extent >= size fits */
		int i = bin_find(z, grains(z, size) - 1);

		e = i >= 0 ? z->bins[i] : large_lower_bound(z, size);
		if (e)
			at = dir == MMZ_LOW_TO_HIGH ? e->phys :
						      e->phys + e->size - size;
	} else {
		e = best_fit(z, size, align, dir, &at);
	}
	if (!e)
		return -ENOMEM;
	head_len = at - e->phys;
	tail_len = e->size - head_len - size;

	/* Take every resource before changing anything. */
	b = seg_new(z);
	if (!b)
		return -ENOMEM;
	if (head_len && tail_len) {
		tail = seg_new(z);
		if (!tail)
			goto err_block;
	}
	block_init(b, at, size, name);
	if (mmz_index_insert(z, b))
		goto err_tail;

	free_remove(z, e);
	if (!head_len && !tail_len) {
		/* the extent becomes the block */
		link_after(e, b);
		unlink_seg(z, e);
		seg_put(z, e);
	} else if (!head_len) {
		/* block, then e shrunk to the tail */
		b->prev = e->prev;
		b->next = e;
		if (e->prev)
			e->prev->next = b;
		else
			z->first = b;
		e->prev = b;
		e->phys += size;
		e->size = tail_len;
		free_insert(z, e);
	} else {
		e->size = head_len;
		link_after(e, b);
		free_insert(z, e);
		if (tail) {
			tail->phys = at + size;
			tail->size = tail_len;
			link_after(b, tail);
			free_insert(z, tail);
		}
	}
	z->used += size;
	z->nblocks++;
	*out = b;
	return 0;

err_tail:
	if (tail)
		seg_put(z, tail);
err_block:
	seg_put(z, b);
	return -ENOMEM;
}

void mmz_pool_free(struct mmz_pool *z, struct mmz_extent *b)
{
	struct mmz_extent *prev = b->prev, *next = b->next;

	mmz_index_erase(z, b);
	z->used -= b->size;
	z->nblocks--;
	if (prev && prev->is_free) {
		free_remove(z, prev);
		prev->size += b->size;
		unlink_seg(z, b);
		seg_put(z, b);
		b = prev;
	}
	if (next && next->is_free) {
		free_remove(z, next);
		b->size += next->size;
		unlink_seg(z, next);
		seg_put(z, next);
	}
	free_insert(z, b);
}

/* ---- life cycle, statistics, walkers ---- */

int mmz_pool_init(struct mmz_pool *z, const char *name, mmz_addr_t base,
		  mmz_addr_t size, unsigned int grain_shift,
		  const struct mmz_ops *ops)
{
	mmz_addr_t g;
	struct mmz_extent *e;
	size_t n;

	if (!name || !ops || !ops->alloc || !ops->free || grain_shift > 40)
		return -EINVAL;
	n = strlen(name);
	if (n >= MMZ_ZONE_NAME_LEN)
		return -EINVAL;
	g = (mmz_addr_t)1 << grain_shift;
	if (!size || (base | size) & (g - 1) || base + size < base ||
	    base + size == 0)
		return -EINVAL;

	memset(z, 0, sizeof(*z));
	memcpy(z->name, name, n);
	z->base = base;
	z->size = size;
	z->grain_shift = grain_shift;
	z->ops = *ops;
	if (mmz_index_init(z))
		return -ENOMEM;
	e = seg_new(z);
	if (!e) {
		mmz_index_destroy(z);
		return -ENOMEM;
	}
	memset(e, 0, sizeof(*e));
	e->phys = base;
	e->size = size;
	z->first = e;
	free_insert(z, e);
	return 0;
}

void mmz_pool_destroy(struct mmz_pool *z)
{
	struct mmz_extent *b = z->first, *next;

	for (; b; b = next) {
		next = b->next;
		z->ops.free(z->ops.ctx, b);
	}
	for (b = z->spare; b; b = next) {
		next = b->next;
		z->ops.free(z->ops.ctx, b);
	}
	mmz_index_destroy(z);
	z->first = NULL;
	z->spare = NULL;
	z->nspare = 0;
}

void mmz_pool_stats(const struct mmz_pool *z, struct mmz_pool_stats *s)
{
	struct mmz_avl_node *last = mmz_avl_last(&z->large);

	s->total = z->size;
	s->used = z->used;
	s->free = z->size - z->used;
	s->blocks = z->nblocks;
	s->free_extents = z->nfree;
	if (last) {
		s->largest_free = tnode_block(last)->size;
	} else if (z->bitmap_top) {
		unsigned int w = mmz_fls64(z->bitmap_top);
		unsigned int i = (w << 6) + mmz_fls64(z->bitmap[w]);

		s->largest_free = (mmz_addr_t)(i + 1) << z->grain_shift;
	} else {
		s->largest_free = 0;
	}
}

int mmz_pool_walk(const struct mmz_pool *z, mmz_walk_fn fn, void *ctx)
{
	const struct mmz_extent *b;
	int ret;

	for (b = z->first; b; b = b->next) {
		ret = fn(ctx, b, (int)b->is_free);
		if (ret)
			return ret;
	}
	return 0;
}

int mmz_pool_for_each_block(struct mmz_pool *z, mmz_extent_fn fn, void *ctx)
{
	struct mmz_extent *b, *next;
	int ret;

	/*
	 * The next block is found before @fn runs, so @fn may free @b: that
	 * touches only @b and its free neighbours, never the next block.
	 */
	for (b = z->first; b && b->is_free; b = b->next)
		;
	for (; b; b = next) {
		next = b->next;
		if (next && next->is_free)
			next = next->next;
		ret = fn(ctx, b);
		if (ret)
			return ret;
	}
	return 0;
}
