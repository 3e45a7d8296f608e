// SPDX-License-Identifier: MIT
/* Placement: sizes, alignment, direction, coalescing, errors, stats. */
#include "check.h"
#include "testops.h"

static struct testops tops;
static struct mmz_ops ops;

#define BASE	0x30000000ULL

static struct mmz_extent *alloc_ok(struct mmz_pool *z, mmz_addr_t size,
				  mmz_addr_t align, int dir)
{
	struct mmz_extent *b = NULL;
	int ret = mmz_pool_alloc(z, size, align, dir, "t", &b);

	CHECK(ret == 0, "alloc size 0x%llx align 0x%llx: %d",
	      (unsigned long long)size, (unsigned long long)align, ret);
	return ret ? NULL : b;
}

/*
 * |0          1M         2M ... 16M|
 * |a (64K)|b (64K)|c (4K)|   free   |
 */
static void test_basic(void)
{
	struct mmz_pool z;
	struct mmz_pool_stats s;
	struct mmz_extent *a, *b, *c;

	CHECK_EQ(mmz_pool_init(&z, "anonymous", BASE, MiB(16), 12, &ops), 0,
		 "init");
	CHECK_EQ(mmz_pool_check(&z), 0, "empty zone consistent");
	mmz_pool_stats(&z, &s);
	CHECK_EQ(s.total, MiB(16), "total");
	CHECK_EQ(s.free, MiB(16), "free");
	CHECK_EQ(s.largest_free, MiB(16), "largest");
	CHECK_EQ(s.free_extents, 1, "one extent");

	a = alloc_ok(&z, KiB(64), 0, MMZ_LOW_TO_HIGH);
	b = alloc_ok(&z, KiB(60) + 1, 0, MMZ_LOW_TO_HIGH);
	c = alloc_ok(&z, 1, 0, MMZ_LOW_TO_HIGH);
	CHECK_EQ(a->phys, BASE, "first block at base");
	CHECK_EQ(b->phys, BASE + KiB(64), "second follows");
	CHECK_EQ(b->size, KiB(64), "size rounded up to grain");
	CHECK_EQ(c->size, KiB(4), "1 byte -> one grain");
	CHECK_STR(a->name, "t", "name kept");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");

	mmz_pool_stats(&z, &s);
	CHECK_EQ(s.used, KiB(132), "used");
	CHECK_EQ(s.blocks, 3, "blocks");
	CHECK_EQ(s.largest_free, MiB(16) - KiB(132), "largest after allocs");

	/* free the middle: a hole that does not coalesce */
	mmz_pool_free(&z, b);
	mmz_pool_stats(&z, &s);
	CHECK_EQ(s.free_extents, 2, "hole + tail");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent after free");

	/* best fit: a 64K request goes into the 64K hole, not the tail */
	b = alloc_ok(&z, KiB(64), 0, MMZ_LOW_TO_HIGH);
	CHECK_EQ(b->phys, BASE + KiB(64), "best fit reuses the hole");

	/* free all: coalesce to a single extent */
	mmz_pool_free(&z, a);
	mmz_pool_free(&z, c);
	mmz_pool_free(&z, b);
	mmz_pool_stats(&z, &s);
	CHECK_EQ(s.free_extents, 1, "coalesced");
	CHECK_EQ(s.used, 0, "empty");
	CHECK_EQ(s.largest_free, MiB(16), "whole zone free again");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent when empty");
	mmz_pool_destroy(&z);
	CHECK_EQ(tops.live, 0, "destroy frees all metadata");
}

/* Best fit among many holes of different sizes, bins and tree alike. */
static void test_best_fit(void)
{
	static const unsigned int holes[] = { 7, 3, 9, 1500, 5, 1200, 2000 };
	struct mmz_extent *blk[16], *sep[16], *b;
	struct mmz_pool z;
	unsigned int i;

	mmz_pool_init(&z, "z", 0, MiB(64), 12, &ops);
	for (i = 0; i < 7; i++) {
		blk[i] = alloc_ok(&z, KiB(4) * holes[i], 0, 0);
		sep[i] = alloc_ok(&z, KiB(4), 0, 0);
	}
	for (i = 0; i < 7; i++)
		mmz_pool_free(&z, blk[i]);
	CHECK_EQ(mmz_pool_check(&z), 0, "holes");

	b = alloc_ok(&z, KiB(4) * 4, 0, 0);
	CHECK_EQ(b->phys, sep[4]->phys - KiB(4) * 5, "4 pages -> 5-page hole");
	mmz_pool_free(&z, b);
	b = alloc_ok(&z, KiB(4) * 1100, 0, 0);
	CHECK_EQ(b->phys, sep[5]->phys - KiB(4) * 1200,
		 "1100 pages -> 1200-page hole (tree)");
	mmz_pool_free(&z, b);
	b = alloc_ok(&z, KiB(4) * 1501, 0, 0);
	CHECK_EQ(b->phys, sep[6]->phys - KiB(4) * 2000,
		 "1501 pages -> 2000-page hole");
	mmz_pool_free(&z, b);
	b = alloc_ok(&z, KiB(4) * 10, 0, 0);
	CHECK_EQ(b->phys, sep[5]->phys - KiB(4) * 1200,
		 "10 pages: no small hole fits, smallest large one");
	mmz_pool_free(&z, b);
	for (i = 0; i < 7; i++)
		mmz_pool_free(&z, sep[i]);
	CHECK_EQ(mmz_pool_check(&z), 0, "all free");
	mmz_pool_destroy(&z);
}

/*
 * Alignment is of the physical address, not of the zone offset:
 * zone at 0x30001000 (not 1M aligned) still gives 1M-aligned blocks.
 */
static void test_align(void)
{
	struct mmz_pool z;
	struct mmz_extent *a, *b, *c, *d;

	mmz_pool_init(&z, "z", BASE + KiB(4), MiB(8), 12, &ops);
	a = alloc_ok(&z, KiB(4), MiB(1), MMZ_LOW_TO_HIGH);
	CHECK_EQ(a->phys, BASE + MiB(1), "1M aligned from an odd base");
	b = alloc_ok(&z, KiB(4), KiB(1), MMZ_LOW_TO_HIGH);
	CHECK_EQ(b->phys, BASE + KiB(4), "align below grain = grain");
	c = alloc_ok(&z, KiB(4), MiB(1), MMZ_HIGH_TO_LOW);
	CHECK_EQ(c->phys, BASE + MiB(8), "top aligned position");
	CHECK_EQ(c->phys & (MiB(1) - 1), 0, "aligned");
	CHECK_EQ(mmz_pool_alloc(&z, KiB(4), GiB(1), 0, NULL, &d), -ENOMEM,
		 "no 1G aligned address in the zone");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_free(&z, a);
	mmz_pool_free(&z, b);
	mmz_pool_free(&z, c);
	mmz_pool_destroy(&z);
}

/* Lowest (LOW_TO_HIGH) or highest multiple of @a for @size in [lo, hi). */
static mmz_addr_t first_multiple(mmz_addr_t lo, mmz_addr_t hi,
				 mmz_addr_t size, mmz_addr_t a, int dir)
{
	if (dir == MMZ_LOW_TO_HIGH)
		return (lo + a - 1) / a * a;
	return (hi - size) / a * a;
}

/*
 * Any alignment, as the vendor takes it: rounded up to the grain, then a
 * multiple of that (3 pages: multiples of 12K), not only powers of two.
 */
static void test_align_any(void)
{
	static const struct {
		mmz_addr_t align, used;	/* asked, rounded */
	} al[] = {
		{ KiB(12), KiB(12) },		/* 3 pages */
		{ KiB(20), KiB(20) },		/* 5 pages */
		{ KiB(48), KiB(48) },		/* 12 pages */
		{ KiB(4) + 1, KiB(8) },		/* 4097 bytes */
		{ 3, KiB(4) },			/* below the grain */
		{ MiB(3), MiB(3) },
		{ MiB(1) + KiB(4), MiB(1) + KiB(4) },
	};
	const mmz_addr_t lo = BASE + KiB(4), hi = lo + MiB(16);
	struct mmz_pool z;
	struct mmz_extent *b, *d, *keep[2 * 7];
	unsigned int i, n = 0;
	int dir;

	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < 7; i++) {
			mmz_pool_init(&z, "z", lo, hi - lo, 12, &ops);
			b = alloc_ok(&z, KiB(8), al[i].align, dir);
			if (b) {
				CHECK_EQ(b->phys, first_multiple(lo, hi, KiB(8),
								 al[i].used,
								 dir),
					 "empty zone, align 0x%llx dir %d",
					 (unsigned long long)al[i].align, dir);
				mmz_pool_free(&z, b);
			}
			CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
			mmz_pool_destroy(&z);
		}

	/* mixed in one zone: each block aligned, none overlapping */
	mmz_pool_init(&z, "z", lo, hi - lo, 12, &ops);
	for (dir = 0; dir < 2; dir++)
		for (i = 0; i < 7; i++) {
			b = alloc_ok(&z, KiB(4) * (1 + i), al[i].align, dir);
			if (!b)
				continue;
			CHECK_EQ(b->phys % al[i].used, 0, "align 0x%llx",
				 (unsigned long long)al[i].align);
			keep[n++] = b;
		}
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent with mixed aligns");
	for (i = 0; i < n; i++)
		mmz_pool_free(&z, keep[i]);

	/* a hole that has no multiple of 12K for 8K is skipped */
	b = alloc_ok(&z, KiB(8), 0, 0);		/* [lo, lo + 8K) */
	d = alloc_ok(&z, KiB(4), 0, 0);		/* [lo + 8K, lo + 12K) */
	mmz_pool_free(&z, b);			/* hole [lo, lo + 8K) */
	b = alloc_ok(&z, KiB(4), KiB(12), 0);
	CHECK_EQ(b->phys % KiB(12), 0, "12K multiple");
	CHECK(b->phys >= lo + KiB(12), "not in the 8K hole at 0x%llx",
	      (unsigned long long)b->phys);
	mmz_pool_free(&z, b);
	mmz_pool_free(&z, d);

	CHECK_EQ(mmz_pool_alloc(&z, KiB(4), GiB(3), 0, NULL, &d), -ENOMEM,
		 "no multiple of 3G in the zone");
	CHECK_EQ(mmz_pool_alloc(&z, KiB(4), ~0ULL - 5, 1, NULL, &d), -ENOMEM,
		 "align that rounds past 2^64");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_destroy(&z);

	/* 0 is a multiple of anything */
	mmz_pool_init(&z, "z", 0, MiB(1), 12, &ops);
	b = alloc_ok(&z, KiB(4), 3 * (1ULL << 40), MMZ_HIGH_TO_LOW);
	if (b)
		CHECK_EQ(b->phys, 0, "huge align at address 0");
	mmz_pool_destroy(&z);
	CHECK_EQ(tops.live, 0, "no metadata leak");
}

/* A hole too small once aligned is skipped for a bigger one that fits. */
static void test_align_skips_hole(void)
{
	struct mmz_pool z;
	struct mmz_extent *a, *h, *s, *b;

	/* [a 4K][h 64K @4K][s 4K] ... rest */
	mmz_pool_init(&z, "z", 0, MiB(4), 12, &ops);
	a = alloc_ok(&z, KiB(4), 0, 0);
	h = alloc_ok(&z, KiB(64), 0, 0);
	s = alloc_ok(&z, KiB(4), 0, 0);
	mmz_pool_free(&z, h);
	b = alloc_ok(&z, KiB(64), KiB(64), 0);
	CHECK_EQ(b->phys, KiB(128), "64K-aligned 64K skips the hole at 4K");
	mmz_pool_free(&z, b);
	b = alloc_ok(&z, KiB(32), KiB(32), 0);
	CHECK_EQ(b->phys, KiB(32), "32K-aligned 32K fits inside the hole");
	mmz_pool_free(&z, b);
	mmz_pool_free(&z, a);
	mmz_pool_free(&z, s);
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_destroy(&z);
}

static void test_direction(void)
{
	struct mmz_pool z;
	struct mmz_extent *lo, *hi, *d;

	mmz_pool_init(&z, "z", BASE, MiB(16), 12, &ops);
	lo = alloc_ok(&z, MiB(1), 0, MMZ_LOW_TO_HIGH);
	hi = alloc_ok(&z, MiB(1), 0, MMZ_HIGH_TO_LOW);
	CHECK_EQ(lo->phys, BASE, "low to high starts at the bottom");
	CHECK_EQ(hi->phys, BASE + MiB(15), "high to low ends at the top");
	CHECK_EQ(mmz_pool_alloc(&z, MiB(1), 0, 2, NULL, &d), -EINVAL,
		 "bad direction");
	mmz_pool_free(&z, hi);
	mmz_pool_free(&z, lo);
	mmz_pool_destroy(&z);
}

static void test_errors(void)
{
	struct mmz_pool z;
	struct mmz_extent *b = NULL, *all[17];
	int i, n = 0;

	CHECK_EQ(mmz_pool_init(&z, "z", 0x1001, MiB(1), 12, &ops), -EINVAL,
		 "unaligned base");
	CHECK_EQ(mmz_pool_init(&z, "z", 0, 0, 12, &ops), -EINVAL, "size 0");
	CHECK_EQ(mmz_pool_init(&z, "z", ~0ULL - MiB(1) + 1, MiB(1), 12, &ops),
		 -EINVAL, "zone ending at 2^64 wraps");
	CHECK_EQ(mmz_pool_init(&z, "0123456789abcdef0123456789abcdef", 0,
			       MiB(1), 12, &ops), -EINVAL, "name too long");

	mmz_pool_init(&z, "z", 0, MiB(1), 16, &ops);	/* 64K grain */
	CHECK_EQ(mmz_pool_alloc(&z, 0, 0, 0, NULL, &b), -EINVAL, "size 0");
	CHECK_EQ(mmz_pool_alloc(&z, ~0ULL, 0, 0, NULL, &b), -ENOMEM, "2^64-1");
	CHECK_EQ(mmz_pool_alloc(&z, MiB(1) + 1, 0, 0, NULL, &b), -ENOMEM,
		 "bigger than the zone");
	b = alloc_ok(&z, 1, 0, 0);
	CHECK_EQ(b->size, KiB(64), "grain 64K");
	mmz_pool_free(&z, b);
	/* exhaustion: exactly zone / grain blocks */
	while (n < 17 && !mmz_pool_alloc(&z, 1, 0, 0, "x", &all[n]))
		n++;
	CHECK_EQ(n, 16, "16 x 64K blocks in 1M");
	for (i = 0; i < n; i++)
		mmz_pool_free(&z, all[i]);
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_destroy(&z);
	CHECK_EQ(tops.live, 0, "no metadata leak");
}

/* The vendor's alloc_type: how an ALLOC_V2 size grows in the zone. */
static void test_v2_size(void)
{
	struct mmz_pool z;

	mmz_pool_init(&z, "z", 0, MiB(1), 12, &ops);
	CHECK_EQ(mmz_pool_v2_size(&z, 1), KiB(4), "type 0: the grain");
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(20)), KiB(20), "type 0 keeps it");
	z.alloc_type = MMZ_ALLOC_TYPE_POW2;
	CHECK_EQ(mmz_pool_v2_size(&z, 1), KiB(4), "pow2 of 1, then grain");
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(20)), KiB(32), "20K -> 32K");
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(32)), KiB(32), "32K stays");
	CHECK_EQ(mmz_pool_v2_size(&z, (1ULL << 63) + 1), 0, "past 2^63");
	CHECK_EQ(mmz_pool_v2_size(&z, 1ULL << 63), 1ULL << 63, "2^63");
	z.alloc_type = MMZ_ALLOC_TYPE_BLOCK;
	z.block_align = KiB(20);
	CHECK_EQ(mmz_pool_v2_size(&z, 1), KiB(20), "up to block_align");
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(20) + 1), KiB(40), "next multiple");
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(40)), KiB(40), "a multiple stays");
	z.block_align = 3000;			/* not a grain multiple */
	CHECK_EQ(mmz_pool_v2_size(&z, 1), KiB(4), "3000, then the grain");
	CHECK_EQ(mmz_pool_v2_size(&z, 6001), KiB(12), "9000, then the grain");
	z.block_align = 0;
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(5)), KiB(8), "block_align 0: none");
	z.block_align = ~0ULL;
	CHECK_EQ(mmz_pool_v2_size(&z, 2), 0, "a multiple past 2^64");
	z.alloc_type = 3;			/* the vendor ignores others */
	CHECK_EQ(mmz_pool_v2_size(&z, KiB(5)), KiB(8), "type 3: the grain");
	z.alloc_type = 0;
	CHECK_EQ(mmz_pool_v2_size(&z, ~0ULL), 0, "2^64-1 past the grain");
	mmz_pool_destroy(&z);
}

/* A failing metadata allocation leaves the zone exactly as it was. */
static void test_metadata_failure(void)
{
	struct mmz_pool z;
	struct mmz_pool_stats s0, s1;
	struct mmz_extent *a, *b;
	long k;
	int failures = 0;

	for (k = 1; k < 12; k++) {
		long before;

		ops = testops_make(&tops);
		if (mmz_pool_init(&z, "z", 0, GiB(1), 12, &ops))
			continue;
		a = alloc_ok(&z, KiB(8), 0, 0);
		mmz_pool_free(&z, alloc_ok(&z, KiB(4), 0, 0));
		mmz_pool_stats(&z, &s0);
		before = tops.calls;
		tops.fail_at = before + k;
		/* needs a block, a tail and up to two index nodes */
		if (mmz_pool_alloc(&z, KiB(4), MiB(256), 0, "f", &b)) {
			failures++;
			mmz_pool_stats(&z, &s1);
			CHECK(!memcmp(&s0, &s1, sizeof(s0)),
			      "stats unchanged after failure %ld", k);
		} else {
			mmz_pool_free(&z, b);
		}
		CHECK_EQ(mmz_pool_check(&z), 0, "consistent, fail_at %ld", k);
		mmz_pool_free(&z, a);
		mmz_pool_destroy(&z);
		CHECK_EQ(tops.live, 0, "no leak, fail_at %ld", k);
	}
	CHECK(failures >= 1, "some injected failures were hit");
	ops = testops_make(&tops);
	tops.fail_at = 1;
	CHECK_EQ(mmz_pool_init(&z, "z", 0, MiB(1), 12, &ops), -ENOMEM,
		 "init without memory");
	ops = testops_make(&tops);
}

static int count_seg(void *ctx, const struct mmz_extent *seg, int is_free)
{
	int *n = ctx;

	(void)seg;
	n[is_free]++;
	return 0;
}

static int stop_at_first(void *ctx, const struct mmz_extent *seg, int is_free)
{
	(void)ctx;
	(void)seg;
	return is_free ? 0 : 42;
}

static int free_each(void *ctx, struct mmz_extent *b)
{
	mmz_pool_free(ctx, b);
	return 0;
}

static void test_walk(void)
{
	struct mmz_pool z;
	struct mmz_extent *b[8];
	int n[2] = { 0, 0 }, i;

	mmz_pool_init(&z, "z", 0, MiB(8), 12, &ops);
	for (i = 0; i < 8; i++)
		b[i] = alloc_ok(&z, KiB(4), 0, 0);
	for (i = 0; i < 8; i += 2)
		mmz_pool_free(&z, b[i]);
	mmz_pool_walk(&z, count_seg, n);
	CHECK_EQ(n[0], 4, "4 blocks walked");
	CHECK_EQ(n[1], 5, "4 holes + tail walked");
	CHECK_EQ(mmz_pool_walk(&z, stop_at_first, NULL), 42, "walk stops");
	/* freeing from inside the walker, with coalescing, is safe */
	mmz_pool_for_each_block(&z, free_each, &z);
	CHECK_EQ(z.nblocks, 0, "all freed by the walker");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_destroy(&z);
}

int main(void)
{
	ops = testops_make(&tops);
	test_basic();
	test_best_fit();
	test_align();
	test_align_any();
	test_align_skips_hole();
	test_direction();
	test_errors();
	test_v2_size();
	test_metadata_failure();
	test_walk();
	return check_done("test_zone");
}
