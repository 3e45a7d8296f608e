/* SPDX-License-Identifier: MIT */
/*
 * Freed memory never comes back dirty, whichever way the module zeroes it
 * (prezero=1: freed carve-out blocks are zeroed in the background;
 * prezero=0 and CMA mode: each block is zeroed when it is allocated).
 *
 *  1. fill zone "second" with blocks, write a pattern over all of it,
 *     free it all: the zone reports empty at once (used 0, one free extent
 *     of the whole zone, no MMB line) however far the zeroing has got;
 *  2. fill it again: every byte of every block is zero (with prezero=1 the
 *     allocations must zero what the worker has not reached yet);
 *  3. churn: random sizes allocated, checked zero, written, some freed,
 *     while a second thread does the same, so allocations race the worker;
 *  4. prezero=0 only: a freed block's range is reused at once (best fit),
 *     zeroed; prezero=1 may place it elsewhere, no assertion then.
 */
#include "mmztest.h"

#include <pthread.h>

#define NCHURN		300
#define MAXLIVE		6

static const struct tzone *zone;

static int prezero_param(void)
{
	char *s = t_read_file("/sys/module/mmz/parameters/prezero");
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

static void check_empty(int fd)
{
	struct mmz_zone_info zi;

	if (!T_OK(t_zone_info(fd, zone->name, &zi)))
		return;
	T_EQ(zi.used, 0);
	T_EQ(zi.blocks, 0);
	if (!t_cma_mode()) {
		T_EQ(zi.largest_free, zone->size);
		T_EQ(zi.free_extents, 1);
	}
	T_EQ(t_proc_mmb_count(), 0);
}

/* Allocates all of zone "second" in @bsz blocks; returns how many. */
static int fill(int fd, unsigned long bsz, unsigned long *phys, int max)
{
	int n = 0, r = 0;

	while (n < max && !(r = t_alloc(fd, zone->name, "pz", bsz, 0,
					   &phys[n])))
		n++;
	T_TRUE(n == max || r == -ENOMEM, "fill: %s after %d blocks",
	       t_errname(r), n);
	return n;
}

static void fill_write_free_refill(int fd)
{
	unsigned long bsz = zone->size / 8, phys[8];
	int n, i;
	void *va = NULL;

	n = fill(fd, bsz, phys, 8);
	T_EQ(n, 8);
	for (i = 0; i < n; i++) {
		if (!T_OK(t_mmap(fd, phys[i], bsz, &va)))
			continue;
		T_ZERO(va, bsz, "first fill");
		t_fill(va, bsz, i + 1);
		munmap(va, bsz);
	}
	for (i = 0; i < n; i++)
		T_OK(t_free(fd, phys[i]));
	check_empty(fd);

	/* the zone is full of freed pattern; every new block must be zero */
	n = fill(fd, bsz, phys, 8);
	T_EQ(n, 8);
	for (i = 0; i < n; i++) {
		if (!T_OK(t_mmap(fd, phys[i], bsz, &va)))
			continue;
		T_ZERO(va, bsz, "refill");
		munmap(va, bsz);
		T_OK(t_free(fd, phys[i]));
	}
	check_empty(fd);
}

/* One churning thread; its own fd, blocks of 4 KiB..zone/16. */
static void *churn(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	unsigned long phys[MAXLIVE] = { 0 };
	int fd = t_open(0), i, k;
	void *va = NULL;

	for (i = 0; i < NCHURN; i++) {
		unsigned long pages = zone->size / T_PAGE / 16;
		unsigned long sz = (1 + rand_r(&seed) % pages) * T_PAGE;
		int r;

		k = rand_r(&seed) % MAXLIVE;
		if (phys[k]) {
			T_OK(t_free(fd, phys[k]));
			phys[k] = 0;
			continue;
		}
		r = t_alloc(fd, zone->name, "churn", sz, 0, &phys[k]);
		if (r) {
			/* two threads may fill the zone between them */
			T_TRUE(r == -ENOMEM, "churn alloc: %s", t_errname(r));
			phys[k] = 0;
			continue;
		}
		if (!T_OK(t_mmap(fd, phys[k], sz, &va)))
			continue;
		T_ZERO(va, sz, "churn block");
		t_fill(va, sz, seed);
		munmap(va, sz);
	}
	for (k = 0; k < MAXLIVE; k++)
		if (phys[k])
			T_OK(t_free(fd, phys[k]));
	close(fd);
	return NULL;
}

static void reuse_without_prezero(int fd)
{
	unsigned long bsz = zone->size / 4, a, b;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "a", bsz, 0, &a)))
		return;
	if (T_OK(t_mmap(fd, a, bsz, &va))) {
		t_fill(va, bsz, 7);
		munmap(va, bsz);
	}
	T_OK(t_free(fd, a));
	if (!T_OK(t_alloc(fd, zone->name, "b", bsz, 0, &b)))
		return;
	T_EQ(b, a);
	if (T_OK(t_mmap(fd, b, bsz, &va))) {
		T_ZERO(va, bsz, "reused block");
		munmap(va, bsz);
	}
	T_OK(t_free(fd, b));
}

int main(void)
{
	pthread_t th[2];
	int fd = t_open(0), pz = prezero_param(), i;

	zone = t_zone("second");
	T_TRUE(pz == 0 || pz == 1, "prezero parameter %d", pz);
	check_empty(fd);
	fill_write_free_refill(fd);

	for (i = 0; i < 2; i++)
		T_OK(-pthread_create(&th[i], NULL, churn,
				     (void *)(uintptr_t)(i * 7919 + 1)));
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	check_empty(fd);

	if (pz == 0 && !t_cma_mode())
		reuse_without_prezero(fd);
	T_EQ(t_leftovers(fd, 1), 0);
	close(fd);
	printf("prezero=%d mode=%s\n", pz, t_cma_mode() ? "cma" : "hisi");
	return t_result();
}
