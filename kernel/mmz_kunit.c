// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mmz", built as its own module (mmz_test.ko): the exported
 * kernel API against the zones of the loaded mmz.ko. Loading mmz_test.ko
 * runs the suite; only the test runner does that, never a production load.
 * The suite uses the first zone; a zone too small for a test makes it skip.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "mmz_priv.h"
#include "mmz_compat.h"
#include "mmz_kapi.h"
#include "mmz_kunit.h"

/* Bytes in blocks; the caller holds mmz.lock. */
static u64 mmz_test_used(struct mmz_kzone *kz)
{
	struct mmz_pool_stats st;

	mmz_prezero_settle();
	mmz_kzone_stats(kz, &st);
	return st.used;
}

static u64 mmz_test_zone_free(struct mmz_kzone *kz)
{
	struct mmz_pool_stats st;

	mutex_lock(&mmz.lock);
	mmz_prezero_settle();
	mmz_kzone_stats(kz, &st);
	mutex_unlock(&mmz.lock);
	return st.largest_free;
}

/* A zone with @need bytes in one free extent, or the test skips. */
struct mmz_kzone *mmz_test_zone(struct kunit *test, u64 need)
{
	struct mmz_test_ctx *ctx = test->priv;

	if (!ctx->kz)
		kunit_skip(test, "module loaded without a zone");
	if (mmz_test_zone_free(ctx->kz) < need)
		kunit_skip(test, "zone \"%s\" has no %llu bytes free",
			   ctx->kz->z.name, need);
	return ctx->kz;
}

static bool mmz_test_in_zone(struct mmz_kzone *kz, struct mmz_mmb *mmb)
{
	return mmz_pool_contains(&kz->z, mmz_phys(mmb)) &&
	       mmz_pool_contains(&kz->z, mmz_phys(mmb) + mmz_size(mmb) - 1);
}

/* alloc, placement inside the zone, lookup, free */
static void mmz_test_alloc_free(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, SZ_64K);
	struct mmz_mmb *mmb;
	phys_addr_t phys;

	mmb = mmz_alloc("kunit", SZ_64K, 0, kz->z.name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
	phys = mmz_phys(mmb);
	KUNIT_EXPECT_EQ(test, mmz_size(mmb), (size_t)SZ_64K);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(phys));
	KUNIT_EXPECT_TRUE(test, mmz_test_in_zone(kz, mmb));
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_phys(phys), mmb);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_phys(phys + SZ_64K - 1), mmb);
	KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_phys(phys), NULL);
}

/* sizes round up to the page, alignment is honoured */
static void mmz_test_round_align(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, 2 * SZ_1M);
	struct mmz_mmb *mmb;

	mmb = mmz_alloc("kunit", 1, SZ_1M, kz->z.name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
	KUNIT_EXPECT_EQ(test, mmz_size(mmb), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mmz_phys(mmb) & (SZ_1M - 1), 0);
	KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
}

/* any align is rounded up to a page multiple, as the vendor API does */
static void mmz_test_align_any(struct kunit *test)
{
	static const size_t aligns[] = {
		3, PAGE_SIZE + 1, 3 * PAGE_SIZE, 5 * PAGE_SIZE, 12 * PAGE_SIZE,
	};
	struct mmz_kzone *kz = mmz_test_zone(test, 64 * PAGE_SIZE);
	struct mmz_mmb *mmb;
	unsigned int i;
	u64 a;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		a = round_up((u64)aligns[i], (u64)PAGE_SIZE);
		mmb = mmz_alloc_v2("kunit", PAGE_SIZE, aligns[i], kz->z.name,
				   i & 1);
		KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
		/* mmz_mod64: no plain 64-bit division on 32-bit kernels */
		KUNIT_EXPECT_EQ(test, mmz_mod64(mmz_phys(mmb), a), 0);
		KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
	}
}

/* every refusal has its errno */
static void mmz_test_refusals(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, PAGE_SIZE);
	const char *zn = kz->z.name;

	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", 0, 0, zn)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", SIZE_MAX, 0, zn)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", SIZE_MAX - PAGE_SIZE + 2,
						0, zn)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc_v2("k", PAGE_SIZE, 0, zn, 2)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", PAGE_SIZE, 0,
						"no-such-zone")), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", kz->z.size + PAGE_SIZE,
						0, zn)), -ENOMEM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", PAGE_SIZE,
						SIZE_MAX / 2 + 1, zn)),
			-ENOMEM);
	/* no multiple of it in the zone, or its rounding overflows */
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_alloc("k", PAGE_SIZE, SIZE_MAX, zn)),
			-ENOMEM);
}

/* HIGH_TO_LOW places above LOW_TO_HIGH */
static void mmz_test_direction(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, 4 * SZ_64K);
	struct mmz_mmb *lo, *hi;

	lo = mmz_alloc_v2("kunit-lo", SZ_64K, 0, kz->z.name,
			  MMZ_ALLOC_LOW_TO_HIGH);
	KUNIT_ASSERT_FALSE(test, IS_ERR(lo));
	hi = mmz_alloc_v2("kunit-hi", SZ_64K, 0, kz->z.name,
			  MMZ_ALLOC_HIGH_TO_LOW);
	if (!IS_ERR(hi)) {
		KUNIT_EXPECT_GT(test, mmz_phys(hi), mmz_phys(lo));
		KUNIT_EXPECT_EQ(test, mmz_free(hi), 0);
	}
	KUNIT_EXPECT_FALSE(test, IS_ERR(hi));
	KUNIT_EXPECT_EQ(test, mmz_free(lo), 0);
}

/* cached and write-combine kernel mappings see the same memory */
static void mmz_test_map(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, SZ_64K);
	struct mmz_mmb *mmb;
	u8 *va, *va2;

	mmb = mmz_alloc("kunit-map", SZ_64K, 0, kz->z.name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));

	va = mmz_map_kernel(mmb, true);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(va, 0, SZ_64K), NULL);
	memset(va, 0x5a, SZ_64K);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_kvirt(va), mmb);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_kvirt(va + SZ_64K - 1), mmb);
	KUNIT_EXPECT_PTR_NE(test, mmz_find_by_kvirt(va + SZ_64K), mmb);
	KUNIT_EXPECT_NE(test, mmb->blk->flags & MMZ_MMB_MAP2KERN, 0);
	KUNIT_EXPECT_EQ(test, mmb->blk->kvirt, (unsigned long)va);
	va2 = mmz_map_kernel(mmb, true);
	KUNIT_EXPECT_PTR_EQ(test, va2, va);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mmz_map_kernel(mmb, false)), -EBUSY);
	mmz_unmap_kernel(mmb);
	mmz_unmap_kernel(mmb);
	KUNIT_EXPECT_EQ(test, mmb->blk->kvirt, 0);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_kvirt(va), NULL);

	va = mmz_map_kernel(mmb, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(va, 0x5a, SZ_64K), NULL);
	memset(va, 0xc3, SZ_64K);
	mmz_unmap_kernel(mmb);

	va = mmz_map_kernel(mmb, true);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(va, 0xc3, SZ_64K), NULL);
	mmz_unmap_kernel(mmb);
	KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
}

/* a block reaches its user zeroed, whatever the last owner left */
static void mmz_test_zeroed(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, SZ_256K);
	struct mmz_mmb *mmb;
	u8 *va;
	int i;

	for (i = 0; i < 2; i++) {
		mmb = mmz_alloc("kunit-zero", SZ_256K, 0, kz->z.name);
		KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
		va = mmz_map_kernel(mmb, true);
		KUNIT_ASSERT_FALSE(test, IS_ERR(va));
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(va, 0, SZ_256K), NULL);
		memset(va, 0xff, SZ_256K);
		mmz_unmap_kernel(mmb);
		KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
	}
}

/* freeing a kernel-mapped block takes the mapping with it */
static void mmz_test_free_mapped(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, SZ_64K);
	struct mmz_mmb *mmb;
	void *va;

	mmb = mmz_alloc("kunit-fm", SZ_64K, 0, kz->z.name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
	va = mmz_map_kernel(mmb, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(va));
	KUNIT_EXPECT_EQ(test, mmz_free(mmb), 0);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_kvirt(va), NULL);
}

/* a referenced block: -EBUSY, -EALREADY, freed by the last put */
static void mmz_test_delayed_free(struct kunit *test)
{
	struct mmz_kzone *kz = mmz_test_zone(test, SZ_64K);
	struct mmz_mmb *mmb;
	phys_addr_t phys;

	mmb = mmz_alloc("kunit-df", SZ_64K, 0, kz->z.name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mmb));
	phys = mmz_phys(mmb);
	mutex_lock(&mmz.lock);
	mmb->ref_count++;		/* as IOC_MMB_ADD_REF does */
	mutex_unlock(&mmz.lock);

	KUNIT_EXPECT_EQ(test, mmz_free(mmb), -EBUSY);
	KUNIT_EXPECT_EQ(test, mmz_free(mmb), -EALREADY);
	KUNIT_EXPECT_PTR_EQ(test, mmz_find_by_phys(phys), NULL);

	mutex_lock(&mmz.lock);
	KUNIT_EXPECT_PTR_EQ(test, mmz_block_find(phys), mmb);
	KUNIT_EXPECT_NE(test, mmb->blk->flags & MMZ_MMB_RELEASED, 0);
	mmb->ref_count--;		/* as IOC_MMB_DEC_REF does */
	mmz_block_put(mmb);
	KUNIT_EXPECT_PTR_EQ(test, mmz_block_find(phys), NULL);
	mutex_unlock(&mmz.lock);
}

int mmz_test_init(struct kunit *test)
{
	struct mmz_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_lock(&mmz.lock);
	if (mmz.nzones) {
		ctx->kz = mmz.zones[0];
		ctx->used_before = mmz_test_used(ctx->kz);
	}
	mutex_unlock(&mmz.lock);
	test->priv = ctx;
	return 0;
}

/* every test leaves the zone as it found it, and consistent */
void mmz_test_exit(struct kunit *test)
{
	struct mmz_test_ctx *ctx = test->priv;

	if (!ctx || !ctx->kz)
		return;
	mutex_lock(&mmz.lock);
	KUNIT_EXPECT_EQ(test, mmz_test_used(ctx->kz), ctx->used_before);
	KUNIT_EXPECT_EQ(test, mmz_kzone_check(ctx->kz), 0);
	mutex_unlock(&mmz.lock);
}

static struct kunit_case mmz_test_cases[] = {
	KUNIT_CASE(mmz_test_alloc_free),
	KUNIT_CASE(mmz_test_round_align),
	KUNIT_CASE(mmz_test_align_any),
	KUNIT_CASE(mmz_test_refusals),
	KUNIT_CASE(mmz_test_direction),
	KUNIT_CASE(mmz_test_map),
	KUNIT_CASE(mmz_test_zeroed),
	KUNIT_CASE(mmz_test_free_mapped),
	KUNIT_CASE(mmz_test_delayed_free),
	{}
};

static struct kunit_suite mmz_test_suite = {
	.name = "mmz",
	.init = mmz_test_init,
	.exit = mmz_test_exit,
	.test_cases = mmz_test_cases,
};

kunit_test_suite(mmz_test_suite);

MMZ_IMPORT_TEST_NS();
MODULE_DESCRIPTION("KUnit suite of mmz: the kernel API against the loaded zones");
MODULE_LICENSE("GPL");
