// SPDX-License-Identifier: GPL-2.0
/*
 * hil_client: a driver of the vendor's generation-2 kernel API (hil_*) that
 * mmz.ko exports, built out of tree against include/hisilicon/osal_mmz.h
 * and kernel headers only, as a vendor or OpenIPC driver is. It runs its
 * checks when loaded and logs one line per check, which tests/kmod/hil.sh
 * turns into TAP in the VM:
 *
 *	hil_client: 1..18
 *	hil_client: # N: line L: <what failed>	(before its result line)
 *	hil_client: ok N - <text>[ # SKIP <why>] / not ok N - <text>
 *	hil_client: P passed, F failed		(at unload, P + F = 18)
 *
 * Checks 1-16 run at load. The module then keeps block "hc_user" mapped
 * and filled for tests/kmod/hil_user.c (parameters user_phys, user_len);
 * that program writes its mapping's address to parameter "verify", which
 * runs check 17 in its context. Unloading runs check 18. Init returns 0
 * even when checks fail, so that the log is read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "osal_mmz.h"

static unsigned long user_phys;
module_param(user_phys, ulong, 0444);
MODULE_PARM_DESC(user_phys, "block hc_user, for user space (0: none)");

static unsigned long user_len;
module_param(user_len, ulong, 0444);
MODULE_PARM_DESC(user_len, "its length in bytes");

#define HC_CHECKS	18
#define HC_AT_LOAD	16
#define HC_VERIFY	17
#define HC_UNLOAD	18

static const char * const hc_text[HC_CHECKS + 1] = {
	[1] = "hil_mmz_find, hil_mmz_get_phys: the load's zones, no other",
	[2] = "hil_mmb_alloc: 3 pages + 1 byte: 4 pages, in its zone, unmapped",
	[3] = "hil_mmb_alloc refusals (size 0, unknown zone, too big), free(NULL)",
	[4] = "hil_mmb_alloc in the second zone by name",
	[5] = "hil_mmb_alloc_v2: 1 MiB HIGH_TO_LOW above LOW_TO_HIGH",
	[6] = "hil_mmb_alloc, hil_mmb_alloc_v2 align: 1 MiB and 3 pages",
	[7] = "hil_mmb_map2kern: zeroed, written, flushed, counted, unmapped",
	[8] = "hil_mmb_map2kern_cached: zeroed, written, flushed, counted, unmapped",
	[9] = "hil_mmb_getby_phys, hil_mmb_getby_phys_2, hil_mmb_getby_kvirt",
	[10] = "hil_mmb_get, hil_mmb_put; hil_mmb_free waits for the last put",
	[11] = "hil_mmb_free of a kernel-mapped block waits for the last unmap",
	[12] = "hil_mmf_map2kern_nocache, hil_mmf_map2kern_cache: part of a block",
	[13] = "hil_mmf_*, hil_is_phys_in_mmz, hil_map_mmz_check_phys: RAM refused",
	[14] = "hil_mmz_create_v2, _register, _unregister, _destroy: a zone of ours",
	[15] = "zone refusals: overlap, the load's zones, NULL",
	[16] = "block hc_user for user space: mapped cached, filled, flushed",
	[17] = "hil_user's writes seen by the kernel; usr_virt_to_phys, hil_vma_check",
	[18] = "unload frees every block",
};

#define HC_API(x)	hil_##x
#define HC_FLAG(x)	HIL_##x
#include "client.h"		/* params zone, zone2, newzone; the harness */

static bool hc_loaded, hc_verified;
static DEFINE_MUTEX(hc_lock);	/* verify against unload */

static hil_mmb_t *hc_user;		/* check 16's block */
static u8 *hc_user_k;

/* hc_user: byte i as the module writes it, and as hil_user.c writes it */
static u8 hc_user_pat(unsigned long i)
{
	return (i * 7 + 3) & 0xff;
}

static u8 hc_user_pat2(unsigned long i)
{
	return (i * 11 + 5) & 0xff;
}

/* ---- 2-6: allocation ---- */

static void hc_alloc(void)
{
	hil_mmb_t *a;

	a = hc_track(hil_mmb_alloc("hc_a", 3 * PAGE_SIZE + 1, 0, 0, zone));
	if (!HC_NONNULL(a))
		return;
	pr_info("# %d: " HIL_MMB_FMT_S "\n", hc_cur, hil_mmb_fmt_arg(a));
	HC_EQX(hil_mmb_length(a), 4 * PAGE_SIZE);
	HC_TRUE(PAGE_ALIGNED(hil_mmb_phys(a)));
	HC_EQ(hil_is_phys_in_mmz(hil_mmb_phys(a), hil_mmb_length(a)), 0);
	HC_INSIDE(hc_zone1, a);
	HC_STR_EQ(hil_mmb_name(a), "hc_a");
	HC_PTR_EQ(hil_mmb_zone(a), hc_zone1);
	HC_NULL(hil_mmb_kvirt(a));
	HC_EQX(HC_FLAGS(a), 0);
	HC_EQ(a->phy_ref, 0);
	HC_EQ(a->map_ref, 0);
	HC_EQ(a->order, LOW_TO_HIGH);
	HC_PTR_EQ(hil_mmb_getby_phys(hil_mmb_phys(a)), a);
	hc_free(a);
}

static void hc_alloc_refusals(void)
{
	hil_mmb_t *a;

	HC_NULL(hc_track(hil_mmb_alloc("hc_zero", 0, 0, 0, zone)));
	HC_NULL(hc_track(hil_mmb_alloc("hc_nozone", PAGE_SIZE, 0, 0,
				       "nonexistent")));
	HC_NULL(hc_track(hil_mmb_alloc_v2("hc_nozone", PAGE_SIZE, 0, 0,
					  "nonexistent", HIGH_TO_LOW)));
	HC_NULL(hc_track(hil_mmb_alloc_v2("hc_order2", PAGE_SIZE, 0, 0, zone,
					  2)));
	HC_NULL(hc_track(hil_mmb_alloc_in("hc_in_null", PAGE_SIZE, 0, NULL)));
	HC_NULL(hc_track(hil_mmb_alloc_in_v2("hc_in_null", PAGE_SIZE, 0, NULL,
					     LOW_TO_HIGH)));
	if (hc_zone1) {
		a = hil_mmb_alloc("hc_huge", hc_zone1->nbytes + PAGE_SIZE, 0,
				  0, zone);
		HC_NULL(hc_track(a));
	}
	HC_EQ(hil_mmb_free(NULL), -1);
	HC_EQ(hil_mmb_freeby_phys(0), -1);
	HC_EQ(hil_mmb_get(NULL), -1);
	HC_EQ(hil_mmb_put(NULL), -1);
}

static void hc_alloc_zone2(void)
{
	hil_mmb_t *b;

	if (!hc_have_zone2()) {
		hc_skip = "no second zone";
		return;
	}
	b = hc_track(hil_mmb_alloc("hc_b", PAGE_SIZE, 0, 0, zone2));
	if (!HC_NONNULL(b))
		return;
	HC_PTR_EQ(hil_mmb_zone(b), hc_zone2);
	HC_INSIDE(hc_zone2, b);
	HC_STR_EQ(hil_mmb_name(b), "hc_b");
	hc_free(b);
}

static void hc_alloc_order(void)
{
	hil_mmb_t *lo, *hi;

	if (!hc_have_zone2()) {
		hc_skip = "no second zone";
		return;
	}
	/*
	 * 1 MiB, not a page: hc_b's page may still be waiting to be zeroed
	 * (prezero) and then be the best fit for a page-sized HIGH_TO_LOW.
	 */
	lo = hc_track(hil_mmb_alloc_v2("hc_lo", SZ_1M, 0, 0, zone2,
				       LOW_TO_HIGH));
	hi = hc_track(hil_mmb_alloc_v2("hc_hi", SZ_1M, 0, 0, zone2,
				       HIGH_TO_LOW));
	if (HC_NONNULL(lo)) {
		HC_INSIDE(hc_zone2, lo);
		HC_EQ(lo->order, LOW_TO_HIGH);
	}
	if (HC_NONNULL(hi)) {
		HC_INSIDE(hc_zone2, hi);
		HC_EQ(hi->order, HIGH_TO_LOW);
		HC_PTR_EQ(hil_mmb_zone(hi), hc_zone2);
	}
	if (lo && hi && hil_mmb_phys(hi) <= hil_mmb_phys(lo))
		hc_fail(__LINE__, "HIGH_TO_LOW block 0x%lx not above LOW_TO_HIGH 0x%lx",
			hil_mmb_phys(hi), hil_mmb_phys(lo));
	hc_free(lo);
	hc_free(hi);
}

static void hc_alloc_align(void)
{
	hil_mmb_t *m[3];
	int i;

	m[0] = hc_track(hil_mmb_alloc("hc_al1m", PAGE_SIZE, SZ_1M, 0, zone));
	m[1] = hc_track(hil_mmb_alloc_v2("hc_al1m_hi", PAGE_SIZE, SZ_1M, 0,
					 zone, HIGH_TO_LOW));
	/* any align, rounded up to a page multiple, as the vendor's */
	m[2] = hc_track(hil_mmb_alloc("hc_al3p", PAGE_SIZE, 3 * PAGE_SIZE, 0,
				      zone));
	for (i = 0; i < 3; i++) {
		if (!HC_NONNULL(m[i]))
			continue;
		HC_INSIDE(hc_zone1, m[i]);
		HC_EQX(hil_mmb_phys(m[i]) % (i < 2 ? SZ_1M : 3 * PAGE_SIZE),
		       0);
	}
	for (i = 0; i < 3; i++)
		hc_free(m[i]);
}

/* ---- 7, 8: kernel mappings ---- */

/* what generation 2 also does while a block is mapped */
static void hc_map_extra(hil_mmb_t *m, void *k, bool cached)
{
	void *(*other)(hil_mmb_t *mmb) = cached ? hil_mmb_map2kern :
						  hil_mmb_map2kern_cached;
	unsigned long phys = hil_mmb_phys(m), len = hil_mmb_length(m);
	unsigned long want = HC_FLAGS(m);

	/* _safe takes the caller's user address: not this one */
	HC_EQ(hil_mmb_flush_dcache_byaddr_safe(k, phys, len), -EPERM);
	HC_EQ(hil_mmb_flush_dcache_byaddr(NULL, phys, len), -EINVAL);
	/* one kernel mapping per block: the other mode is refused */
	HC_NULL(other(m));
	HC_EQX(HC_FLAGS(m), want);
	HC_EQ(m->map_ref, 1);
}

static void hc_map(bool cached)
{
	hil_mmb_t *m;

	m = hc_track(hil_mmb_alloc(cached ? "hc_mapc" : "hc_map",
				   4 * PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	hc_map_check(m, cached, hc_map_extra);
	HC_EQ(hil_mmb_unmap(m), -1);
	HC_EQ(hil_mmb_unmap(NULL), -1);
	hc_free(m);
}

static void hc_map_uncached(void)
{
	hc_map(false);
}

static void hc_map_cached(void)
{
	hc_map(true);
}

/* ---- 9: lookups ---- */

static void hc_lookups(void)
{
	unsigned long phys, len, off, ram;
	hil_mmb_t *m;
	char *k;

	m = hc_track(hil_mmb_alloc("hc_look", 4 * PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	len = hil_mmb_length(m);
	HC_PTR_EQ(hil_mmb_getby_phys(phys), m);
	/* the start only */
	HC_NULL(hil_mmb_getby_phys(phys + PAGE_SIZE));
	off = 1;
	HC_PTR_EQ(hil_mmb_getby_phys_2(phys, &off), m);
	HC_EQX(off, 0);
	HC_PTR_EQ(hil_mmb_getby_phys_2(phys + 5000, &off), m);
	HC_EQX(off, 5000);
	HC_PTR_EQ(hil_mmb_getby_phys_2(phys + len - 1, &off), m);
	HC_EQX(off, len - 1);
	HC_TRUE(hil_mmb_getby_phys_2(phys + len, &off) != m);
	HC_PTR_EQ(hil_mmb_getby_phys_2(phys + 8, NULL), m);

	k = hil_mmb_map2kern(m);
	if (HC_NONNULL(k)) {
		HC_PTR_EQ(hil_mmb_getby_kvirt(k), m);
		HC_PTR_EQ(hil_mmb_getby_kvirt(k + 100), m);
		HC_PTR_EQ(hil_mmb_getby_kvirt(k + len - 1), m);
		HC_TRUE(hil_mmb_getby_kvirt(k + len) != m);
		HC_EQ(hil_mmb_unmap(m), 0);
		HC_NULL(hil_mmb_getby_kvirt(k + 100));
	}
	HC_NULL(hil_mmb_getby_kvirt(NULL));

	/* a kernel page is in no block */
	ram = __get_free_page(GFP_KERNEL);
	if (HC_TRUE(ram)) {
		HC_NULL(hil_mmb_getby_phys(virt_to_phys((void *)ram)));
		HC_NULL(hil_mmb_getby_phys_2(virt_to_phys((void *)ram) + 8,
					     &off));
		HC_NULL(hil_mmb_getby_kvirt((void *)ram));
		free_page(ram);
	}

	if (HC_EQ(hil_mmb_freeby_phys(phys), 0))
		hc_gone(m, phys);
	HC_NULL(hil_mmb_getby_phys_2(phys + 5000, &off));
}

/* ---- 10, 11: references and delayed frees ---- */

static void hc_refs(void)
{
	unsigned long phys;
	hil_mmb_t *m;

	m = hc_track(hil_mmb_alloc("hc_ref", PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	/* no reference to drop */
	HC_EQ(hil_mmb_put(m), -1);
	HC_EQ(m->phy_ref, 0);
	HC_EQ(hil_mmb_get(m), 1);
	HC_EQ(m->phy_ref, 1);
	HC_EQ(hil_mmb_get(m), 2);
	HC_EQ(hil_mmb_put(m), 1);
	HC_EQ(m->phy_ref, 1);
	HC_EQ(hil_mmb_free(m), 0);
	HC_TRUE(m->flags & HIL_MMB_RELEASED);
	HC_PTR_EQ(hil_mmb_getby_phys(phys), m);
	/* a second free changes nothing */
	HC_EQ(hil_mmb_free(m), 0);
	HC_EQ(m->phy_ref, 1);
	HC_PTR_EQ(hil_mmb_getby_phys(phys), m);
	if (HC_EQ(hil_mmb_put(m), 0))
		hc_gone(m, phys);
}

static void hc_mapped_free(void)
{
	unsigned long phys, len;
	hil_mmb_t *m;
	void *k;

	m = hc_track(hil_mmb_alloc("hc_kfree", 2 * PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	len = hil_mmb_length(m);
	k = hil_mmb_map2kern_cached(m);
	if (HC_NONNULL(k)) {
		hc_fill(k, len, 3, 0);
		HC_EQ(hil_mmb_freeby_kvirt(k), 0);
		HC_TRUE(m->flags & HIL_MMB_RELEASED);
		HC_PTR_EQ(hil_mmb_getby_phys(phys), m);
		/* the mapping stays usable until its last unmap */
		HC_PATTERN(k, len, 3, 0);
		if (HC_EQ(hil_mmb_unmap(m), 0))
			hc_gone(m, phys);
	} else {
		hc_free(m);
	}

	/* a reference and a mapping: the later of the two frees it */
	m = hc_track(hil_mmb_alloc("hc_both", PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	HC_EQ(hil_mmb_get(m), 1);
	k = hil_mmb_map2kern(m);
	HC_NONNULL(k);
	HC_EQ(hil_mmb_free(m), 0);
	HC_TRUE(m->flags & HIL_MMB_RELEASED);
	if (k) {
		HC_EQ(hil_mmb_unmap(m), 0);
		HC_PTR_EQ(hil_mmb_getby_phys(phys), m);
	}
	if (HC_EQ(hil_mmb_put(m), 0))
		hc_gone(m, phys);
}

/* ---- 12, 13: mappings by physical address ---- */

static void hc_mmf(void)
{
	unsigned long phys, len;
	hil_mmb_t *m;
	char *k, *v;

	m = hc_track(hil_mmb_alloc("hc_mmf", 4 * PAGE_SIZE, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	len = hil_mmb_length(m);

	/*
	 * Uncached first, then cached: never two memory types at once (x86
	 * refuses a second type for the same memory).
	 */
	k = hil_mmb_map2kern(m);
	if (HC_NONNULL(k)) {
		hc_fill(k, len, 4, 0);
		v = hil_mmf_map2kern_nocache(phys + PAGE_SIZE, 2 * PAGE_SIZE);
		if (HC_NONNULL(v)) {
			HC_PATTERN(v, 2 * PAGE_SIZE, 4, PAGE_SIZE);
			hc_fill(v, 2 * PAGE_SIZE, 5, PAGE_SIZE);
			HC_PATTERN(k + PAGE_SIZE, 2 * PAGE_SIZE, 5, PAGE_SIZE);
			hil_mmf_unmap(v);
		}
		HC_PATTERN(k, PAGE_SIZE, 4, 0);
		HC_EQ(hil_mmb_unmap(m), 0);
	}

	k = hil_mmb_map2kern_cached(m);
	if (HC_NONNULL(k)) {
		HC_EQ(hil_mmb_invalid_cache_byaddr(k, phys, len), 0);
		HC_PATTERN(k + PAGE_SIZE, 2 * PAGE_SIZE, 5, PAGE_SIZE);
		HC_PATTERN(k + 3 * PAGE_SIZE, PAGE_SIZE, 4, 3 * PAGE_SIZE);
		hc_fill(k, len, 6, 0);
		HC_EQ(hil_mmb_flush_dcache_byaddr(k, phys, len), 0);
		v = hil_mmf_map2kern_cache(phys + PAGE_SIZE, 2 * PAGE_SIZE);
		if (HC_NONNULL(v)) {
			HC_PATTERN(v, 2 * PAGE_SIZE, 6, PAGE_SIZE);
			hil_mmf_unmap(v);
		}
		/* any part: not page aligned, across a page boundary */
		v = hil_mmf_map2kern_cache(phys + 2 * PAGE_SIZE - 100, 200);
		if (HC_NONNULL(v)) {
			HC_PATTERN(v, 200, 6, 2 * PAGE_SIZE - 100);
			hil_mmf_unmap(v);
		}
		HC_EQ(hil_mmb_unmap(m), 0);
	}
	HC_NULL(hil_mmb_kvirt(m));
	hc_free(m);
}

static void hc_mmf_refusals(void)
{
	unsigned long ram, phys;
	void *v;

	/* kernel memory: in no zone, in no map_mmz= range */
	ram = __get_free_page(GFP_KERNEL);
	if (!HC_TRUE(ram))
		return;
	phys = virt_to_phys((void *)ram);
	v = hil_mmf_map2kern_nocache(phys, PAGE_SIZE);
	if (!HC_NULL(v))
		hil_mmf_unmap(v);
	v = hil_mmf_map2kern_cache(phys, PAGE_SIZE);
	if (!HC_NULL(v))
		hil_mmf_unmap(v);
	HC_TRUE(hil_is_phys_in_mmz(phys, PAGE_SIZE) != 0);
	HC_TRUE(hil_map_mmz_check_phys(phys, PAGE_SIZE) != 0);
	free_page(ram);
}

/* ---- 14, 15: zones of a driver's own ---- */

static void hc_zone_life(void)
{
	hil_mmb_t *m[3];
	unsigned long phys, size;
	hil_mmz_t *z;
	int i;

	if (!hc_newzone(&phys, &size))
		return;
	/* the range is free, but a zone's name is taken: refused */
	z = hil_mmz_create(zone, 0, phys, size);
	if (HC_NONNULL(z)) {
		if (!HC_EQ(hil_mmz_register(z), -1))
			hil_mmz_unregister(z);
		HC_EQ(hil_mmz_destroy(z), 0);
	}

	z = hil_mmz_create_v2("hc_zone", 0, phys, size, DEFAULT_ALLOC, 0);
	if (!HC_NONNULL(z))
		return;
	hc_own = z;
	HC_STR_EQ(z->name, "hc_zone");
	HC_EQX(z->phys_start, phys);
	HC_EQX(z->nbytes, size);
	HC_EQ(z->alloc_type, DEFAULT_ALLOC);
	/* not a zone before it is registered */
	HC_NULL(hil_mmz_find(0, "hc_zone"));
	HC_NULL(hc_track(hil_mmb_alloc_in("hc_z_early", PAGE_SIZE, 0, z)));
	if (!HC_EQ(hil_mmz_register(z), 0))
		goto destroy;
	hc_own_registered = true;
	HC_EQ(hil_mmz_register(z), -1);
	HC_EQ(hil_mmz_destroy(z), -1);
	HC_PTR_EQ(hil_mmz_find(0, "hc_zone"), z);
	HC_EQX(hil_mmz_get_phys("hc_zone"), phys);
	HC_EQ(hil_is_phys_in_mmz(phys, size), 0);

	m[0] = hc_track(hil_mmb_alloc_in("hc_z_in", PAGE_SIZE, 0, z));
	m[1] = hc_track(hil_mmb_alloc_in_v2("hc_z_v2", PAGE_SIZE, 0, z,
					    HIGH_TO_LOW));
	m[2] = hc_track(hil_mmb_alloc("hc_z_name", PAGE_SIZE, 0, 0,
				      "hc_zone"));
	for (i = 0; i < 3; i++) {
		if (!HC_NONNULL(m[i]))
			continue;
		HC_INSIDE(z, m[i]);
		HC_PTR_EQ(hil_mmb_zone(m[i]), z);
	}
	if (m[1])
		HC_EQ(m[1]->order, HIGH_TO_LOW);
	if (m[0] && m[1])
		HC_TRUE(hil_mmb_phys(m[1]) > hil_mmb_phys(m[0]));

	/* a zone with blocks stays */
	if (m[0] || m[1] || m[2]) {
		HC_EQ(hil_mmz_unregister(z), -1);
		HC_PTR_EQ(hil_mmz_find(0, "hc_zone"), z);
	}
	for (i = 0; i < 3; i++)
		hc_free(m[i]);
	if (!HC_EQ(hil_mmz_unregister(z), 0))
		return;
	hc_own_registered = false;
	HC_NULL(hil_mmz_find(0, "hc_zone"));
	HC_TRUE(hil_is_phys_in_mmz(phys, size) != 0);
destroy:
	if (HC_EQ(hil_mmz_destroy(z), 0))
		hc_own = NULL;
}

static void hc_zone_refusals(void)
{
	if (hc_zone1)
		hc_overlap("hc_overlap");
	/* the load's zones belong to mmz.ko's parameters */
	if (hc_zone1) {
		HC_EQ(hil_mmz_unregister(hc_zone1), -1);
		HC_EQ(hil_mmz_destroy(hc_zone1), -1);
		HC_PTR_EQ(hil_mmz_find(0, zone), hc_zone1);
	}
	HC_NULL(hil_mmz_create(NULL, 0, 0, SZ_1M));
	HC_EQ(hil_mmz_register(NULL), -1);
	HC_EQ(hil_mmz_unregister(NULL), -1);
	HC_EQ(hil_mmz_destroy(NULL), -1);
}

/* ---- 16, 17: a block shared with user space ---- */

#define HC_USER_LEN	(16 * PAGE_SIZE)

static void hc_user_block(void)
{
	unsigned long i, phys, len;
	hil_mmb_t *m;
	u8 *k;

	m = hc_track(hil_mmb_alloc("hc_user", HC_USER_LEN, 0, 0, zone));
	if (!HC_NONNULL(m))
		return;
	phys = hil_mmb_phys(m);
	len = hil_mmb_length(m);
	HC_EQX(len, HC_USER_LEN);
	k = hil_mmb_map2kern_cached(m);
	if (!HC_NONNULL(k)) {
		hc_free(m);
		return;
	}
	for (i = 0; i < len; i++)
		k[i] = hc_user_pat(i);
	HC_EQ(hil_mmb_flush_dcache_byaddr(k, phys, len), 0);
	hc_user = m;
	hc_user_k = k;
	user_phys = phys;
	user_len = len;
	pr_info("# %d: " HIL_MMB_FMT_S "\n", hc_cur, hil_mmb_fmt_arg(m));
}

static bool hc_user_bytes(int line, unsigned long from, unsigned long to,
			  u8 (*pat)(unsigned long i), const char *who)
{
	unsigned long i;

	for (i = from; i < to; i++) {
		if (hc_user_k[i] != pat(i)) {
			hc_fail(line, "hc_user byte %lu is 0x%02x, %s wrote 0x%02x",
				i, hc_user_k[i], who, pat(i));
			return false;
		}
	}
	return true;
}

/* In the context of hil_user, which maps all of hc_user at @va. */
static void hc_verify(unsigned long va)
{
	unsigned long half = user_len / 2;

	if (!hc_user) {
		hc_fail(__LINE__, "no block hc_user (check 16 failed)");
		return;
	}
	/*
	 * As the vendor's: the physical address of a 4-byte aligned user
	 * address, bit 0 set for a cached mapping (hil_user's plain mmap of
	 * a block it did not allocate is cached), 0 for others.
	 */
	HC_EQX(usr_virt_to_phys(va), user_phys | 1);
	HC_EQX(usr_virt_to_phys(va + half + 124), (user_phys + half + 124) | 1);
	HC_EQX(usr_virt_to_phys(va + 2), 0);
	/* one writable VMA of the caller, not one page more */
	HC_EQ(hil_vma_check(va, va + user_len), 0);
	HC_EQ(hil_vma_check(va, va + user_len + PAGE_SIZE), -1);
	/* hil_user's own lines, by its address, then the kernel's */
	HC_EQ(hil_mmb_flush_dcache_byaddr_safe((void *)va, user_phys, user_len),
	      0);
	HC_EQ(hil_mmb_invalid_cache_byaddr(hc_user_k, user_phys, user_len),
	      0);
	hc_user_bytes(__LINE__, 0, half, hc_user_pat, "the kernel");
	hc_user_bytes(__LINE__, half, user_len, hc_user_pat2, "hil_user");
	HC_EQX(HC_FLAGS(hc_user), HIL_MMB_MAP2KERN | HIL_MMB_MAP2KERN_CACHED);
	HC_EQ(hc_user->map_ref, 1);
	HC_PTR_EQ(hil_mmb_kvirt(hc_user), hc_user_k);
}

/* "verify": written once, with the user mapping's address, by hil_user */
static int hc_verify_set(const char *val, const struct kernel_param *kp)
{
	unsigned long va;
	int ret = kstrtoul(val, 0, &va);

	if (ret)
		return ret;
	mutex_lock(&hc_lock);
	if (!hc_loaded || hc_verified) {
		ret = -EBUSY;
	} else {
		hc_begin(HC_VERIFY);
		hc_verify(va);
		hc_end();
		hc_verified = true;
	}
	mutex_unlock(&hc_lock);
	return ret;
}

static const struct kernel_param_ops hc_verify_ops = {
	.set = hc_verify_set,
};
module_param_cb(verify, &hc_verify_ops, NULL, 0200);
MODULE_PARM_DESC(verify, "user mapping of hc_user: runs check 17");

/* ---- 18: unload ---- */

static void hc_unload(void)
{
	if (hc_user) {
		HC_EQ(hil_mmb_unmap(hc_user), 0);
		/* still there (busy): freed below like a failed check's */
		if (HC_EQ(hil_mmb_free(hc_user), 0) &&
		    !hil_mmb_getby_phys(user_phys))
			hc_forget(hc_user);
		hc_user = NULL;
		hc_user_k = NULL;
		user_phys = 0;
	}
	hc_release_all();
	HC_NULL(hil_mmz_find(0, "hc_zone"));
}

/* ---- module ---- */

static void (* const hc_checks[HC_AT_LOAD + 1])(void) = {
	[1] = hc_zones,
	[2] = hc_alloc,
	[3] = hc_alloc_refusals,
	[4] = hc_alloc_zone2,
	[5] = hc_alloc_order,
	[6] = hc_alloc_align,
	[7] = hc_map_uncached,
	[8] = hc_map_cached,
	[9] = hc_lookups,
	[10] = hc_refs,
	[11] = hc_mapped_free,
	[12] = hc_mmf,
	[13] = hc_mmf_refusals,
	[14] = hc_zone_life,
	[15] = hc_zone_refusals,
	[16] = hc_user_block,
};

static int __init hc_init(void)
{
	pr_info("1..%d\n", HC_CHECKS);
	mutex_lock(&hc_lock);
	hc_run(hc_checks, 1, HC_AT_LOAD);
	hc_loaded = true;
	mutex_unlock(&hc_lock);
	return 0;
}

static void __exit hc_exit(void)
{
	mutex_lock(&hc_lock);
	if (!hc_verified) {
		hc_begin(HC_VERIFY);
		hc_fail(__LINE__, "parameter verify never written (hil_user did not run)");
		hc_end();
		hc_verified = true;
	}
	hc_begin(HC_UNLOAD);
	hc_unload();
	hc_end();
	pr_info("%d passed, %d failed\n", hc_passed, hc_failed);
	mutex_unlock(&hc_lock);
}

module_init(hc_init);
module_exit(hc_exit);

MODULE_DESCRIPTION("mmz test: a vendor-style client of the hil_* kernel API");
MODULE_LICENSE("GPL");
