/* SPDX-License-Identifier: MIT */
/*
 * CMA mode under memory pressure: fill the page cache (a tmpfs file) until
 * the CMA area holds movable pages (CmaFree drops), then allocate 64 MiB:
 * CMA migrates the pages away and the allocation succeeds, zeroed and in
 * the zone. Prints "cma 64M under pressure: N ms" (run-tests turns it into
 * a TAP diagnostic line). Carve-out mode: skipped.
 */
#include "mmztest.h"

#include <sys/statvfs.h>
#include <time.h>

#define BIG	(64UL << 20)
#define STEP	(4UL << 20)
#define FILL_PATH "/tmp/mmz-pressure.bin"

/* A /proc/meminfo value in KiB, or -1. */
static long meminfo(const char *key)
{
	char *t = t_read_file("/proc/meminfo"), *p;
	size_t n = strlen(key);
	long v = -1;

	for (p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ':') {
			v = strtol(p + n + 1, NULL, 10);
			break;
		}
	free(t);
	return v;
}

/* Bytes still free in the tmpfs holding FILL_PATH. */
static unsigned long long tmp_room(void)
{
	struct statvfs sv;

	if (statvfs("/tmp", &sv))
		return 0;
	return (unsigned long long)sv.f_bavail * sv.f_frsize;
}

int main(void)
{
	const struct tzone *z = t_zone("anonymous");
	long cma_total, cma_free0, cma_free, mem_free;
	struct timespec t0, t1;
	unsigned long phys, filled = 0;
	unsigned char *va, *buf;
	int fd, ffd;
	double ms;

	if (!t_cma_mode()) {
		printf("skip: carve-out mode (the CMA pressure test needs mmz_allocator=cma)\n");
		return T_EXIT_SKIP;
	}
	cma_total = meminfo("CmaTotal");
	cma_free0 = meminfo("CmaFree");
	if (cma_total <= 0) {
		t_fail("no CmaTotal in /proc/meminfo");
		return t_result();
	}
	buf = malloc(STEP);
	ffd = open(FILL_PATH, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!buf || ffd < 0) {
		t_fail("fill file %s: %s", FILL_PATH, strerror(errno));
		return t_result();
	}
	memset(buf, 0xa5, STEP);
	/*
	 * The page allocator puts movable pages into CMA once free CMA
	 * exceeds half of all free memory. Stop when half of the area holds
	 * page cache, or when too little non-CMA memory is left to migrate
	 * 64 MiB into.
	 */
	for (;;) {
		cma_free = meminfo("CmaFree");
		mem_free = meminfo("MemFree");
		if (cma_free <= cma_total / 2 ||
		    mem_free - cma_free < (long)(BIG >> 10) + 48 * 1024 ||
		    tmp_room() < 32UL << 20)	/* run-tests logs to /tmp */
			break;
		if (write(ffd, buf, STEP) != (ssize_t)STEP) {
			/* tmpfs is full (half of RAM): enough pressure */
			if (errno != ENOSPC)
				t_fail("filling %s: %s", FILL_PATH,
				       strerror(errno));
			break;
		}
		filled += STEP;
	}
	printf("filled %lu MiB of page cache: CmaFree %ld -> %ld kB of %ld, MemFree %ld kB\n",
	       filled >> 20, cma_free0, cma_free, cma_total, mem_free);
	T_TRUE(cma_free0 - cma_free >= (long)(BIG >> 10),
	       "CmaFree dropped only %ld kB: no movable pages in the CMA area",
	       cma_free0 - cma_free);

	fd = t_open(0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (T_OK(t_alloc(fd, z->name, "pressure", BIG, 0, &phys))) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1e3 +
		     (t1.tv_nsec - t0.tv_nsec) / 1e6;
		printf("cma 64M under pressure: %.0f ms\n", ms);
		T_TRUE(phys >= z->phys && phys + BIG <= t_zone_end(z),
		       "block 0x%lx outside zone %s", phys, z->name);
		if (T_OK(t_remap(fd, phys, 1, (void **)&va))) {
			T_ZERO(va, BIG, "64 MiB block under pressure");
			T_OK(t_unmap(fd, phys));
		}
		printf("CmaFree with the block: %ld kB\n", meminfo("CmaFree"));
		T_OK(t_free(fd, phys));
	}
	close(fd);
	close(ffd);
	unlink(FILL_PATH);
	free(buf);
	return t_result();
}
