/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one interface every placement under benchmark implements: the two
 * reference placements (vendor sorted list, genalloc/CMA bitmap) and the
 * adapter around the mmz core. The harness only ever talks to this.
 *
 * Addresses are byte offsets from the zone start; the zone is assumed to
 * start at an address aligned to at least the largest alignment asked for,
 * so offset alignment equals physical alignment.
 */
#ifndef BENCH_ALLOC_H
#define BENCH_ALLOC_H

#include <stdint.h>

typedef uint64_t u64;

struct bench_alloc {
	const char *name;
	/* An empty zone of @zone_bytes with placement grain @grain, or NULL. */
	void *(*init)(u64 zone_bytes, u64 grain);
	/*
	 * Place @size bytes (rounded up to the grain) at a multiple of @align
	 * (0 or less than the grain: the grain). On success *@off is the
	 * block's offset and *@handle an opaque cookie the harness keeps for
	 * free. Returns 0 or -ENOMEM.
	 */
	int (*alloc)(void *a, u64 size, u64 align, u64 *off, void **handle);
	/*
	 * Release the block at @off. @size is the size asked for at alloc
	 * (genalloc's gen_pool_free() needs it); @handle as returned.
	 */
	void (*free)(void *a, u64 off, u64 size, void *handle);
	u64 (*largest_free)(void *a);	/* bytes of the largest free extent */
	u64 (*total_free)(void *a);	/* bytes free in all */
	void (*destroy)(void *a);
};

extern const struct bench_alloc ref_sorted_list;
extern const struct bench_alloc ref_bitmap;
#ifndef BENCH_NO_CORE
extern const struct bench_alloc adapt_core;
#endif

static inline u64 bench_round_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

#endif /* BENCH_ALLOC_H */
