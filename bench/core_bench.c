// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Core placement benchmark: the mmz core against two reference placements
 * on identical seeded workloads.
 *
 *   core_bench pair <alloc> <n> [batches] [per_batch]
 *	n live blocks in a 1 GiB zone, then repeated pairs "free a random
 *	live block + allocate a new one". Run under
 *	  valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
 *		--toggle-collect=bench_pair
 *	each batch is dumped to its own callgrind file; instructions per pair
 *	are the batch totals / per_batch (bench/run.sh takes the median).
 *	Natively it prints ns/pair, for information only.
 *   core_bench churn <alloc> [requests]
 *	load kept near 85 %, mixed sizes and alignments: success rate of
 *	allocation requests and largest free extent / total free at the end.
 *   core_bench selftest
 *	random ops on every placement, checked against a brute-force oracle.
 *   core_bench list
 *
 * <alloc> is mmz_core, sorted_list or bitmap.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>	/* Debian: package "valgrind" */

#include "bench_alloc.h"

#define KIB		1024ULL
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)

#define ZONE_BYTES	GIB
#define GRAIN		(4 * KIB)
#define MAX_PAGES	2048		/* 8 MiB / 4 KiB */
#define SEED		0x6d6d7a2d62656e63ULL	/* "mmz-benc" */

#define CHURN_LOAD_PCT	85
#define CHURN_SKIP	2000		/* requests of the initial fill */

static const struct bench_alloc *const allocators[] = {
#ifndef BENCH_NO_CORE
	&adapt_core,
#endif
	&ref_sorted_list,
	&ref_bitmap,
};
#define NR_ALLOCATORS	(sizeof(allocators) / sizeof(allocators[0]))

/* ---- seeded randomness: splitmix64, identical on every host ---- */

struct rng {
	u64 s;
};

static u64 rng_next(struct rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rng_below(struct rng *r, u64 n)
{
	return rng_next(r) % n;	/* bias < 2^-40 for our n: irrelevant */
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0; /* [0, 1) */
}

/*
 * Pair-mode sizes: p pages, p in [1, 2048], P(p) proportional to p^-2.
 * Buffers in a media pipeline are mostly small (descriptors, small
 * frames) with a heavy tail of big ones; p^-2 gives a mean of about 5
 * pages (20 KiB), so even 16k live blocks use only ~320 MiB of the 1 GiB
 * zone and every allocation succeeds in every placement: the op sequence
 * stays identical for all of them. The CDF is a 32-bit fixed-point table
 * searched by bisection.
 */
static u64 plaw_cdf[MAX_PAGES + 1];	/* [p] = P(pages <= p) * 2^32 */
static double plaw_mean_pages;

static void plaw_setup(void)
{
	double sum = 0, wsum = 0, acc = 0;
	int p;

	for (p = 1; p <= MAX_PAGES; p++) {
		sum += 1.0 / ((double)p * p);
		wsum += 1.0 / p;
	}
	plaw_mean_pages = wsum / sum;
	for (p = 1; p <= MAX_PAGES; p++) {
		acc += 1.0 / ((double)p * p);
		plaw_cdf[p] = (u64)(acc / sum * 4294967296.0);
	}
	plaw_cdf[MAX_PAGES] = 1ULL << 32;
}

static u64 plaw_size(struct rng *r)
{
	u64 u = rng_next(r) >> 32;
	int lo = 1, hi = MAX_PAGES;

	while (lo < hi) {	/* smallest p with cdf[p] > u */
		int mid = (lo + hi) / 2;

		if (plaw_cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (u64)lo * GRAIN;
}

/* Churn sizes: log-uniform over 4 KiB..8 MiB, rounded up to pages. */
static u64 logu_size(struct rng *r)
{
	u64 p = (u64)ceil(pow(2.0, 11.0 * rng_unit(r)));

	return (p > MAX_PAGES ? MAX_PAGES : p) * GRAIN;
}

static const struct bench_alloc *find_alloc(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ALLOCATORS; i++)
		if (!strcmp(allocators[i]->name, name))
			return allocators[i];
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct live {
	u64 off;
	u64 size;
	void *h;
};

/* ---- pair mode ---- */

struct pair_op {
	u64 victim;	/* index into the live array */
	u64 size;
};

/*
 * The measured unit, kept out of line under a fixed name so that
 * callgrind's --toggle-collect=bench_pair counts exactly this: one free
 * and one alloc through the placement's interface.
 */
__attribute__((noinline, noclone))
int bench_pair(const struct bench_alloc *a, void *z, struct live *l, u64 size)
{
	a->free(z, l->off, l->size, l->h);
	l->size = size;
	return a->alloc(z, size, 0, &l->off, &l->h);
}

static int run_pair(const struct bench_alloc *a, u64 n, int batches,
		    int per_batch)
{
	struct rng r = { SEED ^ n };
	struct live *live = calloc(n, sizeof(*live));
	struct pair_op *ops = calloc((size_t)batches * per_batch, sizeof(*ops));
	double *ns = calloc(batches, sizeof(*ns));
	u64 nlive = 0, nops = 0, used = 0, i;
	void *z = a->init(ZONE_BYTES, GRAIN);
	int b, k, ret = 1;

	if (!live || !ops || !ns || !z) {
		fprintf(stderr, "core_bench: out of memory\n");
		goto out;
	}

	/*
	 * Warm-up: a random walk of allocs (2/3) and frees (1/3) until n
	 * blocks are live, so the free space is scattered holes and not one
	 * tail. No allocation can fail here (see plaw_size()), so every
	 * placement sees the same sequence.
	 */
	while (nlive < n) {
		nops++;
		if (nlive && rng_below(&r, 3) == 0) {
			i = rng_below(&r, nlive);
			a->free(z, live[i].off, live[i].size, live[i].h);
			used -= live[i].size;
			live[i] = live[--nlive];
			continue;
		}
		live[nlive].size = plaw_size(&r);
		if (a->alloc(z, live[nlive].size, 0, &live[nlive].off,
			     &live[nlive].h)) {
			fprintf(stderr, "core_bench: %s: warm-up alloc failed\n",
				a->name);
			goto out;
		}
		used += live[nlive++].size;
	}

	/* The measured ops are drawn up front: no RNG inside the counts. */
	for (k = 0; k < batches * per_batch; k++) {
		ops[k].victim = rng_below(&r, n);
		ops[k].size = plaw_size(&r);
	}

	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
	for (b = 0; b < batches; b++) {
		const struct pair_op *op = ops + (size_t)b * per_batch;
		double t0 = now_ns();

		for (k = 0; k < per_batch; k++, op++) {
			if (bench_pair(a, z, &live[op->victim], op->size)) {
				fprintf(stderr, "core_bench: %s: pair alloc failed\n",
					a->name);
				goto out;
			}
		}
		ns[b] = (now_ns() - t0) / per_batch;
		CALLGRIND_DUMP_STATS_AT("batch");
	}
	CALLGRIND_STOP_INSTRUMENTATION;

	for (used = 0, i = 0; i < n; i++)
		used += live[i].size;
	if (a->total_free(z) != ZONE_BYTES - used) {
		fprintf(stderr, "core_bench: %s: free space %llu, expected %llu\n",
			a->name, (unsigned long long)a->total_free(z),
			(unsigned long long)(ZONE_BYTES - used));
		goto out;
	}
	qsort(ns, batches, sizeof(*ns), cmp_double);
	printf("pair alloc=%s n=%llu batches=%d per_batch=%d warmup_ops=%llu "
	       "used_mib=%.1f largest_free_mib=%.1f ns_per_pair_median=%.1f\n",
	       a->name, (unsigned long long)n, batches, per_batch,
	       (unsigned long long)nops, (double)used / MIB,
	       (double)a->largest_free(z) / MIB, ns[batches / 2]);
	ret = 0;
out:
	if (z)
		a->destroy(z);
	free(ns);
	free(ops);
	free(live);
	return ret;
}

/* ---- churn mode ---- */

static const u64 churn_aligns[] = { 0, 0, 0, 64 * KIB, MIB };

/*
 * Every placement gets the same list of requests (size, align) from one
 * stream. Before each request, random live blocks are freed (index from a
 * second stream, modulo the live count) until the request would fit under
 * 85 % load. A failed request is counted and skipped. The first
 * CHURN_SKIP requests fill the zone and are not counted.
 */
static int run_churn(const struct bench_alloc *a, u64 requests)
{
	struct rng rq = { SEED }, rf = { ~SEED };
	u64 target = ZONE_BYTES / 100 * CHURN_LOAD_PCT;
	u64 cap = ZONE_BYTES / GRAIN, nlive = 0, used = 0, k, i;
	u64 tried = 0, ok = 0, big_tried = 0, big_ok = 0;
	struct live *live = calloc(cap, sizeof(*live));
	void *z = a->init(ZONE_BYTES, GRAIN);
	double load_sum = 0;
	int ret = 1;

	if (!live || !z) {
		fprintf(stderr, "core_bench: out of memory\n");
		goto out;
	}
	for (k = 0; k < requests; k++) {
		u64 size = logu_size(&rq);
		u64 align = churn_aligns[rng_below(&rq, 5)];
		int fail;

		while (nlive && used + size > target) {
			i = rng_below(&rf, nlive);
			a->free(z, live[i].off, live[i].size, live[i].h);
			used -= live[i].size;
			live[i] = live[--nlive];
		}
		fail = a->alloc(z, size, align, &live[nlive].off,
				&live[nlive].h);
		if (!fail) {
			live[nlive++].size = size;
			used += size;
		}
		if (k < CHURN_SKIP)
			continue;
		tried++;
		ok += !fail;
		if (size >= MIB) {
			big_tried++;
			big_ok += !fail;
		}
		load_sum += (double)used / ZONE_BYTES;
	}
	if (a->total_free(z) != ZONE_BYTES - used) {
		fprintf(stderr, "core_bench: %s: churn free space mismatch\n",
			a->name);
		goto out;
	}
	printf("churn alloc=%s requests=%llu counted=%llu success_pct=%.2f "
	       "large_success_pct=%.2f largest_over_free_pct=%.2f "
	       "mean_load_pct=%.2f live=%llu\n",
	       a->name, (unsigned long long)requests,
	       (unsigned long long)tried, 100.0 * ok / tried,
	       big_tried ? 100.0 * big_ok / big_tried : 0.0,
	       100.0 * a->largest_free(z) / a->total_free(z),
	       100.0 * load_sum / tried, (unsigned long long)nlive);
	ret = 0;
out:
	if (z)
		a->destroy(z);
	free(live);
	return ret;
}

/* ---- selftest: random ops against a brute-force oracle ---- */

#define ST_ZONE		(64 * MIB)
#define ST_OPS		6000
#define ST_MAX_LIVE	4096

enum st_policy { ST_BEST_FIT, ST_FIRST_FIT, ST_BEST_FIT_SIZE };

struct st_fit {
	int found;
	u64 at;		/* chosen offset */
	u64 gap;	/* size of the gap it lies in */
};

static int cmp_live(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Over the live blocks sorted by offset: the best-fit (smallest gap, lowest
 * on ties) and first-fit (lowest aligned offset) answers, and the largest
 * gap. Returns -1 if live blocks overlap or leave the zone.
 */
static int st_oracle(struct live *lv, u64 n, u64 size, u64 align,
		     struct st_fit *best, struct st_fit *first, u64 *largest)
{
	u64 start = 0, i;

	qsort(lv, n, sizeof(*lv), cmp_live);
	best->found = first->found = 0;
	*largest = 0;
	for (i = 0; i <= n; i++) {
		u64 end = i < n ? lv[i].off : ST_ZONE;
		u64 at = bench_round_up(start, align);

		if (end < start)
			return -1;
		if (end - start > *largest)
			*largest = end - start;
		if (at < end && end - at >= size) {
			if (!first->found) {
				first->found = 1;
				first->at = at;
				first->gap = end - start;
			}
			if (!best->found || end - start < best->gap) {
				best->found = 1;
				best->at = at;
				best->gap = end - start;
			}
		}
		if (i < n)
			start = lv[i].off + bench_round_up(lv[i].size, GRAIN);
	}
	return start > ST_ZONE ? -1 : 0;
}

/* Gap (bytes) around @off among the sorted live blocks, @off excluded. */
static u64 st_gap_of(const struct live *lv, u64 n, u64 off, u64 *gap_start)
{
	u64 start = 0, i;

	for (i = 0; i <= n; i++) {
		u64 end = i < n ? lv[i].off : ST_ZONE;

		if (off >= start && off < end) {
			*gap_start = start;
			return end - start;
		}
		if (i < n)
			start = lv[i].off + bench_round_up(lv[i].size, GRAIN);
	}
	*gap_start = 0;
	return 0;
}

static int selftest_one(const struct bench_alloc *a, enum st_policy pol)
{
	static const u64 aligns[] = { 0, 2 * KIB, 4 * KIB, 8 * KIB, 64 * KIB,
				      MIB, 4 * MIB };
	struct rng r = { SEED + 7 };
	struct live *lv = calloc(ST_MAX_LIVE, sizeof(*lv));
	void *z = a->init(ST_ZONE, GRAIN);
	u64 n = 0, used = 0, largest, k, i, nomem = 0, allocs = 0;
	struct st_fit best, first;
	int errs = 0;

	if (!lv || !z) {
		printf("selftest %s: init failed\n", a->name);
		free(lv);
		return 1;
	}
	for (k = 0; k < ST_OPS && errs < 10; k++) {
		if (n && (n == ST_MAX_LIVE || rng_below(&r, 5) < 2)) {
			i = rng_below(&r, n);
			a->free(z, lv[i].off, lv[i].size, lv[i].h);
			used -= bench_round_up(lv[i].size, GRAIN);
			lv[i] = lv[--n];
		} else {
			u64 size = rng_below(&r, 2) ? plaw_size(&r) :
						      logu_size(&r);
			u64 align = aligns[rng_below(&r, 7)];
			u64 ealign = align < GRAIN ? GRAIN : align;
			u64 rsize, off = 0, gs, want;
			void *h = NULL;
			int ret;

			if (rng_below(&r, 4) == 0)	/* not a grain multiple */
				size -= rng_below(&r, GRAIN);
			rsize = bench_round_up(size, GRAIN);
			if (st_oracle(lv, n, rsize, ealign, &best, &first,
				      &largest)) {
				printf("selftest %s: op %llu: overlap\n",
				       a->name, (unsigned long long)k);
				errs++;
			}
			ret = a->alloc(z, size, align, &off, &h);
			allocs++;
			if (ret != (best.found ? 0 : -ENOMEM)) {
				printf("selftest %s: op %llu: alloc %llu/%llu "
				       "returned %d, fit exists: %d\n",
				       a->name, (unsigned long long)k,
				       (unsigned long long)size,
				       (unsigned long long)align, ret,
				       best.found);
				errs++;
			}
			if (ret) {
				nomem++;
				continue;
			}
			want = pol == ST_FIRST_FIT ? first.at : best.at;
			if (off % ealign || off + rsize > ST_ZONE) {
				printf("selftest %s: op %llu: bad placement "
				       "0x%llx\n", a->name,
				       (unsigned long long)k,
				       (unsigned long long)off);
				errs++;
			} else if (pol == ST_BEST_FIT_SIZE) {
				/* Exact best fit, any extent of that size. */
				if (st_gap_of(lv, n, off, &gs) != best.gap ||
				    off != bench_round_up(gs, ealign)) {
					printf("selftest %s: op %llu: 0x%llx is "
					       "not a best fit\n", a->name,
					       (unsigned long long)k,
					       (unsigned long long)off);
					errs++;
				}
			} else if (off != want) {
				printf("selftest %s: op %llu: got 0x%llx, "
				       "want 0x%llx\n", a->name,
				       (unsigned long long)k,
				       (unsigned long long)off,
				       (unsigned long long)want);
				errs++;
			}
			lv[n].off = off;
			lv[n].size = size;
			lv[n++].h = h;
			used += rsize;
		}
		if (a->total_free(z) != ST_ZONE - used) {
			printf("selftest %s: op %llu: total_free %llu want %llu\n",
			       a->name, (unsigned long long)k,
			       (unsigned long long)a->total_free(z),
			       (unsigned long long)(ST_ZONE - used));
			errs++;
		}
		if (k % 16 == 0) {
			if (st_oracle(lv, n, GRAIN, GRAIN, &best, &first,
				      &largest))
				errs++;
			if (a->largest_free(z) != largest) {
				printf("selftest %s: op %llu: largest %llu "
				       "want %llu\n", a->name,
				       (unsigned long long)k,
				       (unsigned long long)a->largest_free(z),
				       (unsigned long long)largest);
				errs++;
			}
		}
	}
	while (n) {	/* everything back: one extent of the whole zone */
		i = rng_below(&r, n);
		a->free(z, lv[i].off, lv[i].size, lv[i].h);
		lv[i] = lv[--n];
	}
	if (a->total_free(z) != ST_ZONE || a->largest_free(z) != ST_ZONE) {
		printf("selftest %s: after freeing all: total %llu largest %llu\n",
		       a->name, (unsigned long long)a->total_free(z),
		       (unsigned long long)a->largest_free(z));
		errs++;
	}
	printf("selftest %s: %llu ops (%llu allocs, %llu -ENOMEM): %s\n",
	       a->name, (unsigned long long)k, (unsigned long long)allocs,
	       (unsigned long long)nomem, errs ? "FAIL" : "ok");
	a->destroy(z);
	free(lv);
	return errs != 0;
}

static int run_selftest(void)
{
	int fails = 0;
	size_t i;

	for (i = 0; i < NR_ALLOCATORS; i++) {
		const struct bench_alloc *a = allocators[i];
		enum st_policy pol = ST_BEST_FIT_SIZE;

		if (a == &ref_sorted_list)
			pol = ST_BEST_FIT;
		else if (a == &ref_bitmap)
			pol = ST_FIRST_FIT;
		fails += selftest_one(a, pol);
	}
	return fails ? 1 : 0;
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr,
		"usage: core_bench pair <alloc> <n> [batches] [per_batch]\n"
		"       core_bench churn <alloc> [requests]\n"
		"       core_bench selftest | list\n");
}

static void header(void)
{
	printf("# zone %llu MiB, grain %llu KiB, seed 0x%llx\n"
	       "# pair sizes: 4 KiB * p, p in [1,%d], P(p) ~ p^-2 "
	       "(mean %.1f KiB), align 0\n"
	       "# churn sizes: log-uniform 4 KiB..8 MiB, align one of "
	       "{0,0,0,64K,1M}, load kept <= %d %%, first %d requests not "
	       "counted\n",
	       (unsigned long long)(ZONE_BYTES / MIB),
	       (unsigned long long)(GRAIN / KIB), (unsigned long long)SEED,
	       MAX_PAGES, plaw_mean_pages * GRAIN / KIB, CHURN_LOAD_PCT,
	       CHURN_SKIP);
}

int main(int argc, char **argv)
{
	const struct bench_alloc *a = NULL;
	size_t i;

	plaw_setup();
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		for (i = 0; i < NR_ALLOCATORS; i++)
			printf("%s\n", allocators[i]->name);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "selftest"))
		return run_selftest();
	if (argc >= 3) {
		a = find_alloc(argv[2]);
		if (!a) {
			fprintf(stderr, "core_bench: unknown allocator %s\n",
				argv[2]);
			return 2;
		}
	}
	if (a && argc >= 4 && !strcmp(argv[1], "pair")) {
		u64 n = strtoull(argv[3], NULL, 0);
		int batches = argc > 4 ? atoi(argv[4]) : 31;
		int per_batch = argc > 5 ? atoi(argv[5]) : 200;

		if (!n || batches < 1 || per_batch < 1) {
			usage();
			return 2;
		}
		header();
		return run_pair(a, n, batches, per_batch);
	}
	if (a && !strcmp(argv[1], "churn")) {
		u64 requests = argc > 3 ? strtoull(argv[3], NULL, 0) : 200000;

		if (requests <= CHURN_SKIP) {
			usage();
			return 2;
		}
		header();
		return run_churn(a, requests);
	}
	usage();
	return 2;
}
