// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reference placement 2: the kernel genalloc / CMA method. One bit per
 * grain, set = in use. An allocation is first fit: the lowest position at
 * the alignment with enough clear bits, found the way
 * bitmap_find_next_zero_area_off() does (skip to the next clear bit, align,
 * look for a set bit inside the candidate range, restart after it). Bits
 * are scanned and changed a 64-bit word at a time.
 */
#include <errno.h>
#include <stdlib.h>

#include "bench_alloc.h"

#define BM_BITS		64
#define BM_WORD(i)	((i) / BM_BITS)
#define BM_MASK_FROM(i)	(~0ULL << ((i) % BM_BITS))	/* bits >= i in word */

struct bm_zone {
	u64 nbits;
	u64 grain;
	u64 free_bits;
	u64 map[];
};

/* First index >= @start whose bit is clear (@zero) or set (!@zero), or @nbits. */
static u64 bm_find_next(const u64 *map, u64 nbits, u64 start, int zero)
{
	u64 inv = zero ? ~0ULL : 0, w;
	u64 i;

	if (start >= nbits)
		return nbits;
	i = BM_WORD(start);
	w = (map[i] ^ inv) & BM_MASK_FROM(start);
	while (!w) {
		if ((++i) * BM_BITS >= nbits)
			return nbits;
		w = map[i] ^ inv;
	}
	i = i * BM_BITS + (u64)__builtin_ctzll(w);
	return i < nbits ? i : nbits;
}

/* Lowest @align_mask-aligned index of @nr clear bits, or @nbits. */
static u64 bm_find_zero_area(const u64 *map, u64 nbits, u64 nr,
			     u64 align_mask)
{
	u64 start = 0, idx, end, hit;

	for (;;) {
		idx = bm_find_next(map, nbits, start, 1);
		idx = (idx + align_mask) & ~align_mask;
		end = idx + nr;
		if (end > nbits)
			return nbits;
		hit = bm_find_next(map, end, idx, 0);
		if (hit >= end)
			return idx;
		start = hit + 1;
	}
}

/* Set (@val) or clear @nr bits from @start, whole words in the middle. */
static void bm_fill(u64 *map, u64 start, u64 nr, int val)
{
	u64 end = start + nr, i = BM_WORD(start);
	u64 mask = BM_MASK_FROM(start);

	while (nr && i < BM_WORD(end)) {
		if (val)
			map[i] |= mask;
		else
			map[i] &= ~mask;
		mask = ~0ULL;
		i++;
	}
	if (end % BM_BITS) {
		mask &= ~BM_MASK_FROM(end);
		if (val)
			map[i] |= mask;
		else
			map[i] &= ~mask;
	}
}

static void *bm_init(u64 zone_bytes, u64 grain)
{
	u64 nbits = zone_bytes / grain;
	u64 words = (nbits + BM_BITS - 1) / BM_BITS;
	struct bm_zone *z = calloc(1, sizeof(*z) + words * sizeof(u64));

	if (!z)
		return NULL;
	z->nbits = nbits;
	z->grain = grain;
	z->free_bits = nbits;
	return z;
}

static int bm_alloc(void *a, u64 size, u64 align, u64 *off, void **handle)
{
	struct bm_zone *z = a;
	u64 nr = bench_round_up(size, z->grain) / z->grain;
	u64 mask = align > z->grain ? align / z->grain - 1 : 0;
	u64 idx = bm_find_zero_area(z->map, z->nbits, nr, mask);

	if (idx >= z->nbits)
		return -ENOMEM;
	bm_fill(z->map, idx, nr, 1);
	z->free_bits -= nr;
	*off = idx * z->grain;
	*handle = NULL;
	return 0;
}

static void bm_free(void *a, u64 off, u64 size, void *handle)
{
	struct bm_zone *z = a;
	u64 nr = bench_round_up(size, z->grain) / z->grain;

	(void)handle;
	bm_fill(z->map, off / z->grain, nr, 0);
	z->free_bits += nr;
}

static u64 bm_largest_free(void *a)
{
	struct bm_zone *z = a;
	u64 i = 0, best = 0, end;

	while ((i = bm_find_next(z->map, z->nbits, i, 1)) < z->nbits) {
		end = bm_find_next(z->map, z->nbits, i, 0);
		if (end - i > best)
			best = end - i;
		i = end;
	}
	return best * z->grain;
}

static u64 bm_total_free(void *a)
{
	struct bm_zone *z = a;

	return z->free_bits * z->grain;
}

static void bm_destroy(void *a)
{
	free(a);
}

const struct bench_alloc ref_bitmap = {
	.name = "bitmap",
	.init = bm_init,
	.alloc = bm_alloc,
	.free = bm_free,
	.largest_free = bm_largest_free,
	.total_free = bm_total_free,
	.destroy = bm_destroy,
};
