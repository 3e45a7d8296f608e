// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reference placement 1: the vendor method. Blocks sit in a list sorted by
 * address; an allocation looks at every gap between consecutive blocks
 * (and before the first / after the last) and takes the smallest gap that
 * holds the request at its alignment, placing it at the gap's lowest
 * aligned address. A free finds the block by walking the list for its
 * address, as the vendor's free-by-phys does. Both are O(n).
 *
 * One malloc()ed node per block, like the vendor's kmalloc()ed mmb.
 */
#include <errno.h>
#include <stdlib.h>

#include "bench_alloc.h"

struct sl_block {
	u64 start;		/* bytes from zone start */
	u64 len;		/* bytes, grain multiple */
	struct sl_block *next;	/* next higher block */
};

struct sl_zone {
	u64 size;
	u64 grain;
	u64 free_bytes;
	struct sl_block *head;	/* lowest block */
};

static void *sl_init(u64 zone_bytes, u64 grain)
{
	struct sl_zone *z = calloc(1, sizeof(*z));

	if (!z)
		return NULL;
	z->size = zone_bytes;
	z->grain = grain;
	z->free_bytes = zone_bytes;
	return z;
}

static int sl_alloc(void *a, u64 size, u64 align, u64 *off, void **handle)
{
	struct sl_zone *z = a;
	struct sl_block *prev = NULL, *cur = z->head, *best_prev = NULL, *b;
	u64 gap_start = 0, best_gap = 0, best_at = 0;
	int found = 0;

	if (align < z->grain)
		align = z->grain;
	size = bench_round_up(size, z->grain);

	/* Gap i lies between prev (or the zone start) and cur (or the end). */
	for (;;) {
		u64 gap_end = cur ? cur->start : z->size;
		u64 at = bench_round_up(gap_start, align);

		if (at < gap_end && gap_end - at >= size &&
		    (!found || gap_end - gap_start < best_gap)) {
			found = 1;
			best_gap = gap_end - gap_start;
			best_at = at;
			best_prev = prev;
		}
		if (!cur)
			break;
		gap_start = cur->start + cur->len;
		prev = cur;
		cur = cur->next;
	}
	if (!found)
		return -ENOMEM;

	b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->start = best_at;
	b->len = size;
	if (best_prev) {
		b->next = best_prev->next;
		best_prev->next = b;
	} else {
		b->next = z->head;
		z->head = b;
	}
	z->free_bytes -= size;
	*off = best_at;
	*handle = b;
	return 0;
}

static void sl_free(void *a, u64 off, u64 size, void *handle)
{
	struct sl_zone *z = a;
	struct sl_block **pp = &z->head, *b;

	(void)size;
	(void)handle;	/* the vendor has only the address */
	while (*pp && (*pp)->start != off)
		pp = &(*pp)->next;
	b = *pp;
	if (!b)
		abort();	/* harness bug: freeing what is not live */
	*pp = b->next;
	z->free_bytes += b->len;
	free(b);
}

static u64 sl_largest_free(void *a)
{
	struct sl_zone *z = a;
	struct sl_block *b;
	u64 end = 0, best = 0;

	for (b = z->head; b; b = b->next) {
		if (b->start - end > best)
			best = b->start - end;
		end = b->start + b->len;
	}
	if (z->size - end > best)
		best = z->size - end;
	return best;
}

static u64 sl_total_free(void *a)
{
	return ((struct sl_zone *)a)->free_bytes;
}

static void sl_destroy(void *a)
{
	struct sl_zone *z = a;
	struct sl_block *b, *n;

	for (b = z->head; b; b = n) {
		n = b->next;
		free(b);
	}
	free(z);
}

const struct bench_alloc ref_sorted_list = {
	.name = "sorted_list",
	.init = sl_init,
	.alloc = sl_alloc,
	.free = sl_free,
	.largest_free = sl_largest_free,
	.total_free = sl_total_free,
	.destroy = sl_destroy,
};
