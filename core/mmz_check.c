// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mmz_zone_check(): recomputes everything the zone caches and compares.
 * Returns the number of violated invariants, 0 when consistent. Cost is
 * linear in segments plus the index size: for tests, fuzzers and debugfs.
 */
#include "mmz_internal.h"

static int check_segments(const struct mmz_zone *z, unsigned long *nfree)
{
	mmz_addr_t g = (mmz_addr_t)1 << z->grain_shift;
	mmz_addr_t expect = z->base, used = 0;
	const struct mmz_block *b, *prev = NULL;
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
			if (mmz_zone_find(z, b->phys) != b)
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

static int check_bins(const struct mmz_zone *z, unsigned long *count)
{
	unsigned int i, w;
	int bad = 0;

	*count = 0;
	for (i = 0; i < MMZ_SMALL_BINS; i++) {
		const struct mmz_block *b, *prev = NULL;
		int set = !!(z->bitmap[i >> 6] & (1ULL << (i & 63)));

		if (set != !!z->bins[i])
			bad++;
		for (b = z->bins[i]; b; prev = b, b = b->bnext) {
			if (b->bprev != prev || !b->is_free ||
			    (b->size >> z->grain_shift) != (mmz_u64)i + 1)
				bad++;
			(*count)++;
		}
	}
	for (w = 0; w < MMZ_SMALL_BINS / 64; w++)
		if (!!z->bitmap[w] != !!(z->bitmap_top & (1ULL << w)))
			bad++;
	if (z->bitmap_top >> (MMZ_SMALL_BINS / 64))
		bad++;
	return bad;
}

static int check_large(const struct mmz_zone *z, unsigned long *count)
{
	const struct mmz_avl_node *n;
	const struct mmz_block *b, *prev = NULL;
	int bad = mmz_avl_check(&z->large, count);

	for (n = mmz_avl_first(&z->large); n; n = mmz_avl_next(n)) {
		b = mmz_container_of(n, struct mmz_block, tnode);
		if (!b->is_free ||
		    (b->size >> z->grain_shift) <= MMZ_SMALL_BINS)
			bad++;
		if (prev && (prev->size > b->size ||
			     (prev->size == b->size && prev->phys >= b->phys)))
			bad++;
		prev = b;
	}
	return bad;
}

int mmz_zone_check(const struct mmz_zone *z)
{
	unsigned long nfree, nbins, nlarge, nindex;
	int bad;

	if (!z->first)
		return 1;
	bad = check_segments(z, &nfree);
	bad += check_bins(z, &nbins);
	bad += check_large(z, &nlarge);
	bad += mmz_index_check(z, &nindex);
	if (nfree != z->nfree || nbins + nlarge != nfree)
		bad++;
	if (nindex != z->nblocks)
		bad++;
	return bad;
}
