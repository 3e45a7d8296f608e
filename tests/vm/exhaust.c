/* SPDX-License-Identifier: MIT */
/*
 * Fill zone "second" (MMZ_TEST_FILL_ZONE names another) with 1 MiB blocks
 * until ENOMEM: exactly size / 1 MiB fit, all distinct and inside the zone;
 * the full zone refuses even a page; after freeing everything the zone is
 * empty again (/proc/media-mem and MMZ_IOC_ZONE_INFO).
 */
#include "mmztest.h"

#define BSZ	(1UL << 20)
#define MAXBLK	1024

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void check_zone_info(int fd, const struct tzone *z, unsigned long used,
			    unsigned int blocks)
{
	struct mmz_zone_info zi;

	if (!T_OK(t_zone_info(fd, z->name, &zi)))
		return;
	T_EQ(zi.phys, z->phys);
	T_EQ(zi.size, z->size);
	T_EQ(zi.used, used);
	T_EQ(zi.blocks, blocks);
	if (t_cma_mode()) {
		/* free space not yet taken from CMA counts as one extent */
		T_TRUE(zi.largest_free <= z->size - used, "largest_free 0x%llx "
		       "above the free 0x%lx", (unsigned long long)
		       zi.largest_free, z->size - used);
		if (used == z->size)
			T_EQ(zi.largest_free, 0);
		else
			T_TRUE(zi.largest_free >= (z->size - used) / 2,
			       "largest_free 0x%llx", (unsigned long long)
			       zi.largest_free);
		return;
	}
	T_EQ(zi.largest_free, z->size - used);
	T_EQ(zi.free_extents, used == z->size ? 0 : 1);
}

int main(void)
{
	/* a board layout (tests/vm/seed000) fills its one zone */
	const char *fill = getenv("MMZ_TEST_FILL_ZONE");
	const struct tzone *z = t_zone(fill ? fill : "second");
	static unsigned long phys[MAXBLK];
	unsigned long want = z->size / BSZ, extra;
	int fd = t_open(0), n = 0, r = 0, i;

	if (want > MAXBLK) {
		fprintf(stderr, "skip: zone %s too big for this test\n",
			z->name);
		return T_EXIT_SKIP;
	}
	check_zone_info(fd, z, 0, 0);
	while (n < MAXBLK) {
		r = t_alloc(fd, z->name, "fill", BSZ, 0, &phys[n]);
		if (r)
			break;
		n++;
	}
	T_TRUE(r == -ENOMEM, "filling: expected ENOMEM after %lu blocks, got %s",
	       want, t_errname(r));
	T_EQ(n, want);
	T_ERR(t_alloc(fd, z->name, "page", T_PAGE, 0, &extra), ENOMEM);

	qsort(phys, n, sizeof(phys[0]), cmp_ul);
	for (i = 0; i < n; i++) {
		T_TRUE(phys[i] >= z->phys && phys[i] + BSZ <= t_zone_end(z),
		       "block 0x%lx outside zone %s", phys[i], z->name);
		if (i)
			T_TRUE(phys[i] >= phys[i - 1] + BSZ,
			       "blocks 0x%lx and 0x%lx overlap", phys[i - 1],
			       phys[i]);
	}
	T_EQ(t_proc_mmb_count(), n);
	if (n == (int)want)
		check_zone_info(fd, z, z->size, n);

	/* free every other block first, then the rest: merging both ways */
	for (i = 0; i < n; i += 2)
		T_OK(t_free(fd, phys[i]));
	for (i = 1; i < n; i += 2)
		T_OK(t_free(fd, phys[i]));

	T_EQ(t_proc_mmb_count(), 0);
	check_zone_info(fd, z, 0, 0);

	/* and the whole zone fits in one block again */
	if (T_OK(t_alloc(fd, z->name, "whole", z->size, 0, &extra))) {
		T_EQ(extra, z->phys);
		T_OK(t_free(fd, extra));
	}
	close(fd);
	return t_result();
}
