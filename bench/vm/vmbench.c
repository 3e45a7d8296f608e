/* SPDX-License-Identifier: MIT */
/*
 * vmbench: latency of one full buffer cycle, run inside the test VM.
 *
 *   cycle = allocate + mmap (cached) + write one byte per 4 KiB page
 *           + munmap + free
 *
 * timed with CLOCK_MONOTONIC around each cycle. Back ends:
 *
 *   mmz          /dev/mmz_userdev: IOC_MMB_ALLOC, mmap(a second fd, phys),
 *                touch, munmap, IOC_MMB_FREE (the module zeroes every block)
 *   mmz-cma      the same, but the module must report MMZ_FEAT_CMA
 *   heap:<name>  /dev/dma_heap/<name>: DMA_HEAP_IOCTL_ALLOC -> dma-buf fd,
 *                mmap(dmabuf, 0), touch, munmap, close (heaps zero too)
 *
 * Usage:
 *   vmbench [-s <size>:<iters>]... [-w <warmup>] [-r <rounds>] [-t <secs>]
 *           <label>=<backend>...
 *
 * All targets run interleaved: after a warm-up of each (target, size), the
 * iterations of every size are split into <rounds> batches and each round
 * runs one batch of every target, so host noise (TCG on a shared machine)
 * hits every target alike. When <secs> of measuring have passed, the run
 * stops at the next round boundary and reports what it has (n= shows it).
 *
 * Output, one line per (target, size), for the host script:
 *   # vmbench label=<l> size=<bytes> n=<n> p50_ms=<x> p99_ms=<x>
 *     mean_ms=<x> min_ms=<x> max_ms=<x>          (one line)
 *   # vmbench-steps label=<l> size=<bytes> alloc_p50_ms=<x> alloc_p99_ms=<x>
 *     mmap_p50_ms=<x> mmap_p99_ms=<x> ... free_p99_ms=<x>   (one line; steps
 *     alloc, mmap, touch, munmap, free)
 *   # vmbench-error label=<l> size=<bytes> op=<what> errno=<name> (<text>)
 * Exit status 0 when every target measured every size, else 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-heap.h>
#include "uapi/mmz.h"

#define PAGE		4096UL
#define MAX_SIZES	8
#define MAX_TARGETS	8
#define NSTEPS		5	/* alloc, mmap, touch, munmap, free */

static const char *const step_names[NSTEPS] = {
	"alloc", "mmap", "touch", "munmap", "free"
};

enum backend { BE_MMZ, BE_HEAP };

struct target {
	const char *label;
	enum backend be;
	int fd;			/* /dev/mmz_userdev or /dev/dma_heap/<name> */
	/*
	 * mmz: the fd that maps, cached; not the allocating one, whose
	 * plain mmap is write-combine (the vendor's rule)
	 */
	int map_fd;
	int failed;		/* stop after the first error */
	double *samples[MAX_SIZES];
	double *steps[MAX_SIZES][NSTEPS];	/* per-step times of a cycle */
	size_t n[MAX_SIZES];
};

struct size_spec {
	unsigned long bytes;
	size_t iters;
};

static struct target targets[MAX_TARGETS];
static int ntargets;
static struct size_spec sizes[MAX_SIZES];
static int nsizes;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void report_error(struct target *t, unsigned long size, const char *op,
			 int err)
{
	const char *name = strerrorname_np(err);

	printf("# vmbench-error label=%s size=%lu op=%s errno=%s (%s)\n",
	       t->label, size, op, name ? name : "?", strerror(err));
	fflush(stdout);
	t->failed = 1;
}

static void touch(void *p, unsigned long size)
{
	volatile unsigned char *b = p;
	unsigned long off;

	for (off = 0; off < size; off += PAGE)
		b[off] = 1;
}

/*
 * One cycle; returns its time in ms, or a negative value on error.
 * ts[0..NSTEPS] are the timestamps between the steps.
 */
static double cycle_mmz(struct target *t, unsigned long size, double *ts)
{
	struct mmb_info mi;
	void *p;

	memset(&mi, 0, sizeof(mi));
	mi.size = size;
	strcpy(mi.mmb_name, "vmbench");

	ts[0] = now_ms();
	if (ioctl(t->fd, IOC_MMB_ALLOC, &mi)) {
		report_error(t, size, "IOC_MMB_ALLOC", errno);
		return -1;
	}
	ts[1] = now_ms();
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, t->map_fd,
		 (off_t)mi.phys_addr);
	if (p == MAP_FAILED) {
		report_error(t, size, "mmap", errno);
		ioctl(t->fd, IOC_MMB_FREE, &mi);
		return -1;
	}
	ts[2] = now_ms();
	touch(p, size);
	ts[3] = now_ms();
	if (munmap(p, size)) {
		report_error(t, size, "munmap", errno);
		return -1;
	}
	ts[4] = now_ms();
	if (ioctl(t->fd, IOC_MMB_FREE, &mi)) {
		report_error(t, size, "IOC_MMB_FREE", errno);
		return -1;
	}
	ts[5] = now_ms();
	return ts[5] - ts[0];
}

static double cycle_heap(struct target *t, unsigned long size, double *ts)
{
	struct dma_heap_allocation_data d;
	void *p;

	memset(&d, 0, sizeof(d));
	d.len = size;
	d.fd_flags = O_RDWR | O_CLOEXEC;

	ts[0] = now_ms();
	if (ioctl(t->fd, DMA_HEAP_IOCTL_ALLOC, &d)) {
		report_error(t, size, "DMA_HEAP_IOCTL_ALLOC", errno);
		return -1;
	}
	ts[1] = now_ms();
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, (int)d.fd, 0);
	if (p == MAP_FAILED) {
		report_error(t, size, "mmap", errno);
		close((int)d.fd);
		return -1;
	}
	ts[2] = now_ms();
	touch(p, size);
	ts[3] = now_ms();
	if (munmap(p, size)) {
		report_error(t, size, "munmap", errno);
		return -1;
	}
	ts[4] = now_ms();
	if (close((int)d.fd)) {
		report_error(t, size, "close", errno);
		return -1;
	}
	ts[5] = now_ms();
	return ts[5] - ts[0];
}

static double cycle(struct target *t, unsigned long size, double *ts)
{
	return t->be == BE_MMZ ? cycle_mmz(t, size, ts) :
				 cycle_heap(t, size, ts);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n-1]. */
static double pct(const double *v, size_t n, double p)
{
	size_t rank = (size_t)(p * n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static unsigned long parse_size(const char *s, char **end)
{
	unsigned long v = strtoul(s, end, 0);

	switch (**end) {
	case 'k': case 'K': v <<= 10; (*end)++; break;
	case 'm': case 'M': v <<= 20; (*end)++; break;
	default: break;
	}
	return v;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vmbench [-s <size>:<iters>]... [-w <warmup>] [-r <rounds>]\n"
		"               [-t <secs>] <label>=mmz|mmz-cma|heap:<name>...\n");
	return 2;
}

static int open_target(struct target *t, const char *spec)
{
	char path[128];
	struct mmz_version v;
	int need_cma = 0;

	if (!strcmp(spec, "mmz") || !strcmp(spec, "mmz-cma")) {
		need_cma = !strcmp(spec, "mmz-cma");
		t->be = BE_MMZ;
		snprintf(path, sizeof(path), "/dev/%s", MMZ_DEV_NAME);
	} else if (!strncmp(spec, "heap:", 5) && spec[5]) {
		t->be = BE_HEAP;
		snprintf(path, sizeof(path), "/dev/dma_heap/%s", spec + 5);
	} else {
		return -EINVAL;
	}
	t->fd = open(path, O_RDWR | O_CLOEXEC);
	t->map_fd = t->be == BE_MMZ ? open(path, O_RDWR | O_CLOEXEC) : -1;
	if (t->fd < 0 || (t->be == BE_MMZ && t->map_fd < 0)) {
		report_error(t, 0, path, errno);
		return 0;
	}
	if (t->be == BE_MMZ) {
		memset(&v, 0, sizeof(v));
		if (ioctl(t->fd, MMZ_IOC_VERSION, &v)) {
			report_error(t, 0, "MMZ_IOC_VERSION", errno);
			return 0;
		}
		printf("# vmbench-info label=%s abi=%u.%u features=0x%llx\n",
		       t->label, v.abi_major, v.abi_minor,
		       (unsigned long long)v.features);
		if (need_cma && !(v.features & MMZ_FEAT_CMA)) {
			printf("# vmbench-error label=%s size=0 op=features "
			       "errno=none (module is not in cma mode)\n",
			       t->label);
			t->failed = 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long warmup = 10, rounds = 10, secs = 240;
	double start, deadline;
	double ts[NSTEPS + 1];
	int i, s, k, opt, bad = 0;
	long r;

	while ((opt = getopt(argc, argv, "s:w:r:t:")) != -1) {
		char *end;

		switch (opt) {
		case 's':
			if (nsizes == MAX_SIZES)
				return usage();
			sizes[nsizes].bytes = parse_size(optarg, &end);
			if (*end != ':' || !sizes[nsizes].bytes ||
			    sizes[nsizes].bytes % PAGE)
				return usage();
			sizes[nsizes].iters = strtoul(end + 1, &end, 0);
			if (*end || !sizes[nsizes].iters)
				return usage();
			nsizes++;
			break;
		case 'w': warmup = atol(optarg); break;
		case 'r': rounds = atol(optarg); break;
		case 't': secs = atol(optarg); break;
		default: return usage();
		}
	}
	if (optind == argc || !nsizes || warmup < 0 || rounds < 1 || secs < 1)
		return usage();

	for (i = optind; i < argc; i++) {
		struct target *t = &targets[ntargets];
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i] || ntargets == MAX_TARGETS)
			return usage();
		*eq = '\0';
		t->label = argv[i];
		t->fd = t->map_fd = -1;
		if (open_target(t, eq + 1))
			return usage();
		for (s = 0; s < nsizes; s++) {
			t->samples[s] = calloc(sizes[s].iters, sizeof(double));
			if (!t->samples[s]) {
				perror("calloc");
				return 1;
			}
			for (k = 0; k < NSTEPS; k++) {
				t->steps[s][k] = calloc(sizes[s].iters,
							sizeof(double));
				if (!t->steps[s][k]) {
					perror("calloc");
					return 1;
				}
			}
		}
		ntargets++;
	}
	fflush(stdout);

	/* warm-up: page tables, slab caches, the first CMA bitmap walks */
	for (s = 0; s < nsizes; s++)
		for (i = 0; i < ntargets; i++)
			for (r = 0; r < warmup && !targets[i].failed; r++)
				cycle(&targets[i], sizes[s].bytes, ts);

	start = now_ms();
	deadline = start + secs * 1e3;
	for (r = 0; r < rounds; r++) {
		if (r && now_ms() > deadline) {
			printf("# vmbench-info time limit %lds: stopped after %ld of %ld rounds\n",
			       secs, r, rounds);
			break;
		}
		for (s = 0; s < nsizes; s++) {
			/* batch r of sizes[s].iters spread over the rounds */
			size_t lo = sizes[s].iters * r / rounds;
			size_t hi = sizes[s].iters * (r + 1) / rounds;

			for (i = 0; i < ntargets; i++) {
				struct target *t = &targets[i];
				size_t c;

				for (c = lo; c < hi && !t->failed; c++) {
					double ms = cycle(t, sizes[s].bytes, ts);

					if (ms < 0)
						continue;
					for (k = 0; k < NSTEPS; k++)
						t->steps[s][k][t->n[s]] =
							ts[k + 1] - ts[k];
					t->samples[s][t->n[s]++] = ms;
				}
			}
		}
	}
	printf("# vmbench-info measured for %.1f s\n", (now_ms() - start) / 1e3);

	for (i = 0; i < ntargets; i++) {
		struct target *t = &targets[i];

		for (s = 0; s < nsizes; s++) {
			double *v = t->samples[s], sum = 0;
			size_t n = t->n[s], c;

			if (t->failed || !n) {
				bad = 1;
				continue;
			}
			qsort(v, n, sizeof(*v), cmp_double);
			for (c = 0; c < n; c++)
				sum += v[c];
			printf("# vmbench label=%s size=%lu n=%zu p50_ms=%.4f p99_ms=%.4f mean_ms=%.4f min_ms=%.4f max_ms=%.4f\n",
			       t->label, sizes[s].bytes, n, pct(v, n, 0.50),
			       pct(v, n, 0.99), sum / n, v[0], v[n - 1]);
			/* where a cycle's time goes: p50 and p99 of each step */
			printf("# vmbench-steps label=%s size=%lu",
			       t->label, sizes[s].bytes);
			for (k = 0; k < NSTEPS; k++) {
				qsort(t->steps[s][k], n, sizeof(double),
				      cmp_double);
				printf(" %s_p50_ms=%.4f %s_p99_ms=%.4f",
				       step_names[k],
				       pct(t->steps[s][k], n, 0.50),
				       step_names[k],
				       pct(t->steps[s][k], n, 0.99));
			}
			printf("\n");
		}
		if (t->fd >= 0)
			close(t->fd);
		if (t->map_fd >= 0)
			close(t->map_fd);
	}
	return bad;
}
