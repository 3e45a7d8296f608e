// SPDX-License-Identifier: GPL-2.0
/*
 * ot_client: a driver of the vendor's generation-3 kernel API (ot_*) that
 * mmz.ko exports, built out of tree against include/hisilicon/ot/osal_mmz.h
 * (mmz.mk, MMZ_API=ot) and kernel headers only, with the harness it shares
 * with hil_client (../client.h). Generation 2's behaviour is hil_client's
 * to test; these checks cover what generation 3 adds or changes: the
 * parameter struct of the allocations, 32-byte names, kernel_only and the
 * allocator's pid, the share checks of process isolation, getby_phys_2's
 * offset. It logs as hil_client does; tests/kmod/ot.sh reads it:
 *
 *	ot_client: 1..16
 *	ot_client: # N: line L: <what failed>	(before its result line)
 *	ot_client: ok N - <text>[ # SKIP <why>] / not ok N - <text>
 *	ot_client: P passed, F failed		(at unload, P + F = 16)
 *
 * Checks 1-15 run at load, in insmod's context (the allocator of every
 * block), 16 at unload. Init returns 0 even when checks fail, so that the
 * log is read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "osal_mmz.h"

#define OC_CHECKS	16
#define OC_AT_LOAD	15
#define OC_UNLOAD	16

static const char * const hc_text[OC_CHECKS + 1] = {
	[1] = "ot_mmz_find, ot_mmz_get_phys, ot_mmz_get_anony, isolation on",
	[2] = "ot_mmb_alloc: 3 pages + 1 byte: 4 pages, in its zone, insmod's",
	[3] = "ot_mmb_alloc refusals: NULL para_in, size 0, unknown zone",
	[4] = "ot_mmb_alloc: 32-byte names, NULL name, kernel_only kept",
	[5] = "ot_mmb_alloc_v2: 1 MiB HIGH_TO_LOW above LOW_TO_HIGH, order 2",
	[6] = "ot_mmb_alloc_in, ot_mmb_alloc_in_v2: user_mmz's zone, NULL",
	[7] = "ot_mmz_create_v2, _register, _unregister, _destroy: a zone of ours",
	[8] = "zone refusals: create_v2 NULLs, overlap, destroy(NULL)",
	[9] = "ot_mmb_map2kern: zeroed, written, flushed, counted, unmapped",
	[10] = "ot_mmb_map2kern_cached: zeroed, written, flushed, counted, unmapped",
	[11] = "ot_mmb_getby_phys, ot_mmb_getby_phys_2, ot_mmb_getby_kvirt",
	[12] = "ot_mmb_get, ot_mmb_put; ot_mmb_free waits for the last put",
	[13] = "ot_mmb_check_mem_share, _with_pid: the allocator, not kernel_only",
	[14] = "ot_mmz_check_phys_addr: a block, kernel_only, size 0, no block, RAM",
	[15] = "ot_is_phys_in_mmz, ot_map_mmz_check_phys, ot_mmf_map2kern_*",
	[16] = "unload frees every block",
};

#define HC_API(x)	ot_##x
#define HC_FLAG(x)	OT_##x
#include "../client.h"		/* params zone, zone2, newzone; the harness */

static int oc_pid;		/* insmod's tgid: every block's allocator */

/* a kernel_only block kept while loaded, for tests/kmod/ot_user.c */
static unsigned long konly_phys;
module_param(konly_phys, ulong, 0444);
MODULE_PARM_DESC(konly_phys, "block oc_konly, kernel_only (0: none)");

static unsigned long konly_len;
module_param(konly_len, ulong, 0444);
MODULE_PARM_DESC(konly_len, "its length in bytes");

/* A request for @size bytes named @name in zone @mmz, the rest 0. */
static ot_mmz_alloc_para_in oc_para(const char *name, unsigned long size,
				    const char *mmz)
{
	ot_mmz_alloc_para_in p = {
		.mmz_name = mmz,
		.buf_name = name,
		.size = size,
	};

	return p;
}

/* ot_mmb_alloc() of @size bytes in zone=, tracked */
static ot_mmb_t *oc_alloc(const char *name, unsigned long size,
			  int kernel_only)
{
	ot_mmz_alloc_para_in p = oc_para(name, size, zone);

	p.kernel_only = kernel_only;
	return hc_track(ot_mmb_alloc(&p));
}

/* ---- 1: zones ---- */

static void oc_zones(void)
{
	int anony = ot_mmz_get_anony();

	hc_zones();
	if (anony != 0 && anony != 1)
		hc_fail(__LINE__, "ot_mmz_get_anony(): %d, not 0 or 1", anony);
	HC_EQ(ot_mmz_get_mem_process_isolation(), 1);
}

/* ---- 2-6: allocation ---- */

/* @b's owner fields: allocated by insmod, shared with no one yet */
static void oc_owner(const ot_mmb_t *b)
{
	int i;

	HC_EQ(b->check_pid, 1);
	if (!HC_TRUE(b->pid_num >= 1 && b->pid_num <= OT_MMB_MAX_PID_NUM))
		return;
	HC_EQ(b->pid[0], oc_pid);
	for (i = b->pid_num; i < OT_MMB_MAX_PID_NUM; i++)
		if (b->pid[i] != -1)
			hc_fail(__LINE__, "pid[%d] of %d in use: %d, not -1",
				i, b->pid_num, b->pid[i]);
}

static void oc_alloc_one(void)
{
	ot_mmb_t *a = oc_alloc("oc_a", 3 * PAGE_SIZE + 1, 0);

	if (!HC_NONNULL(a))
		return;
	pr_info("# %d: " OT_MMB_FMT_S "\n", hc_cur, ot_mmb_fmt_arg(a));
	HC_EQX(ot_mmb_length(a), 4 * PAGE_SIZE);
	HC_INSIDE(hc_zone1, a);
	HC_PTR_EQ(ot_mmb_zone(a), ot_mmz_find(0, zone));
	HC_STR_EQ(ot_mmb_name(a), "oc_a");
	HC_EQ(a->order, LOW_TO_HIGH);
	HC_NULL(ot_mmb_kvirt(a));
	HC_EQX(HC_FLAGS(a), 0);
	HC_EQ(a->phy_ref, 0);
	HC_EQ(a->map_ref, 0);
	HC_EQ(a->kernel_only, 0);
	oc_owner(a);
	hc_free(a);
}

static void oc_alloc_refusals(void)
{
	ot_mmz_alloc_para_in p = oc_para("oc_zero", 0, zone);

	HC_NULL(hc_track(ot_mmb_alloc(NULL)));
	HC_NULL(hc_track(ot_mmb_alloc(&p)));
	p = oc_para("oc_nozone", PAGE_SIZE, "nonexistent");
	HC_NULL(hc_track(ot_mmb_alloc(&p)));
}

static void oc_names(void)
{
	/* 31 characters and the NUL: all of a name (16 bytes in gen 2) */
	static const char n31[] = "oc_name_of_31_characters_012345";
	static const char n41[] = "oc_name_of_31_characters_012345_truncated";
	static const struct {
		const char *name, *want;
		int kernel_only;
	} t[] = {
		{ n31, n31, 0 },
		{ n41, n31, 1 },
		{ NULL, "<null>", 0 },
	};
	ot_mmb_t *b;
	int i;

	BUILD_BUG_ON(sizeof(n31) != OT_MMB_NAME_LEN);
	BUILD_BUG_ON(sizeof(n41) <= OT_MMB_NAME_LEN);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		b = oc_alloc(t[i].name, PAGE_SIZE, t[i].kernel_only);
		if (!HC_NONNULL(b))
			continue;
		if (HC_TRUE(memchr(ot_mmb_name(b), 0, OT_MMB_NAME_LEN)))
			HC_STR_EQ(ot_mmb_name(b), t[i].want);
		HC_EQ(b->kernel_only, t[i].kernel_only);
		oc_owner(b);
		hc_free(b);
	}
}

static void oc_alloc_order(void)
{
	ot_mmz_alloc_para_in p = oc_para("oc_order2", PAGE_SIZE, zone);
	ot_mmb_t *lo, *hi;

	p.order = 2;
	HC_NULL(hc_track(ot_mmb_alloc_v2(&p)));
	if (!hc_have_zone2()) {
		hc_skip = "no second zone";
		return;
	}
	/* 1 MiB: a freed page still being zeroed may be a page's best fit */
	p = oc_para("oc_lo", SZ_1M, zone2);
	p.order = LOW_TO_HIGH;
	lo = hc_track(ot_mmb_alloc_v2(&p));
	p.buf_name = "oc_hi";
	p.order = HIGH_TO_LOW;
	hi = hc_track(ot_mmb_alloc_v2(&p));
	if (HC_NONNULL(lo) && HC_NONNULL(hi)) {
		HC_INSIDE(hc_zone2, lo);
		HC_INSIDE(hc_zone2, hi);
		HC_EQ(lo->order, LOW_TO_HIGH);
		HC_EQ(hi->order, HIGH_TO_LOW);
		if (ot_mmb_phys(hi) <= ot_mmb_phys(lo))
			hc_fail(__LINE__, "HIGH_TO_LOW 0x%lx not above LOW_TO_HIGH 0x%lx",
				ot_mmb_phys(hi), ot_mmb_phys(lo));
	}
	hc_free(lo);
	hc_free(hi);
}

static void oc_alloc_in(void)
{
	/* the _in calls take user_mmz and read no mmz_name */
	ot_mmz_alloc_para_in p = oc_para("oc_in", PAGE_SIZE, "nonexistent");
	ot_mmb_t *in, *in2;

	p.user_mmz = ot_mmz_find(0, zone);
	in = hc_track(ot_mmb_alloc_in(&p));
	p.buf_name = "oc_in_v2";
	p.order = HIGH_TO_LOW;
	in2 = hc_track(ot_mmb_alloc_in_v2(&p));
	if (HC_NONNULL(in)) {
		HC_PTR_EQ(ot_mmb_zone(in), p.user_mmz);
		HC_INSIDE(hc_zone1, in);
		HC_STR_EQ(ot_mmb_name(in), "oc_in");
	}
	if (HC_NONNULL(in2)) {
		HC_PTR_EQ(ot_mmb_zone(in2), p.user_mmz);
		HC_INSIDE(hc_zone1, in2);
		HC_EQ(in2->order, HIGH_TO_LOW);
	}
	hc_free(in);
	hc_free(in2);
	p.user_mmz = NULL;
	HC_NULL(hc_track(ot_mmb_alloc_in(&p)));
	HC_NULL(hc_track(ot_mmb_alloc_in_v2(&p)));
}

/* ---- 7, 8: zones of a driver's own ---- */

static void oc_zone_life(void)
{
	ot_mmz_create_attr attr = { .alloc_type = DEFAULT_ALLOC };
	ot_mmz_alloc_para_in p = oc_para("oc_z_in", PAGE_SIZE, NULL);
	ot_mmz_t *z;
	ot_mmb_t *m;

	if (!hc_newzone(&attr.phys_start, &attr.nbytes))
		return;
	z = ot_mmz_create_v2("oc_zone", &attr);
	if (!HC_NONNULL(z))
		return;
	hc_own = z;
	HC_STR_EQ(z->name, "oc_zone");
	HC_EQX(z->phys_start, attr.phys_start);
	HC_EQX(z->nbytes, attr.nbytes);
	HC_EQ(z->alloc_type, DEFAULT_ALLOC);
	if (!HC_EQ(ot_mmz_register(z), 0))
		goto destroy;
	hc_own_registered = true;
	HC_PTR_EQ(ot_mmz_find(0, "oc_zone"), z);

	p.user_mmz = z;
	m = hc_track(ot_mmb_alloc_in(&p));
	if (HC_NONNULL(m)) {
		HC_INSIDE(z, m);
		HC_PTR_EQ(ot_mmb_zone(m), z);
		/* a zone with a block stays */
		HC_EQ(ot_mmz_unregister(z), -1);
		HC_PTR_EQ(ot_mmz_find(0, "oc_zone"), z);
		hc_free(m);
	}
	if (!HC_EQ(ot_mmz_unregister(z), 0))
		return;
	hc_own_registered = false;
	HC_NULL(ot_mmz_find(0, "oc_zone"));
destroy:
	if (HC_EQ(ot_mmz_destroy(z), 0))
		hc_own = NULL;
}

static void oc_zone_refusals(void)
{
	ot_mmz_create_attr attr = { .phys_start = 0, .nbytes = SZ_1M };

	HC_NULL(ot_mmz_create_v2("oc_noattr", NULL));
	HC_NULL(ot_mmz_create_v2(NULL, &attr));
	HC_EQ(ot_mmz_destroy(NULL), -1);
	if (hc_zone1)
		hc_overlap("oc_overlap");
}

/* ---- 9, 10: kernel mappings ---- */

static void oc_map_extra(ot_mmb_t *m, void *k, bool cached)
{
	HC_EQ(ot_mmb_invalid_cache_byaddr(NULL, ot_mmb_phys(m),
					  ot_mmb_length(m)), -EINVAL);
}

static void oc_map(bool cached)
{
	ot_mmb_t *m = oc_alloc(cached ? "oc_mapc" : "oc_map", 4 * PAGE_SIZE,
			       0);

	if (!HC_NONNULL(m))
		return;
	hc_map_check(m, cached, oc_map_extra);
	hc_free(m);
}

static void oc_map_uncached(void)
{
	oc_map(false);
}

static void oc_map_cached(void)
{
	oc_map(true);
}

/* ---- 11, 12: lookups, references ---- */

static void oc_lookups(void)
{
	ot_mmb_t *m = oc_alloc("oc_look", 4 * PAGE_SIZE, 0);
	unsigned long phys, off = 1;
	char *k;

	if (!HC_NONNULL(m))
		return;
	phys = ot_mmb_phys(m);
	HC_PTR_EQ(ot_mmb_getby_phys(phys), m);
	HC_PTR_EQ(ot_mmb_getby_phys_2(phys + 100, &off), m);
	HC_EQX(off, 100);
	/* generation 3 wants somewhere to put the offset */
	HC_NULL(ot_mmb_getby_phys_2(phys, NULL));
	k = ot_mmb_map2kern(m);
	if (HC_NONNULL(k)) {
		HC_PTR_EQ(ot_mmb_getby_kvirt((const void *)(k + 8)), m);
		HC_EQ(ot_mmb_unmap(m), 0);
	}
	if (HC_EQ(ot_mmb_freeby_phys(phys), 0))
		hc_gone(m, phys);
}

static void oc_refs(void)
{
	ot_mmb_t *m = oc_alloc("oc_ref", PAGE_SIZE, 0);
	unsigned long phys;
	int i;

	if (!HC_NONNULL(m))
		return;
	phys = ot_mmb_phys(m);
	for (i = 1; i <= 3; i++)
		HC_EQ(ot_mmb_get(m), i);
	HC_EQ(ot_mmb_put(m), 2);
	HC_EQ(ot_mmb_put(m), 1);
	HC_EQ(m->phy_ref, 1);
	/* freed while referenced: marked, still there */
	HC_EQ(ot_mmb_free(m), 0);
	HC_EQX(HC_FLAGS(m), OT_MMB_RELEASED);
	HC_PTR_EQ(ot_mmb_getby_phys(phys), m);
	if (HC_EQ(ot_mmb_put(m), 0))
		hc_gone(m, phys);
}

/* ---- 13, 14: process isolation ---- */

static void oc_share(void)
{
	ot_mmb_t *m = oc_alloc("oc_share", PAGE_SIZE, 0);
	ot_mmb_t *ko = oc_alloc("oc_share_ko", PAGE_SIZE, 1);
	int other = oc_pid != 1 ? 1 : 2;

	if (HC_NONNULL(m)) {
		/* current is insmod, the allocator */
		HC_EQ(ot_mmb_check_mem_share(m), 0);
		HC_EQ(ot_mmb_check_mem_share_with_pid(m, oc_pid), 0);
		HC_EQ(ot_mmb_check_mem_share_with_pid(m, other), -EPERM);
	}
	if (HC_NONNULL(ko)) {
		/* no process, not even the allocator */
		HC_EQ(ot_mmb_check_mem_share(ko), -EPERM);
		HC_EQ(ot_mmb_check_mem_share_with_pid(ko, oc_pid), -EPERM);
	}
	HC_EQ(ot_mmb_check_mem_share(NULL), -EINVAL);
	HC_EQ(ot_mmb_check_mem_share_with_pid(NULL, oc_pid), -EINVAL);
	hc_free(m);
	hc_free(ko);
}

static void oc_check_phys(void)
{
	ot_mmb_t *m = oc_alloc("oc_phys", 2 * PAGE_SIZE, 0);
	ot_mmb_t *ko = oc_alloc("oc_phys_ko", PAGE_SIZE, 1);
	void *ram;

	if (HC_NONNULL(m)) {
		HC_EQ(ot_mmz_check_phys_addr(ot_mmb_phys(m), ot_mmb_length(m)),
		      0);
		HC_EQ(ot_mmz_check_phys_addr(ot_mmb_phys(m), 0), -EINVAL);
	}
	if (HC_NONNULL(ko))
		HC_EQ(ot_mmz_check_phys_addr(ot_mmb_phys(ko),
					     ot_mmb_length(ko)), -EPERM);
	/* zone memory no block holds (zone2 is empty) */
	if (hc_zone2)
		HC_EQ(ot_mmz_check_phys_addr(hc_zone2->phys_start +
					     hc_zone2->nbytes - PAGE_SIZE,
					     PAGE_SIZE), -EINVAL);
	ram = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (HC_NONNULL(ram)) {
		HC_EQ(ot_mmz_check_phys_addr(virt_to_phys(ram), PAGE_SIZE),
		      -EINVAL);
		kfree(ram);
	}
	hc_free(m);
	hc_free(ko);
}

/* ---- 15: physical ranges ---- */

static void oc_mmf(void)
{
	ot_mmb_t *m = oc_alloc("oc_mmf", 4 * PAGE_SIZE, 0);
	unsigned long phys, len;
	char *k, *v, *ram;

	/* kernel memory: in no zone, in no map_mmz= range */
	ram = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (HC_NONNULL(ram)) {
		HC_EQ(ot_is_phys_in_mmz(virt_to_phys(ram), PAGE_SIZE), -1);
		HC_EQ(ot_map_mmz_check_phys(virt_to_phys(ram), PAGE_SIZE), -1);
		kfree(ram);
	}
	if (!HC_NONNULL(m))
		return;
	phys = ot_mmb_phys(m);
	len = ot_mmb_length(m);
	HC_EQ(ot_is_phys_in_mmz(phys, len), 0);
	/* no map_mmz= was given: zone memory is no map_mmz range either */
	HC_EQ(ot_map_mmz_check_phys(phys, len), -1);

	/* one memory type at a time: uncached, then cached */
	k = ot_mmb_map2kern(m);
	if (HC_NONNULL(k)) {
		hc_fill(k, len, 7, 0);
		v = ot_mmf_map2kern_nocache(phys + PAGE_SIZE, 2 * PAGE_SIZE);
		if (HC_NONNULL(v)) {
			HC_PATTERN(v, 2 * PAGE_SIZE, 7, PAGE_SIZE);
			ot_mmf_unmap(v);
		}
		HC_EQ(ot_mmb_unmap(m), 0);
	}
	k = ot_mmb_map2kern_cached(m);
	if (HC_NONNULL(k)) {
		/* no line of an older alias may hide the uncached writes */
		HC_EQ(ot_mmb_invalid_cache_byaddr(k, phys, len), 0);
		v = ot_mmf_map2kern_cache(phys + 2 * PAGE_SIZE - 100, 200);
		if (HC_NONNULL(v)) {
			HC_PATTERN(v, 200, 7, 2 * PAGE_SIZE - 100);
			ot_mmf_unmap(v);
		}
		HC_EQ(ot_mmb_unmap(m), 0);
	}
	hc_free(m);
}

/* ---- module ---- */

static void (* const oc_checks[OC_AT_LOAD + 1])(void) = {
	[1] = oc_zones,
	[2] = oc_alloc_one,
	[3] = oc_alloc_refusals,
	[4] = oc_names,
	[5] = oc_alloc_order,
	[6] = oc_alloc_in,
	[7] = oc_zone_life,
	[8] = oc_zone_refusals,
	[9] = oc_map_uncached,
	[10] = oc_map_cached,
	[11] = oc_lookups,
	[12] = oc_refs,
	[13] = oc_share,
	[14] = oc_check_phys,
	[15] = oc_mmf,
};

static int __init oc_init(void)
{
	ot_mmb_t *k;

	oc_pid = task_tgid_nr(current);
	pr_info("1..%d\n", OC_CHECKS);
	hc_run(oc_checks, 1, OC_AT_LOAD);
	k = oc_alloc("oc_konly", 2 * PAGE_SIZE, 1);	/* freed at unload */
	if (k) {
		konly_phys = ot_mmb_phys(k);
		konly_len = ot_mmb_length(k);
	}
	return 0;
}

static void __exit oc_exit(void)
{
	hc_begin(OC_UNLOAD);
	hc_release_all();
	HC_NULL(ot_mmz_find(0, "oc_zone"));
	hc_end();
	pr_info("%d passed, %d failed\n", hc_passed, hc_failed);
}

module_init(oc_init);
module_exit(oc_exit);

MODULE_DESCRIPTION("mmz test: a vendor-style client of the ot_* kernel API");
MODULE_LICENSE("GPL");
