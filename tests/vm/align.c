/* SPDX-License-Identifier: MIT */
/*
 * align as the vendor module takes it: any value, rounded up to a page
 * multiple (0 = a page), and the block's physical address is a multiple
 * of the rounded value -- 3 pages gives multiples of 12 KiB, not only
 * powers of two.
 *
 *  - ALLOC and ALLOC_V2 (both directions) with 3, 5 and 12 pages, 4097
 *    bytes, 3 bytes, 0, 3 MiB and 4 MiB: accepted, phys a multiple of the
 *    rounded align, ATTR reports it, all blocks inside their zone and
 *    apart from each other;
 *  - carve-out mode: in an empty zone the first (LOW_TO_HIGH) or last
 *    (HIGH_TO_LOW) multiple is taken, as the vendor's search does;
 *  - an align no address of the zone is a multiple of: ENOMEM.
 */
#include "mmztest.h"

static const unsigned long aligns[] = {
	3 * T_PAGE, 5 * T_PAGE, 12 * T_PAGE, T_PAGE + 1, 3, 0,
	3UL << 20, 4UL << 20, 7 * T_PAGE,
};
#define NALIGN	(sizeof(aligns) / sizeof(aligns[0]))
#define MAXB	(3 * NALIGN)

static unsigned long rounded(unsigned long a)
{
	return a <= T_PAGE ? T_PAGE : (a + T_PAGE - 1) / T_PAGE * T_PAGE;
}

struct live {
	unsigned long phys, size;
};

static struct live blocks[MAXB];
static int nblocks;

/* Allocates, checks alignment, zone and overlap, keeps the block. */
static void alloc_checked(int fd, const struct tzone *z, unsigned long size,
			  unsigned long align, int cmd)
{
	unsigned long phys, ra = rounded(align);
	const char *how = cmd == 0 ? "ALLOC" : cmd == 1 ?
		"ALLOC_V2 LOW_TO_HIGH" : "ALLOC_V2 HIGH_TO_LOW";
	struct mmb_info mi;
	int i, r;

	if (cmd == 0)
		r = t_alloc(fd, z->name, "align", size, align, &phys);
	else
		r = t_alloc_v2(fd, z->name, "align", size, align,
				 cmd == 1 ? MMZ_ALLOC_LOW_TO_HIGH :
				 MMZ_ALLOC_HIGH_TO_LOW, &phys);
	if (r) {
		t_fail("%s(size 0x%lx, align 0x%lx) in %s: %s", how, size,
		       align, z->name, t_errname(r));
		return;
	}
	T_TRUE(phys % ra == 0, "%s align 0x%lx: phys 0x%lx not a multiple "
	       "of 0x%lx", how, align, phys, ra);
	T_TRUE(phys >= z->phys && phys + size <= t_zone_end(z),
	       "%s align 0x%lx: block 0x%lx+0x%lx outside zone %s", how,
	       align, phys, size, z->name);
	if (T_OK(t_attr(fd, phys, &mi))) {
		T_EQ(mi.phys_addr, phys);
		T_EQ(mi.align, ra);
	}
	for (i = 0; i < nblocks; i++)
		T_TRUE(phys + size <= blocks[i].phys ||
		       blocks[i].phys + blocks[i].size <= phys,
		       "%s align 0x%lx: 0x%lx+0x%lx overlaps 0x%lx+0x%lx",
		       how, align, phys, size, blocks[i].phys,
		       blocks[i].size);
	if (nblocks < (int)MAXB) {
		blocks[nblocks].phys = phys;
		blocks[nblocks++].size = size;
	}
}

static void free_all(int fd)
{
	while (nblocks)
		T_OK(t_free(fd, blocks[--nblocks].phys));
}

/* Every align through every command, all blocks live at once. */
static void test_mixed(int fd, const struct tzone *z)
{
	unsigned int i;
	int cmd;

	for (cmd = 0; cmd < 3; cmd++)
		for (i = 0; i < NALIGN; i++)
			alloc_checked(fd, z, (1 + i % 3) * T_PAGE, aligns[i],
				      cmd);
	free_all(fd);
}

/* Carve-out: in an empty zone the first or the last multiple is taken. */
static void test_exact(int fd, const struct tzone *z)
{
	const unsigned long size = 2 * T_PAGE;
	unsigned long phys, ra, want;
	unsigned int i;

	for (i = 0; i < NALIGN; i++) {
		ra = rounded(aligns[i]);
		t_settle(fd);
		if (T_OK(t_alloc_v2(fd, z->name, "lo", size, aligns[i],
				      MMZ_ALLOC_LOW_TO_HIGH, &phys))) {
			want = (z->phys + ra - 1) / ra * ra;
			T_TRUE(phys == want, "LOW_TO_HIGH align 0x%lx in "
			       "empty %s: phys 0x%lx, expected 0x%lx",
			       aligns[i], z->name, phys, want);
			T_OK(t_free(fd, phys));
		}
		t_settle(fd);
		if (T_OK(t_alloc_v2(fd, z->name, "hi", size, aligns[i],
				      MMZ_ALLOC_HIGH_TO_LOW, &phys))) {
			want = (t_zone_end(z) - size) / ra * ra;
			T_TRUE(phys == want, "HIGH_TO_LOW align 0x%lx in "
			       "empty %s: phys 0x%lx, expected 0x%lx",
			       aligns[i], z->name, phys, want);
			T_OK(t_free(fd, phys));
		}
	}
}

/* No multiple of the align in the zone: ENOMEM, not EINVAL. */
static void test_unplaceable(int fd, const struct tzone *z)
{
	/* a multiple of 3 GiB - 4 KiB in a zone below 3 GiB: none */
	unsigned long odd = 0xbffff000UL;

	if (z->phys && t_zone_end(z) <= odd)
		T_ERR(t_alloc(fd, z->name, "none", T_PAGE, odd, NULL),
		      ENOMEM);
	/* its rounding passes the caller's word (or is 4 GiB for ILP32) */
	T_ERR(t_alloc(fd, z->name, "none", T_PAGE, ~0UL, NULL), ENOMEM);
}

int main(void)
{
	const struct tzone *anon = t_zone("anonymous");
	const struct tzone *second = t_zone("second");
	int fd = t_open(0);

	test_mixed(fd, anon);
	test_mixed(fd, second);
	if (!t_cma_mode())
		test_exact(fd, second);
	test_unplaceable(fd, anon);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
