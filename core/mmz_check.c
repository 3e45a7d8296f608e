// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mmz_pool_check(): recomputes everything the zone caches and compares.
 * Returns the number of violated invariants, 0 when consistent. Cost is
 * linear in segments plus the index size: for tests, fuzzers and debugfs.
 */
#include "mmz_heap.h"

static int check_segments(const struct mmz_pool *z, unsigned long *nfree)
{
	mmz_addr_t g = (mmz_addr_t)1 << z->grain_shift;
	mmz_addr_t expect = z->base, used = 0;
	const struct mmz_extent *b, *prev = NULL;
	unsigned long blocks = 0;
	int bad = 0;

	*nfree = 0;
	for (b = z->first; b; prev = b, b = b->next) {
		if (b->prev != prev)
			bad++;
		if (b->phys != expect || !b->size || (b->size & (g - 1)))
			bad++;
		if (b->is_free) {
			if (prev && prev->is_free)
				bad++;	/* must have been coalesced */
			(*nfree)++;
		} else {
			if (mmz_pool_find(z, b->phys) != b)
				bad++;
			if (b->name[MMZ_BLOCK_NAME_LEN - 1])
				bad++;
			used += b->size;
			blocks++;
		}
		expect = b->phys + b->size;
	}
	if (expect != z->base + z->size)
		bad++;
	if (used != z->used || blocks != z->nblocks)
		bad++;
	return bad;
}

/* Structure, order by (size, phys), and what every member must be. */
static int check_tree(const struct mmz_pool *z, const struct mmz_avl *t,
		      mmz_u64 min_grains, mmz_u64 max_grains,
		      unsigned long *count)
{
	const struct mmz_avl_node *n;
	const struct mmz_extent *b, *prev = NULL;
	int bad = mmz_avl_check(t, count);

	for (n = mmz_avl_first(t); n; n = mmz_avl_next(n)) {
		mmz_u64 g;

		b = mmz_container_of(n, struct mmz_extent, tnode);
		g = b->size >> z->grain_shift;
		if (!b->is_free || g < min_grains || g > max_grains)
			bad++;
		if (prev && (prev->size > b->size ||
			     (prev->size == b->size && prev->phys >= b->phys)))
			bad++;
		prev = b;
	}
	return bad;
}

/* Heap links and order, and that every member belongs to bin @i. */
static int check_heap(const struct mmz_pool *z, unsigned int i,
		      unsigned long *count)
{
	const struct mmz_extent *n, *c, *prev;
	int bad = 0;

	if (z->bins[i] && z->bins[i]->heap.hprev)
		bad++;
	for (n = z->bins[i]; n; n = heap_next(n)) {
		if (!n->is_free || (n->size >> z->grain_shift) != (mmz_u64)i + 1)
			bad++;
		for (prev = n, c = n->heap.child; c;
		     prev = c, c = c->heap.sibling)
			if (c->heap.hprev != prev || c->phys <= n->phys)
				bad++;
		(*count)++;
	}
	return bad;
}

static int check_bins(const struct mmz_pool *z, unsigned long *count)
{
	unsigned int i, w;
	int bad = 0;

	*count = 0;
	for (i = 0; i < MMZ_SMALL_BINS; i++) {
		int set = !!(z->bitmap[i >> 6] & (1ULL << (i & 63)));

		if (set != !!z->bins[i])
			bad++;
		bad += check_heap(z, i, count);
	}
	for (w = 0; w < MMZ_SMALL_BINS / 64; w++)
		if (!!z->bitmap[w] != !!(z->bitmap_top & (1ULL << w)))
			bad++;
	if (MMZ_SMALL_BINS / 64 < 64 && z->bitmap_top >> (MMZ_SMALL_BINS / 64))
		bad++;
	return bad;
}

int mmz_pool_check(const struct mmz_pool *z)
{
	unsigned long nfree, nbins, nlarge, nindex;
	int bad;

	if (!z->first)
		return 1;
	bad = check_segments(z, &nfree);
	bad += check_bins(z, &nbins);
	bad += check_tree(z, &z->large, MMZ_SMALL_BINS + 1, ~0ULL, &nlarge);
	bad += mmz_index_check(z, &nindex);
	if (nfree != z->nfree || nbins + nlarge != nfree)
		bad++;
	if (nindex != z->nblocks)
		bad++;
	return bad;
}
