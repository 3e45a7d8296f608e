/* SPDX-License-Identifier: MIT */
/*
 * The vendor's mmz= zone fields. run-tests loads the module with
 *   anonymous,0,<phys>,<size>,1,0:second,5,<phys>,<size>,2,0x5000
 * and runs this program (MMZ_TEST_ZONES says so):
 *  - alloc_type 1: an ALLOC_V2 size grows to a power of two; ALLOC's does
 *    not (the vendor sizes only ALLOC_V2 by the zone's type);
 *  - alloc_type 2: an ALLOC_V2 size grows to a multiple of block_align
 *    (20 KiB), which is no alignment;
 *  - a request's gfp selects only zones of that gfp: 5 finds "second",
 *    6 finds nothing (ENOENT), 0 any zone.
 */
#include "mmztest.h"

#define KiB(x)		((unsigned long)(x) << 10)

static int fd;

/* ALLOC (@v2 0) or ALLOC_V2 with @gfp; 0 or -errno. */
static int alloc_gfp(const char *zone, unsigned long size, int v2,
		     unsigned long gfp, unsigned long *phys)
{
	struct mmb_info mi;
	int ret;

	t_info(&mi, zone, "zoneparams", size, 0);
	mi.gfp = gfp;
	ret = t_ioctl(fd, v2 ? IOC_MMB_ALLOC_V2 : IOC_MMB_ALLOC, &mi);
	*phys = ret ? 0 : mi.phys_addr;
	return ret;
}

/* Allocates as asked, checks the block's size and zone, frees it. */
static void sized(const struct tzone *z, unsigned long size, int v2,
		  unsigned long want)
{
	struct mmb_info mi;
	unsigned long phys;

	if (!T_OK(alloc_gfp(z->name, size, v2, 0, &phys)))
		return;
	if (T_OK(t_attr(fd, phys, &mi)))
		T_TRUE(mi.size == want, "%s %#lx in %s: size %#lx, expected "
		       "%#lx", v2 ? "ALLOC_V2" : "ALLOC", size, z->name,
		       mi.size, want);
	T_TRUE(phys - z->phys < z->size, "block %#lx outside %s", phys,
	       z->name);
	T_OK(t_free(fd, phys));
}

static void test_pow2(const struct tzone *anon)
{
	sized(anon, KiB(20), 1, KiB(32));
	sized(anon, KiB(20) + 1, 1, KiB(32));
	sized(anon, KiB(16), 1, KiB(16));
	sized(anon, 1, 1, KiB(4));
	sized(anon, KiB(20), 0, KiB(20));	/* ALLOC: not sized */
}

static void test_block_multiple(const struct tzone *sec)
{
	unsigned long a, b;

	sized(sec, 1, 1, KiB(20));
	sized(sec, KiB(20) + 1, 1, KiB(40));
	sized(sec, KiB(40), 1, KiB(40));
	sized(sec, KiB(4), 0, KiB(4));		/* ALLOC: not sized */

	/* block_align is no alignment: the next block follows at once */
	t_settle(fd);
	if (!T_OK(alloc_gfp(sec->name, KiB(4), 1, 0, &a)))
		return;
	if (T_OK(alloc_gfp(sec->name, KiB(4), 1, 0, &b))) {
		if (!t_cma_mode())	/* CMA chunks place by their own rule */
			T_EQ(b, a + KiB(20));
		T_OK(t_free(fd, b));
	}
	T_OK(t_free(fd, a));
}

static void test_gfp(const struct tzone *sec)
{
	unsigned long phys;

	if (T_OK(alloc_gfp(sec->name, KiB(4), 0, 5, &phys))) {
		T_TRUE(phys - sec->phys < sec->size, "gfp 5: %#lx not in %s",
		       phys, sec->name);
		T_OK(t_free(fd, phys));
	}
	if (T_OK(alloc_gfp(sec->name, KiB(4), 1, 5, &phys)))
		T_OK(t_free(fd, phys));
	T_ERR(alloc_gfp(sec->name, KiB(4), 0, 6, &phys), ENOENT);
	T_ERR(alloc_gfp(sec->name, KiB(4), 1, 6, &phys), ENOENT);
	/* no name: "anonymous" (anony=1), whose gfp is 0 */
	T_ERR(alloc_gfp("", KiB(4), 0, 5, &phys), ENOENT);
	T_ERR(alloc_gfp("anonymous", KiB(4), 0, 5, &phys), ENOENT);
}

int main(void)
{
	const struct tzone *anon = t_zone("anonymous");
	const struct tzone *sec = t_zone("second");

	if (!anon || !sec || sec->gfp != 5) {
		t_fail("MMZ_TEST_ZONES lacks anonymous and second with gfp 5");
		return t_result();
	}
	fd = t_open(0);
	test_pow2(anon);
	test_block_multiple(sec);
	test_gfp(sec);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
