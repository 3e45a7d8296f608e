/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness that tests/kmod's clients share (hil_client.c, generation 2;
 * ot/ot_client.c, generation 3): their parameters, the log protocol read
 * by tests/kmod/kmod.sh, assertions, patterns, and the tracking of every
 * block a check allocates, so that unload frees what a failed check left.
 *
 * Included once, by the module's only source file, after osal_mmz.h and
 * after it defines
 *	HC_API(x)	the API's name of x: hil_##x or ot_##x
 *	HC_FLAG(x)	the API's name of macro x: HIL_##x or OT_##x
 *	hc_text[]	each check's text, by number
 */
#ifndef TESTS_KMOD_CLIENT_H
#define TESTS_KMOD_CLIENT_H

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>

typedef HC_API(mmb_t) hc_mmb_t;
typedef HC_API(mmz_t) hc_mmz_t;

static char *zone = "anonymous";
module_param(zone, charp, 0444);
MODULE_PARM_DESC(zone, "a zone of mmz.ko's mmz= (default anonymous)");

static char *zone2 = "second";
module_param(zone2, charp, 0444);
MODULE_PARM_DESC(zone2, "another zone, empty (default second; \"\": skip)");

static char *newzone;
module_param(newzone, charp, 0444);
MODULE_PARM_DESC(newzone, "<phys>,<size>: free memory for a zone of our own");

/* ---- reporting ---- */

static int hc_cur;		/* the check running */
static int hc_errs;		/* its failed assertions */
static const char *hc_skip;	/* set by a check that cannot run */
static int hc_passed, hc_failed;

/* A failed assertion: a diagnostic line tagged with the check. */
static __printf(2, 3) void hc_fail(int line, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("# %d: line %d: %pV\n", hc_cur, line, &vaf);
	va_end(args);
	hc_errs++;
}

static void hc_begin(int n)
{
	hc_cur = n;
	hc_errs = 0;
	hc_skip = NULL;
}

static void hc_end(void)
{
	if (hc_skip && !hc_errs) {
		pr_info("ok %d - %s # SKIP %s\n", hc_cur, hc_text[hc_cur],
			hc_skip);
		hc_passed++;
	} else if (hc_errs) {
		pr_info("not ok %d - %s\n", hc_cur, hc_text[hc_cur]);
		hc_failed++;
	} else {
		pr_info("ok %d - %s\n", hc_cur, hc_text[hc_cur]);
		hc_passed++;
	}
}

/* Checks @from..@to of @checks, each reported. */
static void hc_run(void (* const *checks)(void), int from, int to)
{
	int n;

	for (n = from; n <= to; n++) {
		hc_begin(n);
		checks[n]();
		hc_end();
	}
}

/* The assertions evaluate each argument once and yield whether they held. */
#define HC_TRUE(cond) ({						\
	bool c_ = (cond);						\
	if (!c_)							\
		hc_fail(__LINE__, "%s: false", #cond);			\
	c_;								\
})

#define HC_EQ(a, b) ({							\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_)							\
		hc_fail(__LINE__, "%s == %s: expected %lld, got %lld",	\
			#a, #b, b_, a_);				\
	a_ == b_;							\
})

#define HC_EQX(a, b) ({							\
	unsigned long a_ = (a), b_ = (b);				\
	if (a_ != b_)							\
		hc_fail(__LINE__, "%s == %s: expected 0x%lx, got 0x%lx",\
			#a, #b, b_, a_);				\
	a_ == b_;							\
})

#define HC_PTR_EQ(a, b) ({						\
	const void *a_ = (a), *b_ = (b);				\
	if (a_ != b_)							\
		hc_fail(__LINE__, "%s == %s: expected %p, got %p",	\
			#a, #b, b_, a_);				\
	a_ == b_;							\
})

#define HC_NULL(p) ({							\
	const void *p_ = (p);						\
	if (p_)								\
		hc_fail(__LINE__, "%s: expected NULL", #p);		\
	!p_;								\
})

#define HC_NONNULL(p) ({						\
	const void *p_ = (p);						\
	if (!p_)							\
		hc_fail(__LINE__, "%s: NULL", #p);			\
	!!p_;								\
})

#define HC_STR_EQ(s, want) ({						\
	const char *s_ = (s), *w_ = (want);				\
	bool e_ = !strcmp(s_, w_);					\
	if (!e_)							\
		hc_fail(__LINE__, "%s: expected \"%s\", got \"%s\"",	\
			#s, w_, s_);					\
	e_;								\
})

/* ---- patterns ---- */

/* Byte @i of a block filled with pattern @seed; pages differ. */
static u8 hc_pat(unsigned int seed, unsigned long i)
{
	return (u8)(i * 13 + (i >> 12) + seed * 37 + 1);
}

/* @len bytes from block offset @off on */
static void hc_fill(void *p, unsigned long len, unsigned int seed,
		    unsigned long off)
{
	u8 *b = p;
	unsigned long i;

	for (i = 0; i < len; i++)
		b[i] = hc_pat(seed, off + i);
}

static bool hc_pattern(int line, const char *what, const void *p,
		       unsigned long len, unsigned int seed, unsigned long off)
{
	const u8 *b = p;
	unsigned long i;

	for (i = 0; i < len; i++) {
		if (b[i] != hc_pat(seed, off + i)) {
			hc_fail(line, "%s: byte %lu is 0x%02x, pattern %u has 0x%02x",
				what, i, b[i], seed, hc_pat(seed, off + i));
			return false;
		}
	}
	return true;
}

#define HC_PATTERN(p, len, seed, off) \
	hc_pattern(__LINE__, #p, p, len, seed, off)

static bool hc_zero(int line, const char *what, const void *p,
		    unsigned long len)
{
	const u8 *b = p;
	unsigned long i;

	for (i = 0; i < len; i++) {
		if (b[i]) {
			hc_fail(line, "%s: byte %lu is 0x%02x, not zero", what,
				i, b[i]);
			return false;
		}
	}
	return true;
}

#define HC_ZERO(p, len) hc_zero(__LINE__, #p, p, len)

/* ---- the checks' blocks and zone, freed at unload at the latest ---- */

#define HC_MAX_BLOCKS	32
/* every block's start, for unload's check that none is left */
#define HC_MAX_SEEN	128

static struct {
	hc_mmb_t *mmb;
	unsigned long phys;
} hc_blocks[HC_MAX_BLOCKS];

static unsigned long hc_seen[HC_MAX_SEEN];
static int hc_nseen;

static hc_mmz_t *hc_own;		/* a zone of our own until destroyed */
static bool hc_own_registered;

static hc_mmb_t *hc_track(hc_mmb_t *mmb)
{
	int i;

	if (!mmb)
		return NULL;
	if (hc_nseen < HC_MAX_SEEN)
		hc_seen[hc_nseen++] = HC_API(mmb_phys)(mmb);
	else
		hc_fail(__LINE__, "more than %d blocks in all", HC_MAX_SEEN);
	for (i = 0; i < HC_MAX_BLOCKS; i++) {
		if (!hc_blocks[i].mmb) {
			hc_blocks[i].mmb = mmb;
			hc_blocks[i].phys = HC_API(mmb_phys)(mmb);
			return mmb;
		}
	}
	hc_fail(__LINE__, "more than %d blocks at once", HC_MAX_BLOCKS);
	return mmb;
}

static void hc_forget(hc_mmb_t *mmb)
{
	int i;

	for (i = 0; i < HC_MAX_BLOCKS; i++)
		if (hc_blocks[i].mmb == mmb)
			hc_blocks[i].mmb = NULL;
}

/* @mmb, which started at @phys, must be gone: no block starts there. */
static bool hc_gone(hc_mmb_t *mmb, unsigned long phys)
{
	if (!HC_NULL(HC_API(mmb_getby_phys)(phys)))
		return false;
	hc_forget(mmb);
	return true;
}

/* Frees an idle block, which is gone at once. */
static void hc_free(hc_mmb_t *mmb)
{
	unsigned long phys;

	if (!mmb)
		return;
	phys = HC_API(mmb_phys)(mmb);
	if (HC_EQ(HC_API(mmb_free)(mmb), 0))
		hc_gone(mmb, phys);
}

/* Frees a block a failed check left, whatever holds it. */
static void hc_release(hc_mmb_t *mmb)
{
	int maps = mmb->map_ref, refs = mmb->phy_ref;

	/* a busy block is only marked; its last unmap or put frees it */
	if (!(mmb->flags & HC_FLAG(MMB_RELEASED)) && HC_API(mmb_free)(mmb))
		return;
	while (maps-- > 0)
		HC_API(mmb_unmap)(mmb);
	while (refs-- > 0)
		HC_API(mmb_put)(mmb);
}

/*
 * At unload: frees the blocks failed checks left and the zone of our own,
 * then no block may start where any of ours did.
 */
static void hc_release_all(void)
{
	int i;

	for (i = 0; i < HC_MAX_BLOCKS; i++) {
		hc_mmb_t *m = hc_blocks[i].mmb;

		if (!m)
			continue;
		pr_info("# %d: block %s of a failed check freed now\n",
			hc_cur, HC_API(mmb_name)(m));
		hc_release(m);
		hc_blocks[i].mmb = NULL;
	}
	for (i = 0; i < hc_nseen; i++)
		if (HC_API(mmb_getby_phys)(hc_seen[i]))
			hc_fail(__LINE__, "a block still starts at 0x%lx",
				hc_seen[i]);
	if (hc_own) {
		if (hc_own_registered)
			HC_EQ(HC_API(mmz_unregister)(hc_own), 0);
		HC_EQ(HC_API(mmz_destroy)(hc_own), 0);
		hc_own = NULL;
	}
}

static bool hc_inside(const hc_mmz_t *z, const hc_mmb_t *mmb)
{
	unsigned long phys = HC_API(mmb_phys)(mmb);
	unsigned long len = HC_API(mmb_length)(mmb);

	return z && phys >= z->phys_start && len <= z->nbytes &&
	       phys - z->phys_start <= z->nbytes - len;
}

static bool hc_inside_at(int line, const char *zname, const hc_mmz_t *z,
			 const hc_mmb_t *mmb)
{
	if (hc_inside(z, mmb))
		return true;
	hc_fail(line, "block %s at 0x%lx+0x%lx not inside zone %s",
		HC_API(mmb_name)(mmb), HC_API(mmb_phys)(mmb),
		HC_API(mmb_length)(mmb), zname);
	return false;
}

#define HC_INSIDE(z, mmb) hc_inside_at(__LINE__, #z, z, mmb)

/* The vendor's flag bits of a block (mmz may keep more there). */
#define HC_FLAGS(mmb) ((mmb)->flags & (HC_FLAG(MMB_MAP2KERN) |		\
				       HC_FLAG(MMB_MAP2KERN_CACHED) |	\
				       HC_FLAG(MMB_RELEASED)))

static bool hc_have_zone2(void)
{
	return zone2 && *zone2;
}

/* ---- the load's zones ---- */

static hc_mmz_t *hc_zone1, *hc_zone2;	/* zone=, zone2= */

static hc_mmz_t *hc_find_zone(const char *name)
{
	hc_mmz_t *z = HC_API(mmz_find)(0, name);

	if (!z) {
		hc_fail(__LINE__, "mmz_find(0, \"%s\"): NULL", name);
		return NULL;
	}
	pr_info("# %d: " HC_FLAG(MMZ_FMT_S) "\n", hc_cur,
		HC_API(mmz_fmt_arg)(z));
	HC_STR_EQ(z->name, name);
	HC_EQX(z->phys_start, HC_API(mmz_get_phys)(name));
	HC_EQX(z->gfp, 0);
	HC_TRUE(z->nbytes && PAGE_ALIGNED(z->nbytes));
	HC_TRUE(PAGE_ALIGNED(z->phys_start));
	HC_EQ(HC_API(is_phys_in_mmz)(z->phys_start, z->nbytes), 0);
	return z;
}

/* Finds hc_zone1 and hc_zone2 (when zone2= names one), no other. */
static void hc_zones(void)
{
	hc_zone1 = hc_find_zone(zone);
	if (hc_have_zone2())
		hc_zone2 = hc_find_zone(zone2);
	if (hc_zone1 && hc_zone2)
		HC_TRUE(hc_zone1 != hc_zone2);
	HC_NULL(HC_API(mmz_find)(0, "nonexistent"));
	HC_EQX(HC_API(mmz_get_phys)("nonexistent"), 0);
}

/* A zone over zone='s first MiB: it may be created, not registered. */
static void hc_overlap(const char *name)
{
	hc_mmz_t *z = HC_API(mmz_create)(name, 0, hc_zone1->phys_start, SZ_1M);

	if (!HC_NONNULL(z))
		return;
	if (!HC_EQ(HC_API(mmz_register)(z), -1))
		HC_API(mmz_unregister)(z);
	HC_NULL(HC_API(mmz_find)(0, name));
	HC_EQ(HC_API(mmz_destroy)(z), 0);
}

/* ---- kernel mappings ---- */

/*
 * Block @m, ours and unmapped, mapped to the kernel (@cached or not):
 * zeroed, written, flushed and invalidated, @extra's checks while mapped
 * once, mapped again (counted), unmapped to the end.
 */
static void hc_map_check(hc_mmb_t *m, bool cached,
			 void (*extra)(hc_mmb_t *m, void *k, bool cached))
{
	void *(*map)(hc_mmb_t *mmb) = cached ? HC_API(mmb_map2kern_cached) :
					       HC_API(mmb_map2kern);
	unsigned long want = HC_FLAG(MMB_MAP2KERN) |
			     (cached ? HC_FLAG(MMB_MAP2KERN_CACHED) : 0);
	unsigned long phys = HC_API(mmb_phys)(m), len = HC_API(mmb_length)(m);
	void *k = map(m);

	if (HC_NONNULL(k)) {
		HC_PTR_EQ(HC_API(mmb_kvirt)(m), k);
		HC_EQX(HC_FLAGS(m), want);
		HC_EQ(m->map_ref, 1);
		HC_ZERO(k, len);
		hc_fill(k, len, cached, 0);
		HC_EQ(HC_API(mmb_flush_dcache_byaddr)(k, phys, len), 0);
		HC_EQ(HC_API(mmb_invalid_cache_byaddr)(k, phys, len), 0);
		HC_PATTERN(k, len, cached, 0);
		extra(m, k, cached);
		if (HC_PTR_EQ(map(m), k)) {
			HC_EQ(m->map_ref, 2);
			HC_EQ(HC_API(mmb_unmap)(m), 1);
			HC_PTR_EQ(HC_API(mmb_kvirt)(m), k);
			HC_EQX(HC_FLAGS(m), want);
		}
		HC_EQ(HC_API(mmb_unmap)(m), 0);
	}
	HC_NULL(HC_API(mmb_kvirt)(m));
	HC_EQX(HC_FLAGS(m), 0);
	HC_EQ(m->map_ref, 0);
}

/*
 * newzone= as "<phys>,<size>", each with memparse()'s K/M/G; false, and
 * the check skipped, when it is unset.
 */
static bool hc_newzone(unsigned long *phys, unsigned long *size)
{
	const char *s = newzone;
	char *end;

	if (!s || !*s) {
		hc_skip = "no newzone= (no free range in this layout)";
		return false;
	}
	*phys = memparse(s, &end);
	if (end != s && *end == ',') {
		s = end + 1;
		*size = memparse(s, &end);
		if (end != s && (!*end || *end == '\n') && *size)
			return true;
	}
	hc_fail(__LINE__, "newzone=%s: not <phys>,<size>", newzone);
	return false;
}

#endif /* TESTS_KMOD_CLIENT_H */
