// SPDX-License-Identifier: MIT
/*
 * Differential test: the core against a page map, over seeded random
 * operations. The page map knows every free run, so it can say whether an
 * aligned request fits anywhere (completeness) and the smallest run that
 * fits (exact best fit). Every answer of the core is checked against it.
 *
 * usage: test_diff [ops] [pages] [seed]
 */
#include <stdlib.h>
#include <inttypes.h>
#include "check.h"
#include "testops.h"

#define SHIFT	12
#define GRAIN	(1ULL << SHIFT)
#define BASE	(0x30000000ULL + 5 * GRAIN)	/* odd base: absolute align */
#define MAXLIVE	4096

static uint64_t rng_state;

static uint64_t rnd(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

struct ref {
	uint64_t pages;
	int *owner;		/* live index + 1, or 0 when free */
};

struct live {
	struct mmz_extent *b;
	uint64_t first, n;	/* in pages */
};

static struct live live[MAXLIVE];
static int nlive;

struct mismatch {
	long complete, bestfit, order, placement, overlap, lookup, stats, check;
};

/* Aligned position of @n pages in free run [s, e), or -1. */
static int64_t place(uint64_t s, uint64_t e, uint64_t n, uint64_t align,
		     int dir)
{
	uint64_t lo = BASE + s * GRAIN, hi = BASE + e * GRAIN, pos;

	if (e - s < n)
		return -1;
	if (dir == MMZ_LOW_TO_HIGH) {
		pos = (lo + align - 1) / align * align;
		if (pos + n * GRAIN > hi)
			return -1;
	} else {
		pos = (hi - n * GRAIN) / align * align;
		if (pos < lo)
			return -1;
	}
	return (int64_t)((pos - BASE) / GRAIN);
}

/*
 * Smallest free run where the request fits: its length, or 0. Among runs
 * of that length, *at is the lowest that fits: address-ordered best fit
 * (the direction only picks the end of the run).
 */
static uint64_t ref_best(const struct ref *r, uint64_t n, uint64_t align,
			 int dir, uint64_t *nruns, uint64_t *largest,
			 uint64_t *at)
{
	uint64_t i = 0, best = 0;

	*nruns = 0;
	*largest = 0;
	while (i < r->pages) {
		uint64_t s;

		if (r->owner[i]) {
			i++;
			continue;
		}
		for (s = i; i < r->pages && !r->owner[i]; i++)
			;
		(*nruns)++;
		if (i - s > *largest)
			*largest = i - s;
		if (place(s, i, n, align, dir) < 0)
			continue;
		if (!best || i - s < best) {
			best = i - s;
			*at = s;
		}
	}
	return best;
}

/* The free run holding page p (p itself free): [s, e). */
static void run_at(const struct ref *r, uint64_t p, uint64_t *s, uint64_t *e)
{
	*s = p;
	while (*s && !r->owner[*s - 1])
		(*s)--;
	*e = p;
	while (*e < r->pages && !r->owner[*e])
		(*e)++;
}

static uint64_t pick_pages(uint64_t pages)
{
	uint64_t k = below(100);

	if (k < 60)
		return 1 + below(8);
	if (k < 85)
		return 9 + below(56);
	if (k < 95)
		return 65 + below(1024);
	return 1 + below(pages / 2);
}

/*
 * Half without alignment, else a power of two, a non-power-of-two grain
 * multiple (3, 5, ... 17 grains << 0..3) or a byte count that the core
 * rounds up to the grain.
 */
static uint64_t pick_align(void)
{
	uint64_t k = below(10);

	if (k < 5)
		return 0;
	if (k < 8)
		return 1ULL << (SHIFT + below(13));
	if (k < 9)
		return (3 + 2 * below(8)) * GRAIN << below(4);
	return GRAIN * (1 + below(24)) + 1 + below(GRAIN - 1);
}

static void do_alloc(struct mmz_pool *z, struct ref *r, struct mismatch *m)
{
	uint64_t n = pick_pages(r->pages), runs, largest, best, s, e, p, i;
	uint64_t best_at = 0;
	uint64_t align = pick_align();
	/* what the core makes of it: the grain, or rounded up to a multiple */
	uint64_t ra = align <= GRAIN ? GRAIN :
		      (align + GRAIN - 1) / GRAIN * GRAIN;
	int dir = (int)below(2), ret;
	struct mmz_extent *b = NULL;

	if (nlive == MAXLIVE)
		return;
	best = ref_best(r, n, ra, dir, &runs, &largest, &best_at);
	ret = mmz_pool_alloc(z, n * GRAIN - below(GRAIN), align, dir, "d", &b);
	if ((ret == 0) != (best != 0)) {
		if (m->complete++ < 5)
			printf("# completeness: %" PRIu64 " pages align %" PRIx64
			       " dir %d: core %d, ref best run %" PRIu64 "\n",
			       n, align, dir, ret, best);
		if (ret)
			return;
	}
	if (ret)
		return;
	p = (b->phys - BASE) / GRAIN;
	if (b->size != n * GRAIN || b->phys % ra ||
	    b->phys < BASE || p + n > r->pages) {
		m->placement++;
		return;
	}
	for (i = p; i < p + n; i++)
		if (r->owner[i]) {
			m->overlap++;
			return;
		}
	run_at(r, p, &s, &e);
	if (e - s != best && m->bestfit++ < 5)
		printf("# best fit: %" PRIu64 " pages: core run %" PRIu64
		       ", ref %" PRIu64 "\n", n, e - s, best);
	if (s != best_at && m->order++ < 5)
		printf("# tie-break: run at %" PRIu64 ", ref %" PRIu64
		       " (dir %d)\n", s, best_at, dir);
	if ((int64_t)p != place(s, e, n, ra, dir))
		m->placement++;
	for (i = p; i < p + n; i++)
		r->owner[i] = nlive + 1;
	live[nlive].b = b;
	live[nlive].first = p;
	live[nlive].n = n;
	nlive++;
}

static void do_free(struct mmz_pool *z, struct ref *r)
{
	int k = (int)below((uint64_t)nlive);
	uint64_t i;

	mmz_pool_free(z, live[k].b);
	for (i = live[k].first; i < live[k].first + live[k].n; i++)
		r->owner[i] = 0;
	nlive--;
	if (k != nlive) {
		live[k] = live[nlive];
		for (i = live[k].first; i < live[k].first + live[k].n; i++)
			r->owner[i] = k + 1;
	}
}

static void do_lookup(const struct mmz_pool *z, const struct ref *r,
		      struct mismatch *m)
{
	uint64_t p = below(r->pages), off = below(GRAIN);
	const struct mmz_extent *want = r->owner[p] ? live[r->owner[p] - 1].b
						   : NULL;
	const struct mmz_extent *got;

	got = mmz_pool_find_containing(z, BASE + p * GRAIN + off);
	if (got != want)
		m->lookup++;
	got = mmz_pool_find(z, BASE + p * GRAIN);
	if (got != (want && want->phys == BASE + p * GRAIN ? want : NULL))
		m->lookup++;
	if (mmz_pool_find(z, BASE + p * GRAIN + 1 + (off % (GRAIN - 1))))
		m->lookup++;	/* no block starts inside a grain */
	if (mmz_pool_find_containing(z, BASE - 1) ||
	    mmz_pool_find_containing(z, BASE + r->pages * GRAIN))
		m->lookup++;
}

static void do_stats(const struct mmz_pool *z, const struct ref *r,
		     struct mismatch *m)
{
	struct mmz_pool_stats st;
	uint64_t runs, largest, used = 0, i, at;

	ref_best(r, r->pages + 1, GRAIN, 0, &runs, &largest, &at);
	for (i = 0; i < r->pages; i++)
		used += r->owner[i] != 0;
	mmz_pool_stats(z, &st);
	if (st.used != used * GRAIN || st.free_extents != runs ||
	    st.largest_free != largest * GRAIN ||
	    st.blocks != (unsigned long)nlive)
		m->stats++;
	if (mmz_pool_check(z))
		m->check++;
}

int main(int argc, char **argv)
{
	long ops = argc > 1 ? atol(argv[1]) : 200000;
	uint64_t pages = argc > 2 ? strtoull(argv[2], NULL, 0) : 4096;
	struct mismatch m = { 0 };
	struct testops tops;
	struct mmz_ops mops = testops_make(&tops);
	struct mmz_pool z;
	struct ref r;
	long op, allocs = 0;

	rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x6d6d7a;
	r.pages = pages;
	r.owner = calloc(pages, sizeof(*r.owner));
	if (!r.owner || mmz_pool_init(&z, "diff", BASE, pages * GRAIN, SHIFT,
				      &mops))
		return 2;
	for (op = 0; op < ops; op++) {
		uint64_t k = below(100);
		/* drift between nearly empty and nearly full */
		uint64_t want = (uint64_t)(op / 5000 % 2 ? 70 : 40);

		if (nlive && (k >= want || nlive == MAXLIVE)) {
			do_free(&z, &r);
		} else {
			do_alloc(&z, &r, &m);
			allocs++;
		}
		do_lookup(&z, &r, &m);
		if (op % 64 == 0)
			do_stats(&z, &r, &m);
	}
	while (nlive)
		do_free(&z, &r);
	do_stats(&z, &r, &m);
	printf("# %ld ops (%ld allocs), %" PRIu64 " pages, %d small bins\n",
	       ops, allocs, pages, MMZ_SMALL_BINS);
	CHECK_EQ(m.complete, 0, "refused while an aligned run fitted");
	CHECK_EQ(m.bestfit, 0, "chose a bigger run than the best fit");
	CHECK_EQ(m.order, 0, "not the lowest run of the best size");
	CHECK_EQ(m.placement, 0, "wrong size, alignment or position");
	CHECK_EQ(m.overlap, 0, "block over used pages");
	CHECK_EQ(m.lookup, 0, "find/find_containing disagree with the map");
	CHECK_EQ(m.stats, 0, "stats disagree with the map");
	CHECK_EQ(m.check, 0, "mmz_pool_check() found violations");
	CHECK_EQ(z.used, 0, "empty at the end");
	mmz_pool_destroy(&z);
	CHECK_EQ(tops.live, 0, "metadata freed");
	free(r.owner);
	return check_done("test_diff");
}
