/* SPDX-License-Identifier: MIT */
/*
 * Which CMA area serves a zone (mmz_allocator=cma): fills zone <zone> with
 * <fill> bytes of 8 MiB blocks and checks that every block lies in the
 * expected area [<lo>, <lo> + <size>), is zeroed, reads back what was
 * written through an uncached and a cached mapping, and that the kernel's
 * CMA accounting (debugfs cma/<area>/used) grew and covers the blocks in
 * <area> while <other> did not change. The blocks are freed at the end.
 *
 *   dtregion <zone> <lo> <size> <fill> <area> <other>
 *
 *   DT region (memory-region)      default area (cma=)
 *   |blk|blk|blk|...|blk|  |      |........................|
 *    ^ lo            lo+size ^     <other>: used unchanged
 */
#include "mmztest.h"

#define BLK		(8UL << 20)
#define MAX_BLKS	64

/* Pages in use in CMA area @area, or -1. */
static long cma_used(const char *area)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/cma/%s/used", area);
	f = fopen(path, "r");
	if (!f) {
		t_fail("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fscanf(f, "%ld", &v) != 1)
		t_fail("%s: no number", path);
	fclose(f);
	return v;
}

static int in_area(unsigned long lo, unsigned long size, unsigned long phys,
		   unsigned long len)
{
	return phys >= lo && phys - lo < size && len <= size - (phys - lo);
}

/* Every MMB line of /proc/media-mem for @zone lies in the area. */
static int proc_blocks_in_area(const char *zone, unsigned long lo,
			       unsigned long size)
{
	char line[512], want[64];
	int in_zone = 0, n = 0;
	FILE *f = fopen(MEDIA_MEM, "r");

	if (!f) {
		t_fail("%s: %s", MEDIA_MEM, strerror(errno));
		return -1;
	}
	snprintf(want, sizeof(want), "NAME=\"%s\"", zone);
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (strstr(line, "+---ZONE:"))
			in_zone = !!strstr(line, want);
		else if (in_zone && sscanf(line, "   |-MMB: phys(0x%lx, 0x%lx)",
					   &a, &b) == 2) {
			T_TRUE(in_area(lo, size, a, b - a + 1),
			       "%s: block 0x%lx-0x%lx outside 0x%lx+0x%lx",
			       MEDIA_MEM, a, b, lo, size);
			n++;
		}
	}
	fclose(f);
	return n;
}

static int all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long lo, size, fill, phys[MAX_BLKS];
	long used0, other0, used1, other1;
	const char *zone, *area, *other;
	int fd, n = 0, i, listed;

	if (argc != 7) {
		fprintf(stderr, "usage: %s <zone> <lo> <size> <fill> <area> <other>\n",
			argv[0]);
		return T_EXIT_FAIL;
	}
	zone = argv[1];
	lo = t_parse_num(argv[2]);
	size = t_parse_num(argv[3]);
	fill = t_parse_num(argv[4]);
	area = argv[5];
	other = argv[6];
	fd = t_open(0);

	used0 = cma_used(area);
	other0 = cma_used(other);
	while ((unsigned long)n * BLK < fill && n < MAX_BLKS) {
		struct mmb_info mi;
		void *va;

		if (!T_OK(t_alloc(fd, zone, "dtregion", BLK, 0, &phys[n])))
			break;
		if (T_OK(t_attr(fd, phys[n], &mi)))
			T_TRUE(in_area(lo, size, mi.phys_addr, mi.size),
			       "ATTR: block 0x%lx+0x%lx outside 0x%lx+0x%lx",
			       (unsigned long)mi.phys_addr,
			       (unsigned long)mi.size, lo, size);
		/* uncached: what the device would see */
		if (T_OK(t_remap(fd, phys[n], 0, &va))) {
			T_TRUE(all_zero(va, BLK), "block 0x%lx not zeroed",
			       phys[n]);
			t_fill(va, BLK, n + 1);
			T_EQ(t_verify(va, BLK, n + 1), -1);
			T_OK(t_unmap(fd, phys[n]));
		}
		n++;
	}
	T_TRUE((unsigned long)n * BLK >= fill,
	       "allocated %d blocks of 8 MiB, wanted %lu MiB", n, fill >> 20);

	listed = proc_blocks_in_area(zone, lo, size);
	T_TRUE(listed == n, "%s lists %d blocks of zone %s, allocated %d",
	       MEDIA_MEM, listed, zone, n);
	used1 = cma_used(area);
	other1 = cma_used(other);
	/* absolute: the zone's spare chunk was taken at load already */
	T_TRUE(used1 >= (long)(n * (BLK / T_PAGE)) && used1 > used0,
	       "cma/%s/used %ld -> %ld pages, the blocks alone need %lu",
	       area, used0, used1, n * (BLK / T_PAGE));
	T_TRUE(other1 == other0, "cma/%s/used changed: %ld -> %ld", other,
	       other0, other1);

	/* a cached mapping reads back what the uncached one wrote */
	for (i = 0; i < n; i++) {
		void *va;

		if (T_OK(t_remap(fd, phys[i], 1, &va))) {
			T_EQ(t_verify(va, BLK, i + 1), -1);
			T_OK(t_unmap(fd, phys[i]));
		}
		T_OK(t_free(fd, phys[i]));
	}
	printf("%d blocks of 8 MiB in zone %s at 0x%lx..0x%lx, cma/%s/used +%ld pages\n",
	       n, zone, lo, lo + size - 1, area, used1 - used0);
	close(fd);
	return t_result();
}
