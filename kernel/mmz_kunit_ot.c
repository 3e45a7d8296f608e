// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mmz_ot" (in mmz_test.ko): generation 3's kernel API of
 * include/hisilicon/ot/osal_mmz.h, what it adds to generation 2's (tested
 * by "mmz_hil"): allocation by parameter struct, 32-byte names,
 * kernel_only, the share fields and checks, and one block seen through
 * both APIs at once.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "mmz_priv.h"
#include "mmz_kunit.h"

static ot_mmz_t *ot_test_zone(struct kunit *test, u64 need)
{
	return (ot_mmz_t *)mmz_test_zone(test, need)->face;
}

static struct mmz_mmb *ot_test_mmb(ot_mmb_t *face)
{
	return container_of(face, struct mmz_mmb, ot_face);
}

static ot_mmb_t *ot_test_alloc(ot_mmz_t *z, const char *name,
			       unsigned long size, int kernel_only)
{
	ot_mmz_alloc_para_in p = {
		.mmz_name = z->name, .buf_name = name, .size = size,
		.kernel_only = kernel_only,
	};

	return ot_mmb_alloc(&p);
}

/* a block's fields, as ot_mmb_phys() and friends read them */
static void ot_test_alloc_fields(struct kunit *test)
{
	static const char name31[] = "kunit-ot-a-name-of-31-bytes-abc";
	ot_mmz_t *z = ot_test_zone(test, SZ_64K);
	unsigned long off = 0, phys;
	ot_mmb_t *b, *c;
	int i;

	KUNIT_EXPECT_PTR_EQ(test, ot_mmz_find(0, z->name), z);
	KUNIT_EXPECT_EQ(test, ot_mmz_get_phys(z->name), z->phys_start);
	b = ot_test_alloc(z, name31, 3 * PAGE_SIZE + 1, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_STREQ(test, ot_mmb_name(b), name31);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_zone(b), z);
	KUNIT_EXPECT_EQ(test, ot_mmb_length(b), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ot_is_phys_in_mmz(ot_mmb_phys(b), 4 * PAGE_SIZE),
			0);
	KUNIT_EXPECT_NULL(test, ot_mmb_kvirt(b));
	KUNIT_EXPECT_EQ(test, b->flags, 0);
	KUNIT_EXPECT_EQ(test, b->order, LOW_TO_HIGH);
	KUNIT_EXPECT_EQ(test, b->phy_ref, 0);
	KUNIT_EXPECT_EQ(test, b->map_ref, 0);
	KUNIT_EXPECT_EQ(test, b->kernel_only, 0);
	KUNIT_EXPECT_EQ(test, b->check_pid, 1);
	KUNIT_EXPECT_EQ(test, b->pid_num, 1);
	KUNIT_EXPECT_EQ(test, b->pid[0], task_tgid_nr(current));
	for (i = 1; i < OT_MMB_MAX_PID_NUM; i++)
		KUNIT_EXPECT_EQ(test, b->pid[i], -1);
	/* generation 2's view of the same block */
	KUNIT_EXPECT_EQ(test, hil_mmb_getby_phys(b->phys_addr)->id, b->id);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_getby_phys(b->phys_addr), b);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_getby_phys_2(b->phys_addr + 5000,
						      &off), b);
	KUNIT_EXPECT_EQ(test, off, 5000);
	KUNIT_EXPECT_NULL(test, ot_mmb_getby_phys_2(b->phys_addr, NULL));
	KUNIT_EXPECT_NULL(test, ot_mmb_getby_kvirt(NULL));

	c = ot_test_alloc(z, "kunit-ot-a-name-longer-than-32-bytes", PAGE_SIZE,
			  1);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_STREQ(test, ot_mmb_name(c),
			   "kunit-ot-a-name-longer-than-32-");
	KUNIT_EXPECT_EQ(test, c->kernel_only, 1);
	KUNIT_EXPECT_EQ(test, ot_mmb_free(c), 0);
	c = ot_test_alloc(z, NULL, PAGE_SIZE, 0);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_STREQ(test, ot_mmb_name(c), "<null>");
	KUNIT_EXPECT_EQ(test, ot_mmb_free(c), 0);

	phys = b->phys_addr;
	KUNIT_EXPECT_EQ(test, ot_mmb_free(b), 0);
	KUNIT_EXPECT_NULL(test, ot_mmb_getby_phys(phys));
}

/* _v2, _in, _in_v2 and what each refuses */
static void ot_test_alloc_variants(struct kunit *test)
{
	ot_mmz_t *z = ot_test_zone(test, 4 * SZ_64K);
	ot_mmz_alloc_para_in p = {
		.mmz_name = z->name, .buf_name = "kunit-ot-v", .size = SZ_64K,
	};
	ot_mmb_t *lo, *hi, *in;

	KUNIT_EXPECT_NULL(test, ot_mmb_alloc(NULL));
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc_v2(NULL));
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc_in(NULL));
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc_in_v2(NULL));
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc_in(&p));	/* no user_mmz */
	p.order = 2;
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc_v2(&p));
	p.order = LOW_TO_HIGH;
	lo = ot_mmb_alloc_v2(&p);
	KUNIT_ASSERT_NOT_NULL(test, lo);
	p.order = HIGH_TO_LOW;
	hi = ot_mmb_alloc_v2(&p);
	if (hi) {
		KUNIT_EXPECT_GT(test, hi->phys_addr, lo->phys_addr);
		KUNIT_EXPECT_EQ(test, hi->order, HIGH_TO_LOW);
		KUNIT_EXPECT_EQ(test, ot_mmb_free(hi), 0);
	}
	KUNIT_EXPECT_NOT_NULL(test, hi);

	p.mmz_name = "no-such-zone";	/* _in ignores the name */
	p.user_mmz = z;
	in = ot_mmb_alloc_in_v2(&p);
	KUNIT_EXPECT_NOT_NULL(test, in);
	if (in) {
		KUNIT_EXPECT_PTR_EQ(test, ot_mmb_zone(in), z);
		KUNIT_EXPECT_EQ(test, ot_mmb_free(in), 0);
	}
	KUNIT_EXPECT_NULL(test, ot_mmb_alloc(&p));	/* by name */
	in = ot_mmb_alloc_in(&p);
	KUNIT_EXPECT_NOT_NULL(test, in);
	if (in)
		KUNIT_EXPECT_EQ(test, ot_mmb_free(in), 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_free(lo), 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_free(NULL), -1);
}

/* who may use a block: the allocator, sharers, nobody when kernel_only */
static void ot_test_share(struct kunit *test)
{
	ot_mmz_t *z = ot_test_zone(test, 2 * PAGE_SIZE);
	ot_mmb_t *b, *k;
	int other;

	KUNIT_EXPECT_EQ(test, ot_mmz_get_mem_process_isolation(), 1);
	KUNIT_EXPECT_EQ(test, ot_mmz_get_anony(), mmz.anony);
	b = ot_test_alloc(z, "kunit-ot-share", PAGE_SIZE, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);
	k = ot_test_alloc(z, "kunit-ot-konly", PAGE_SIZE, 1);
	if (!k)
		ot_mmb_free(b);
	KUNIT_ASSERT_NOT_NULL(test, k);
	other = b->pid[0] + 1;

	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share(b), 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share_with_pid(b, b->pid[0]),
			0);
	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share_with_pid(b, other),
			-EPERM);
	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share(k), -EPERM);
	KUNIT_EXPECT_EQ(test, ot_mmz_check_phys_addr(b->phys_addr, PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, ot_mmz_check_phys_addr(b->phys_addr + 8, 8), 0);
	KUNIT_EXPECT_EQ(test, ot_mmz_check_phys_addr(k->phys_addr, PAGE_SIZE),
			-EPERM);
	KUNIT_EXPECT_EQ(test, ot_mmz_check_phys_addr(b->phys_addr, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ot_mmz_check_phys_addr(b->phys_addr,
						     2 * PAGE_SIZE), -EINVAL);

	/* user space: a kernel_only block is refused even with the capability */
	mutex_lock(&mmz.lock);
	KUNIT_EXPECT_EQ(test, mmz_may_use(NULL, ot_test_mmb(b)),
			capable(CAP_SYS_RAWIO));
	KUNIT_EXPECT_FALSE(test, mmz_may_use(NULL, ot_test_mmb(k)));
	mutex_unlock(&mmz.lock);

	/* MEM_SHARE_ALL, as the ioctl sets it: the face follows */
	mutex_lock(&mmz.lock);
	ot_test_mmb(b)->shared_all = true;
	mmz_faces_sync(ot_test_mmb(b));
	mutex_unlock(&mmz.lock);
	KUNIT_EXPECT_EQ(test, b->check_pid, 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_check_mem_share_with_pid(b, other), 0);

	KUNIT_EXPECT_EQ(test, ot_mmb_free(k), 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_free(b), 0);
}

/* mappings, invalidate, and references shared by both APIs' views */
static void ot_test_map_refs(struct kunit *test)
{
	ot_mmz_t *z = ot_test_zone(test, SZ_64K);
	hil_mmb_t *h;
	ot_mmb_t *b;
	u8 *va;

	b = ot_test_alloc(z, "kunit-ot-map", SZ_64K, 0);
	KUNIT_ASSERT_NOT_NULL(test, b);
	h = hil_mmb_getby_phys(b->phys_addr);
	KUNIT_ASSERT_NOT_NULL(test, h);
	va = ot_mmb_map2kern_cached(b);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_kvirt(b), (void *)va);
	KUNIT_EXPECT_PTR_EQ(test, hil_mmb_kvirt(h), (void *)va);
	KUNIT_EXPECT_EQ(test, b->flags,
			OT_MMB_MAP2KERN | OT_MMB_MAP2KERN_CACHED);
	KUNIT_EXPECT_EQ(test, b->map_ref, 1);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_getby_kvirt(va + 100), b);

	/* cleaned lines survive the invalidate: memory holds them */
	memset(va, 0x11, SZ_64K);
	KUNIT_EXPECT_EQ(test, ot_mmb_flush_dcache_byaddr(va, b->phys_addr,
							 SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, ot_mmb_invalid_cache_byaddr(va, b->phys_addr,
							  SZ_64K), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(va, 0x11, SZ_64K));
	KUNIT_EXPECT_EQ(test, ot_mmb_invalid_cache_byaddr(NULL, b->phys_addr,
							  SZ_64K), -EINVAL);
	KUNIT_EXPECT_EQ(test, ot_mmb_unmap(b), 0);
	KUNIT_EXPECT_NULL(test, ot_mmb_kvirt(b));
	KUNIT_EXPECT_EQ(test, b->flags, 0);

	/* one count, both views */
	KUNIT_EXPECT_EQ(test, ot_mmb_get(b), 1);
	KUNIT_EXPECT_EQ(test, hil_mmb_get(h), 2);
	KUNIT_EXPECT_EQ(test, b->phy_ref, 2);
	KUNIT_EXPECT_EQ(test, h->phy_ref, 2);
	KUNIT_EXPECT_EQ(test, ot_mmb_free(b), 0);
	KUNIT_EXPECT_EQ(test, b->flags, OT_MMB_RELEASED);
	KUNIT_EXPECT_EQ(test, h->flags, HIL_MMB_RELEASED);
	KUNIT_EXPECT_EQ(test, ot_mmb_put(b), 1);
	KUNIT_EXPECT_PTR_EQ(test, ot_mmb_getby_phys(b->phys_addr), b);
	KUNIT_EXPECT_EQ(test, hil_mmb_put(h), 0);	/* frees it */
}

/* zones: one object for both APIs; create_v2's attribute struct */
static void ot_test_zones(struct kunit *test)
{
	ot_mmz_create_attr attr = {
		.phys_start = 0x1000, .nbytes = SZ_1M,
		.alloc_type = EQ_BLOCK_ALLOC, .block_align = SZ_64K,
	};
	ot_mmz_t *z = ot_test_zone(test, PAGE_SIZE), *nz;

	KUNIT_EXPECT_PTR_EQ(test, (void *)hil_mmz_find(0, z->name), (void *)z);
	KUNIT_EXPECT_NULL(test, ot_mmz_create_v2("kunit-ot", NULL));
	KUNIT_EXPECT_NULL(test, ot_mmz_create_v2(NULL, &attr));
	nz = ot_mmz_create_v2("kunit-ot", &attr);
	KUNIT_ASSERT_NOT_NULL(test, nz);
	KUNIT_EXPECT_EQ(test, nz->nbytes, SZ_1M);
	KUNIT_EXPECT_EQ(test, nz->alloc_type, EQ_BLOCK_ALLOC);
	KUNIT_EXPECT_EQ(test, nz->block_align, SZ_64K);
	KUNIT_EXPECT_EQ(test, ot_mmz_unregister(nz), -1);	/* not in */
	KUNIT_EXPECT_EQ(test, ot_mmz_destroy(nz), 0);
	KUNIT_EXPECT_EQ(test, ot_mmz_destroy(NULL), -1);
	KUNIT_EXPECT_EQ(test, ot_mmz_destroy(z), -1);	/* registered */
}

static struct kunit_case ot_test_cases[] = {
	KUNIT_CASE(ot_test_alloc_fields),
	KUNIT_CASE(ot_test_alloc_variants),
	KUNIT_CASE(ot_test_share),
	KUNIT_CASE(ot_test_map_refs),
	KUNIT_CASE(ot_test_zones),
	{}
};

static struct kunit_suite ot_test_suite = {
	.name = "mmz_ot",
	.init = mmz_test_init,
	.exit = mmz_test_exit,
	.test_cases = ot_test_cases,
};

kunit_test_suite(ot_test_suite);
