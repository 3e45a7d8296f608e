// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mmz_hil" (in mmz_test.ko): the vendor's kernel API of
 * include/hisilicon/osal_mmz.h against the first zone of the loaded
 * mmz.ko: each call's success, its failures, and the hil_mmb_t fields the
 * vendor's macros read. Zone registration on free memory is tested by
 * tests/kmod/hil_client.c, which is given a free range.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "mmz_priv.h"
#include "mmz_kunit.h"

static hil_mmz_t *hil_test_zone(struct kunit *test, u64 need)
{
	return mmz_test_zone(test, need)->face;
}

/* a block's fields, as hil_mmb_phys() and friends read them */
static void hil_test_alloc_fields(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, SZ_64K);
	unsigned long off = 0, phys;
	hil_mmb_t *b;

	KUNIT_EXPECT_PTR_EQ(test, hil_mmz_find(0, z->name), z);
	KUNIT_EXPECT_EQ(test, hil_mmz_get_phys(z->name), z->phys_start);
	b = hil_mmb_alloc("kunit-hil-a-long-name", 3 * PAGE_SIZE + 1, 0, 0,
			  z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_STREQ(test, hil_mmb_name(b), "kunit-hil-a-lon");
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_zone(b), z);
	KUNIT_EXPECT_EQ(test, hil_mmb_length(b), 4 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(hil_mmb_phys(b)));
	KUNIT_EXPECT_EQ(test, hil_is_phys_in_mmz(hil_mmb_phys(b), 4 * PAGE_SIZE),
			0);
	KUNIT_EXPECT_NULL(test, hil_mmb_kvirt(b));
	KUNIT_EXPECT_EQ(test, b->flags, 0);
	KUNIT_EXPECT_EQ(test, b->order, LOW_TO_HIGH);
	KUNIT_EXPECT_EQ(test, b->phy_ref, 0);
	KUNIT_EXPECT_EQ(test, b->map_ref, 0);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_getby_phys(b->phys_addr), b);
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_phys(b->phys_addr + PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test,
			    hil_mmb_getby_phys_2(b->phys_addr + 5000, &off), b);
	KUNIT_EXPECT_EQ(test, off, 5000);
	phys = b->phys_addr;
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_phys_2(phys + 5000, &off));
}

/* v2: the direction, and alloc_in by the zone's hil_mmz_t */
static void hil_test_alloc_v2_in(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, 4 * SZ_64K);
	hil_mmb_t *lo, *hi;

	lo = hil_mmb_alloc_in("kunit-lo", SZ_64K, SZ_64K, z);
	KUNIT_ASSERT_NOT_NULL(test, lo);
	KUNIT_EXPECT_EQ(test, lo->phys_addr & (SZ_64K - 1), 0);
	hi = hil_mmb_alloc_in_v2("kunit-hi", SZ_64K, 0, z, HIGH_TO_LOW);
	KUNIT_EXPECT_NOT_NULL(test, hi);
	if (hi) {
		KUNIT_EXPECT_GT(test, hi->phys_addr, lo->phys_addr);
		KUNIT_EXPECT_EQ(test, hi->order, HIGH_TO_LOW);
		KUNIT_EXPECT_EQ(test, hil_mmb_free(hi), 0);
	}
	hi = hil_mmb_alloc_v2("kunit-hi", SZ_64K, 0, 0, z->name, HIGH_TO_LOW);
	KUNIT_EXPECT_NOT_NULL(test, hi);
	if (hi)
		KUNIT_EXPECT_EQ(test, hil_mmb_free(hi), 0);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(lo), 0);
}

/* NULL, -1 or -EINVAL for everything the vendor refuses */
static void hil_test_refusals(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, PAGE_SIZE);
	hil_mmb_t *b;
	void *va;

	KUNIT_EXPECT_NULL(test, hil_mmb_alloc("k", 0, 0, 0, z->name));
	KUNIT_EXPECT_NULL(test, hil_mmb_alloc("k", ULONG_MAX, 0, 0, z->name));
	KUNIT_EXPECT_NULL(test, hil_mmb_alloc("k", PAGE_SIZE, 0, 0, "no-zone"));
	KUNIT_EXPECT_NULL(test, hil_mmb_alloc("k", PAGE_SIZE, 0, z->gfp + 1,
					      z->name));
	KUNIT_EXPECT_NULL(test, hil_mmb_alloc_v2("k", PAGE_SIZE, 0, 0,
						 z->name, 2));
	KUNIT_EXPECT_NULL(test, hil_mmb_alloc_in("k", PAGE_SIZE, 0, NULL));
	KUNIT_EXPECT_NULL(test, hil_mmz_find(0, "no-zone"));
	KUNIT_EXPECT_EQ(test, hil_mmz_get_phys("no-zone"), 0);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(NULL), -1);
	KUNIT_EXPECT_EQ(test, hil_mmb_get(NULL), -1);
	KUNIT_EXPECT_EQ(test, hil_mmb_put(NULL), -1);
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(NULL), -1);
	KUNIT_EXPECT_NULL(test, hil_mmb_map2kern(NULL));
	KUNIT_EXPECT_NULL(test, hil_mmb_map2kern_cached(NULL));
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_kvirt(NULL));
	KUNIT_EXPECT_EQ(test, hil_mmb_flush_dcache_byaddr(NULL, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, hil_mmb_invalid_cache_byaddr(NULL, 0, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, hil_mmb_flush_dcache_byaddr_safe(NULL, 0, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, hil_is_phys_in_mmz(z->phys_start, 0), -1);
	KUNIT_EXPECT_EQ(test, hil_is_phys_in_mmz(z->phys_start, z->nbytes + 1),
			-1);
	KUNIT_EXPECT_EQ(test, hil_map_mmz_check_phys(z->phys_start,
						     PAGE_SIZE), -1);
	KUNIT_EXPECT_NULL(test, hil_mmf_map2kern_cache(z->phys_start, 0));
	/* no zone starts at 0 in any configuration */
	va = hil_mmf_map2kern_cache(0, PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, va);
	if (va)
		hil_mmf_unmap(va);
	/* the test runs in a kernel thread: no user memory */
	KUNIT_EXPECT_EQ(test, usr_virt_to_phys(PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, hil_vma_check(PAGE_SIZE, 2 * PAGE_SIZE), -1);

	b = hil_mmb_alloc("kunit-ref", PAGE_SIZE, 0, 0, z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, hil_mmb_put(b), -1);	/* no get */
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), -1);	/* not mapped */
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
}

/* kernel mappings: fields, counting, one cache mode, lookups */
static void hil_test_map(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, SZ_64K);
	hil_mmb_t *b;
	u8 *va;

	b = hil_mmb_alloc("kunit-map", SZ_64K, 0, 0, z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	va = hil_mmb_map2kern_cached(b);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_kvirt(b), (void *)va);
	KUNIT_EXPECT_EQ(test, b->flags,
			HIL_MMB_MAP2KERN | HIL_MMB_MAP2KERN_CACHED);
	KUNIT_EXPECT_EQ(test, b->map_ref, 1);
	KUNIT_EXPECT_NULL(test, memchr_inv(va, 0, SZ_64K));
	memset(va, 0x3c, SZ_64K);
	KUNIT_EXPECT_EQ(test, hil_mmb_flush_dcache_byaddr(va, b->phys_addr,
							  SZ_64K), 0);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_getby_kvirt(va + 100), b);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_map2kern_cached(b), (void *)va);
	KUNIT_EXPECT_EQ(test, b->map_ref, 2);
	KUNIT_EXPECT_NULL(test, hil_mmb_map2kern(b));	/* other mode */
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), 1);
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), 0);
	KUNIT_EXPECT_NULL(test, hil_mmb_kvirt(b));
	KUNIT_EXPECT_EQ(test, b->flags, 0);
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_kvirt(va + 100));

	va = hil_mmb_map2kern(b);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_EQ(test, b->flags, HIL_MMB_MAP2KERN);
	KUNIT_EXPECT_NULL(test, memchr_inv(va, 0x3c, SZ_64K));
	KUNIT_EXPECT_EQ(test, hil_mmb_invalid_cache_byaddr(va, b->phys_addr,
							   SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), 0);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
}

/* free while referenced or mapped: RELEASED, found, freed by the last */
static void hil_test_release(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, 2 * SZ_64K);
	unsigned long phys;
	hil_mmb_t *b;
	u8 *va;

	b = hil_mmb_alloc("kunit-rel", SZ_64K, 0, 0, z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	phys = b->phys_addr;
	KUNIT_EXPECT_EQ(test, hil_mmb_get(b), 1);
	KUNIT_EXPECT_EQ(test, hil_mmb_get(b), 2);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
	KUNIT_EXPECT_NE(test, b->flags & HIL_MMB_RELEASED, 0);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_getby_phys(phys), b);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);	/* twice: warned */
	KUNIT_EXPECT_EQ(test, hil_mmb_put(b), 1);
	KUNIT_EXPECT_EQ(test, hil_mmb_put(b), 0);
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_phys(phys));

	b = hil_mmb_alloc("kunit-rel", SZ_64K, 0, 0, z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	phys = b->phys_addr;
	va = hil_mmb_map2kern(b);
	KUNIT_ASSERT_NOT_NULL(test, va);
	memset(va, 0x11, SZ_64K);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
	KUNIT_EXPECT_EQ(test, b->flags,
			HIL_MMB_MAP2KERN | HIL_MMB_RELEASED);
	KUNIT_EXPECT_NULL(test, memchr_inv(va, 0x11, SZ_64K));
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), 0);
	KUNIT_EXPECT_NULL(test, hil_mmb_getby_phys(phys));
}

/* any part of a zone, mapped on its own, sees the block's memory */
static void hil_test_mmf(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, 4 * PAGE_SIZE);
	u8 *va, *part;
	hil_mmb_t *b;

	b = hil_mmb_alloc("kunit-mmf", 4 * PAGE_SIZE, 0, 0, z->name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	va = hil_mmb_map2kern_cached(b);
	KUNIT_ASSERT_NOT_NULL(test, va);
	memset(va, 0x77, 4 * PAGE_SIZE);
	hil_mmb_flush_dcache_byaddr(va, b->phys_addr, 4 * PAGE_SIZE);

	part = hil_mmf_map2kern_cache(b->phys_addr + PAGE_SIZE + 8, 100);
	KUNIT_EXPECT_NOT_NULL(test, part);
	if (part) {
		KUNIT_EXPECT_NULL(test, memchr_inv(part, 0x77, 100));
		hil_mmf_unmap(part);
	}
	part = hil_mmf_map2kern_nocache(b->phys_addr, 2 * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, part);
	if (part) {
		KUNIT_EXPECT_NULL(test, memchr_inv(part, 0x77, 2 * PAGE_SIZE));
		hil_mmf_unmap(part);
	}
	KUNIT_EXPECT_EQ(test, hil_mmb_unmap(b), 0);
	KUNIT_EXPECT_EQ(test, hil_mmb_free(b), 0);
}

/* what can be checked of zone registration without free memory */
static void hil_test_zone_refusals(struct kunit *test)
{
	hil_mmz_t *z = hil_test_zone(test, 0), *nz;

	KUNIT_EXPECT_NULL(test, hil_mmz_create(NULL, 0, 0, 0));
	KUNIT_EXPECT_EQ(test, hil_mmz_destroy(NULL), -1);
	KUNIT_EXPECT_EQ(test, hil_mmz_register(NULL), -1);
	KUNIT_EXPECT_EQ(test, hil_mmz_unregister(NULL), -1);
	/* an mmz= zone goes with the module, not through the API */
	KUNIT_EXPECT_EQ(test, hil_mmz_unregister(z), -1);
	KUNIT_EXPECT_EQ(test, hil_mmz_destroy(z), -1);

	nz = hil_mmz_create_v2("kunit-zone", 0, z->phys_start, z->nbytes, 0,
			       0);
	KUNIT_ASSERT_NOT_NULL(test, nz);
	KUNIT_EXPECT_STREQ(test, nz->name, "kunit-zone");
	KUNIT_EXPECT_EQ(test, nz->phys_start, z->phys_start);
	KUNIT_EXPECT_EQ(test, hil_mmz_register(nz), -1);	/* overlaps */
	strscpy(nz->name, z->name, sizeof(nz->name));
	nz->phys_start = 0;
	KUNIT_EXPECT_EQ(test, hil_mmz_register(nz), -1);	/* same name */
	nz->alloc_type = EQ_BLOCK_ALLOC;			/* no align */
	KUNIT_EXPECT_EQ(test, hil_mmz_register(nz), -1);
	KUNIT_EXPECT_EQ(test, hil_mmz_unregister(nz), -1);	/* not in */
	KUNIT_EXPECT_EQ(test, hil_mmz_destroy(nz), 0);
}

static struct kunit_case hil_test_cases[] = {
	KUNIT_CASE(hil_test_alloc_fields),
	KUNIT_CASE(hil_test_alloc_v2_in),
	KUNIT_CASE(hil_test_refusals),
	KUNIT_CASE(hil_test_map),
	KUNIT_CASE(hil_test_release),
	KUNIT_CASE(hil_test_mmf),
	KUNIT_CASE(hil_test_zone_refusals),
	{}
};

static struct kunit_suite hil_test_suite = {
	.name = "mmz_hil",
	.init = mmz_test_init,
	.exit = mmz_test_exit,
	.test_cases = hil_test_cases,
};

kunit_test_suite(hil_test_suite);
