// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the input is a zone geometry followed by operations.
 * After every operation mmz_pool_check() must report 0 violations, every
 * block must lie inside the zone without overlap, and at the end freeing
 * everything must leave one free extent and no metadata.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mmz_core.h"

#define MAXLIVE 256

static long live_meta;

static void *fa(void *ctx, size_t n)
{
	(void)ctx;
	live_meta++;
	return malloc(n);
}

static void ff(void *ctx, void *p)
{
	(void)ctx;
	if (p)
		live_meta--;
	free(p);
}

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static void must(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mmz_ops ops = { fa, ff, NULL };
	struct mmz_extent *live[MAXLIVE];
	struct in in = { data, size };
	unsigned int shift = 9 + take(&in, 1) % 8;	/* 512 B .. 64 KiB */
	uint64_t grains = 1 + take(&in, 2) % 6000;
	uint64_t base = (take(&in, 4) << 12) & ~((1ULL << shift) - 1);
	struct mmz_pool z;
	int nlive = 0, i;

	if (mmz_pool_init(&z, "fuzz", base, grains << shift, shift, &ops))
		return 0;
	while (in.n) {
		unsigned int op = (unsigned int)take(&in, 1);
		struct mmz_extent *b;

		switch (op % 4) {
		case 0:
		case 1: {	/* alloc: size in grains + odd bytes, align, dir */
			uint64_t sz = take(&in, 2) % (grains + 2);
			uint64_t extra = take(&in, 1);
			unsigned int a = (unsigned int)take(&in, 1);
			uint64_t align = a % 3 ? 0 : 1ULL << (a % 40);
			uint64_t g = 1ULL << shift, ra;
			int ret;

			if (a % 17 == 0)
				align |= 1;	/* sometimes not a power of two */
			if (a % 19 == 0)
				align *= 3;
			/* the core rounds any align up to the grain */
			ra = align < g ? g : (align + g - 1) & ~(g - 1);
			ret = mmz_pool_alloc(&z, (sz << shift) + extra, align,
					     (op >> 2) % 3, "f", &b);
			if (ret)
				break;
			must(b->phys >= base && b->phys - base < (grains << shift));
			must(b->size <= (grains << shift) - (b->phys - base));
			must(b->phys % ra == 0);
			must(mmz_pool_find(&z, b->phys) == b);
			must(mmz_pool_find_containing(&z, b->phys + b->size - 1) == b);
			if (nlive < MAXLIVE)
				live[nlive++] = b;
			else
				mmz_pool_free(&z, b);
			break;
		}
		case 2:		/* free */
			if (!nlive)
				break;
			i = (int)(take(&in, 1) % (uint64_t)nlive);
			mmz_pool_free(&z, live[i]);
			live[i] = live[--nlive];
			break;
		case 3: {	/* look-ups anywhere, in and around the zone */
			uint64_t a = base + (take(&in, 3) << (shift - 3)) -
				     (1ULL << shift);

			b = mmz_pool_find_containing(&z, a);
			must(!b || (a >= b->phys && a - b->phys < b->size));
			b = mmz_pool_find(&z, a);
			must(!b || b->phys == a);
			break;
		}
		}
		must(mmz_pool_check(&z) == 0);
	}
	while (nlive)
		mmz_pool_free(&z, live[--nlive]);
	{
		struct mmz_pool_stats s;

		mmz_pool_stats(&z, &s);
		must(s.used == 0 && s.free_extents == 1 &&
		     s.largest_free == grains << shift);
	}
	must(mmz_pool_check(&z) == 0);
	mmz_pool_destroy(&z);
	must(live_meta == 0);
	return 0;
}
