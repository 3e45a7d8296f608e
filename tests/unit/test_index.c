// SPDX-License-Identifier: MIT
/*
 * Block index: exact and containing look-ups over zones whose index has
 * from 1 to 7 radix levels, and index memory returned when blocks go.
 */
#include "check.h"
#include "testops.h"

static struct testops tops;
static struct mmz_ops ops;

/* One grain: a single-level index with one slot. */
static void test_tiny(void)
{
	struct mmz_pool z;
	struct mmz_extent *b, *c;

	CHECK_EQ(mmz_pool_init(&z, "tiny", 0x1000, 0x1000, 12, &ops), 0, "init");
	CHECK_EQ(z.index_height, 1, "height 1");
	CHECK_EQ(mmz_pool_alloc(&z, 0x1000, 0, 0, "only", &b), 0, "alloc");
	CHECK_EQ(mmz_pool_alloc(&z, 1, 0, 0, "no", &c), -ENOMEM, "full");
	CHECK(mmz_pool_find(&z, 0x1000) == b, "find");
	CHECK(mmz_pool_find_containing(&z, 0x1fff) == b, "last byte");
	CHECK(!mmz_pool_find_containing(&z, 0x2000), "past the end");
	CHECK(!mmz_pool_find_containing(&z, 0xfff), "before the start");
	mmz_pool_free(&z, b);
	CHECK(!mmz_pool_find(&z, 0x1000), "gone after free");
	mmz_pool_destroy(&z);
}

/*
 * A 2^50-byte zone at 4 KiB grain: 2^38 grains, 7 levels. Blocks at the
 * bottom, the top and 1 TiB-aligned places in between; look-ups must walk
 * back across empty subtrees to the nearest lower block.
 */
static void test_huge(void)
{
	const mmz_addr_t base = 1ULL << 50, size = 1ULL << 50;
	struct mmz_extent *lo, *hi, *mid[4];
	struct mmz_pool z;
	long live0;
	int i;

	CHECK_EQ(mmz_pool_init(&z, "huge", base, size, 12, &ops), 0, "init");
	CHECK_EQ(z.index_height, 7, "38 bits need 7 levels");
	live0 = tops.live;
	CHECK_EQ(mmz_pool_alloc(&z, 4096, 0, MMZ_LOW_TO_HIGH, "lo", &lo), 0,
		 "low");
	CHECK_EQ(mmz_pool_alloc(&z, 8192, 0, MMZ_HIGH_TO_LOW, "hi", &hi), 0,
		 "high");
	CHECK_EQ(hi->phys, base + size - 8192, "top");
	for (i = 0; i < 4; i++)
		CHECK_EQ(mmz_pool_alloc(&z, 1ULL << 30, 1ULL << 40, i & 1,
					"mid", &mid[i]), 0, "mid %d", i);
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");

	CHECK(mmz_pool_find_containing(&z, base) == lo, "first byte");
	CHECK(!mmz_pool_find_containing(&z, base + 4096), "after lo: free");
	CHECK(mmz_pool_find_containing(&z, base + size - 1) == hi, "last byte");
	CHECK(!mmz_pool_find_containing(&z, base + size - 8193), "before hi");
	for (i = 0; i < 4; i++) {
		mmz_addr_t p = mid[i]->phys;

		CHECK(mmz_pool_find(&z, p) == mid[i], "find mid %d", i);
		CHECK(!mmz_pool_find(&z, p + 4096), "no block at +4K");
		CHECK(mmz_pool_find_containing(&z, p + (1ULL << 30) - 1) ==
		      mid[i], "last byte of mid %d", i);
		CHECK(!mmz_pool_find_containing(&z, p + (1ULL << 30)),
		      "just after mid %d", i);
		CHECK(!mmz_pool_find_containing(&z, p - 1) ||
		      mmz_pool_find_containing(&z, p - 1) != mid[i],
		      "just before mid %d", i);
	}
	for (i = 0; i < 4; i++)
		mmz_pool_free(&z, mid[i]);
	mmz_pool_free(&z, lo);
	mmz_pool_free(&z, hi);
	/* what is still allocated is the recycle caches, nothing else */
	CHECK_EQ(tops.live - (long)z.nspare - (z.spare_rnode != NULL), live0,
		 "index nodes and segments returned");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent");
	mmz_pool_destroy(&z);
}

/* Dense: every grain a block, each found by every byte address. */
static void test_dense(void)
{
	enum { N = 5000 };
	static struct mmz_extent *b[N];
	struct mmz_pool z;
	int i, bad = 0;

	mmz_pool_init(&z, "dense", 0x40000000, N * 4096ULL, 12, &ops);
	CHECK_EQ(z.index_height, 3, "5000 grains: 13 bits, 3 levels");
	for (i = 0; i < N; i++)
		if (mmz_pool_alloc(&z, 4096, 0, 0, "d", &b[i]))
			bad++;
	CHECK_EQ(bad, 0, "all allocated");
	for (i = 0; i < N; i++) {
		mmz_addr_t p = 0x40000000ULL + i * 4096ULL;

		if (mmz_pool_find(&z, p) != b[i] ||
		    mmz_pool_find_containing(&z, p + 4095) != b[i] ||
		    mmz_pool_find_containing(&z, p + (unsigned)i % 4096) != b[i])
			bad++;
	}
	CHECK_EQ(bad, 0, "every look-up right");
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent when full");
	for (i = 0; i < N; i += 2)
		mmz_pool_free(&z, b[i]);
	for (i = 0; i < N; i++) {
		mmz_addr_t p = 0x40000000ULL + i * 4096ULL + 17;
		const struct mmz_extent *want = i % 2 ? b[i] : NULL;

		if (mmz_pool_find_containing(&z, p) != want)
			bad++;
	}
	CHECK_EQ(bad, 0, "holes are not found");
	for (i = 1; i < N; i += 2)
		mmz_pool_free(&z, b[i]);
	CHECK_EQ(mmz_pool_check(&z), 0, "consistent when empty");
	mmz_pool_destroy(&z);
	CHECK_EQ(tops.live, 0, "all metadata freed");
}

int main(void)
{
	ops = testops_make(&tops);
	test_tiny();
	test_huge();
	test_dense();
	return check_done("test_index");
}
