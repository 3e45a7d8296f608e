// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The mmz core behind the bench interface. Metadata comes from malloc(),
 * like the references' nodes. Free looks the block up by its physical
 * address with mmz_pool_find(), because that is what the FREE ioctl has to
 * do (the user passes phys_addr) and the vendor list walk it replaces is
 * charged the same way; the stored handle only cross-checks the lookup.
 */
#include <errno.h>
#include <stdlib.h>

#include "bench_alloc.h"
#include "mmz_core.h"

/* A realistic, 1 GiB aligned zone base: offset alignment == phys alignment. */
#define CORE_BASE	0x80000000ULL

static void *core_meta_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void core_meta_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static const struct mmz_ops core_ops = {
	.alloc = core_meta_alloc,
	.free = core_meta_free,
};

static void *core_init(u64 zone_bytes, u64 grain)
{
	struct mmz_pool *z = calloc(1, sizeof(*z));

	if (!z || (grain & (grain - 1)))
		goto err;
	if (mmz_pool_init(z, "bench", CORE_BASE, zone_bytes,
			  (unsigned int)__builtin_ctzll(grain), &core_ops))
		goto err;
	return z;
err:
	free(z);
	return NULL;
}

static int core_alloc(void *a, u64 size, u64 align, u64 *off, void **handle)
{
	struct mmz_extent *b;
	int ret = mmz_pool_alloc(a, size, align, MMZ_LOW_TO_HIGH, NULL, &b);

	if (ret)
		return ret;
	*off = b->phys - CORE_BASE;
	*handle = b;
	return 0;
}

static void core_free(void *a, u64 off, u64 size, void *handle)
{
	struct mmz_extent *b = mmz_pool_find(a, CORE_BASE + off);

	(void)size;
	if (b != handle)
		abort();	/* the core's index lost a block */
	mmz_pool_free(a, b);
}

static u64 core_largest_free(void *a)
{
	struct mmz_pool_stats s;

	mmz_pool_stats(a, &s);
	return s.largest_free;
}

static u64 core_total_free(void *a)
{
	struct mmz_pool_stats s;

	mmz_pool_stats(a, &s);
	return s.free;
}

static void core_destroy(void *a)
{
	mmz_pool_destroy(a);
	free(a);
}

const struct bench_alloc adapt_core = {
	.name = "mmz_core",
	.init = core_init,
	.alloc = core_alloc,
	.free = core_free,
	.largest_free = core_largest_free,
	.total_free = core_total_free,
	.destroy = core_destroy,
};
