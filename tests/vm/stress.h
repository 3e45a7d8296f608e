/* SPDX-License-Identifier: MIT */
/*
 * The stress worker of stress.c and killstress.c: a process whose threads
 * loop alloc -> map -> check zeroed -> write a pattern -> VIRT_GET_PHYS and
 * ATTR checks -> flush -> verify -> unmap -> free, each with its own
 * random sizes (4 KiB..1 MiB), zones, directions and mapping kinds
 * (USER_REMAP, USER_REMAP_CACHED, mmap() of a plain fd, mmap() of an O_SYNC
 * fd). The threads of a worker share its three fds.
 *
 * Counters and each thread's current phase live in a board shared by all
 * workers (MAP_SHARED), so a parent can read them, also after killing a
 * worker. With peeking on (killstress), threads also map blocks other
 * workers published, by physical address, so that a worker's death leaves
 * blocks that another process still maps (delayed free of an orphan).
 */
#ifndef STRESS_H
#define STRESS_H

#include "mmztest.h"
#include <pthread.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <time.h>

#define SW_MAX_WORKERS	8
#define SW_THREADS	4
#define SW_MIN_SIZE	(4UL << 10)
#define SW_MAX_SIZE	(1UL << 20)
#define SW_MAX_MSGS	20

enum sw_phase {
	SW_IDLE, SW_ALLOC, SW_MAP, SW_ZERO, SW_WRITE, SW_V2P, SW_FLUSH,
	SW_VERIFY, SW_UNMAP, SW_FREE, SW_PEEK, SW_NPHASES
};

static const char *const sw_phase_name[SW_NPHASES] = {
	"idle", "alloc", "map", "zero-check", "write", "virt_get_phys",
	"flush", "verify", "unmap", "free", "peek",
};

enum sw_kind { SW_REMAP, SW_REMAP_CACHED, SW_MMAP, SW_MMAP_SYNC, SW_NKINDS };

static const char *const sw_kind_name[SW_NKINDS] = {
	"USER_REMAP", "USER_REMAP_CACHED", "mmap", "mmap(O_SYNC fd)",
};

struct sw_pub {			/* a block a thread offers for peeking */
	unsigned long phys;
	unsigned long size;
};

struct sw_board {
	int phase[SW_MAX_WORKERS][SW_THREADS];
	struct sw_pub pub[SW_MAX_WORKERS][SW_THREADS];
	unsigned long long ops;		/* ioctls, mmaps and munmaps */
	unsigned long long iters;	/* completed alloc..free cycles */
	unsigned long long bytes;	/* bytes allocated */
	unsigned long long kinds[SW_NKINDS];
	unsigned long long begun[SW_MAX_WORKERS];	/* cycles begun */
	unsigned long long peeks, peeks_mapped;
	unsigned long long conflicts;	/* x86: a mapping got a peeker's type */
	unsigned long long mismatches;
	unsigned long long fails;
	unsigned int msgs;
};

struct sw_worker {
	struct sw_board *b;
	int w;			/* worker index */
	int fd, fd_map, fd_sync;	/* allocating, plain, O_SYNC */
	unsigned long iters;	/* per thread; 0 = until killed */
	bool peek;
	uint64_t seed;
	int nworkers;
};

struct sw_thread {
	struct sw_worker *wk;
	int t;
	uint64_t rs;		/* splitmix64 state */
};

#define SW_ADD(x, n) __atomic_add_fetch(&(x), (n), __ATOMIC_RELAXED)

static inline uint64_t sw_rand(struct sw_thread *th)
{
	uint64_t z = (th->rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t sw_below(struct sw_thread *th, uint64_t n)
{
	return sw_rand(th) % n;
}

static inline void sw_fail(struct sw_thread *th, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void sw_fail(struct sw_thread *th, const char *fmt, ...)
{
	struct sw_board *b = th->wk->b;
	char buf[320];
	va_list ap;
	int n;

	SW_ADD(b->fails, 1);
	if (SW_ADD(b->msgs, 1) > SW_MAX_MSGS)
		return;
	n = snprintf(buf, sizeof(buf), "[w%d.t%d pid %d] ", th->wk->w, th->t,
		     (int)getpid());
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", buf);
}

static inline void sw_phase(struct sw_thread *th, enum sw_phase p)
{
	__atomic_store_n(&th->wk->b->phase[th->wk->w][th->t], p,
			 __ATOMIC_RELAXED);
}

static inline int sw_ioctl(struct sw_thread *th, int fd, unsigned long cmd,
			   void *arg)
{
	SW_ADD(th->wk->b->ops, 1);
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* The pattern: one 64-bit word per 8 bytes, from the seed and the index. */
static inline uint64_t sw_word(uint64_t seed, size_t i)
{
	uint64_t z = seed + i * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	return z ^ (z >> 29);
}

static inline void sw_fill(volatile uint64_t *p, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len / 8; i++)
		p[i] = sw_word(seed, i);
}

/* Index of the first word that differs, or -1. */
static inline long sw_check(const volatile uint64_t *p, size_t len,
			    uint64_t seed, bool zero)
{
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (p[i] != (zero ? 0 : sw_word(seed, i)))
			return (long)i;
	return -1;
}

/* Map @phys..+@len of another worker's block, read it, unmap it. */
static inline void sw_peek(struct sw_thread *th)
{
	struct sw_worker *wk = th->wk;
	int ow = (int)sw_below(th, wk->nworkers);
	int ot = (int)sw_below(th, SW_THREADS);
	unsigned long phys, size;
	volatile uint64_t *p;
	void *va;

	if (ow == wk->w)
		return;
	phys = __atomic_load_n(&wk->b->pub[ow][ot].phys, __ATOMIC_RELAXED);
	size = __atomic_load_n(&wk->b->pub[ow][ot].size, __ATOMIC_RELAXED);
	if (!phys || !size)
		return;
	sw_phase(th, SW_PEEK);
	SW_ADD(wk->b->peeks, 1);
	SW_ADD(wk->b->ops, 1);
	/* the block may be gone or replaced: EINVAL then, nothing else */
	va = mmap(NULL, T_PAGE, PROT_READ, MAP_SHARED,
		  sw_below(th, 2) ? wk->fd : wk->fd_sync, (off_t)phys);
	if (va == MAP_FAILED) {
		if (errno != EINVAL)
			sw_fail(th, "peek mmap of %#lx: %s", phys,
				strerror(errno));
		return;
	}
	SW_ADD(wk->b->peeks_mapped, 1);
	p = va;
	(void)p[0];
	if (sw_below(th, 4) == 0)
		usleep(sw_below(th, 2000));	/* hold it a little */
	SW_ADD(wk->b->ops, 1);
	if (munmap(va, T_PAGE))
		sw_fail(th, "peek munmap: %s", strerror(errno));
}

/* One alloc..free cycle; returns false when the thread should stop. */
static inline bool sw_cycle(struct sw_thread *th, unsigned long it)
{
	struct sw_worker *wk = th->wk;
	struct sw_board *b = wk->b;
	const struct tzone *z = t_zone_at((int)sw_below(th, t_zone_count()));
	unsigned long req = SW_MIN_SIZE + sw_below(th, SW_MAX_SIZE -
						     SW_MIN_SIZE + 1);
	unsigned long size = (req + T_PAGE - 1) & ~(T_PAGE - 1);
	enum sw_kind kind = (enum sw_kind)sw_below(th, SW_NKINDS);
	bool cached = kind == SW_REMAP_CACHED || kind == SW_MMAP;
	unsigned int order = (unsigned int)sw_below(th, 2);
	uint64_t seed = ((uint64_t)wk->w << 48) ^ ((uint64_t)th->t << 40) ^
			((uint64_t)getpid() << 20) ^ it;
	char name[HIL_MMB_NAME_LEN];
	struct mmb_info mi;
	unsigned long phys, off;
	void *va = NULL;
	long bad;
	int ret, tries, i;

	snprintf(name, sizeof(name), "sw%d.%d.%lu", wk->w, th->t, it % 1000);
	SW_ADD(b->begun[wk->w], 1);

	sw_phase(th, SW_ALLOC);
	for (tries = 0;; tries++) {
		t_info(&mi, sw_below(th, 4) ? z->name : "", name, req, 0);
		if (!strcmp(mi.mmz_name, ""))
			z = t_zone("anonymous");
		mi.order = order;
		ret = sw_ioctl(th, wk->fd, order || sw_below(th, 2) ?
			       IOC_MMB_ALLOC_V2 : IOC_MMB_ALLOC, &mi);
		if (ret != -ENOMEM || tries == 50)
			break;
		usleep(10000);	/* the others hold a lot just now */
	}
	if (ret) {
		sw_fail(th, "ALLOC %#lx in \"%s\": %s", req, z->name,
			t_errname(ret));
		return false;
	}
	phys = mi.phys_addr;
	SW_ADD(b->bytes, size);
	if (phys < z->phys || phys - z->phys > z->size - size ||
	    phys & (T_PAGE - 1))
		sw_fail(th, "ALLOC %#lx in \"%s\" gave %#lx", req, z->name,
			phys);

	sw_phase(th, SW_MAP);
	SW_ADD(b->kinds[kind], 1);
	switch (kind) {
	case SW_REMAP:
	case SW_REMAP_CACHED:
		ret = t_remap(wk->fd, phys, cached, &va);
		SW_ADD(b->ops, 1);
		break;
	default:
		/* not the allocating fd: that one maps write-combine */
		ret = t_mmap(kind == SW_MMAP ? wk->fd_map : wk->fd_sync, phys,
			     size, &va);
		SW_ADD(b->ops, 1);
		break;
	}
	if (ret) {
		sw_fail(th, "%s of %#lx+%#lx: %s", sw_kind_name[kind], phys,
			size, t_errname(ret));
		goto free;
	}

	sw_phase(th, SW_ZERO);
	bad = sw_check(va, size, 0, true);
	if (bad >= 0) {
		SW_ADD(b->mismatches, 1);
		sw_fail(th, "fresh block %#lx+%#lx (%s) not zero at %#lx",
			phys, size, sw_kind_name[kind], bad * 8);
	}
	sw_phase(th, SW_WRITE);
	sw_fill(va, size, seed);
	if (wk->peek) {
		__atomic_store_n(&b->pub[wk->w][th->t].size, size,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&b->pub[wk->w][th->t].phys, phys,
				 __ATOMIC_RELAXED);
	}

	sw_phase(th, SW_V2P);
	for (i = 0; i < 3; i++) {
		/* 4-byte aligned, as VIRT_GET_PHYS takes them */
		off = (i == 0 ? 0 : i == 1 ? sw_below(th, size) : size - 1) &
		      ~3UL;
		ret = t_virt2phys(wk->fd_sync, (char *)va + off, &mi);
		SW_ADD(b->ops, 1);
		if (!ret && !i && T_ONE_MEMTYPE && wk->peek &&
		    (mi.flags & 1) != cached) {
			/* x86: a peeker mapped it first, in the other type */
			SW_ADD(b->conflicts, 1);
			cached = mi.flags & 1;
		}
		if (ret || mi.phys_addr != ((phys + off) | cached) ||
		    mi.size != size ||
		    (mi.flags & 1) != cached || strcmp(mi.mmb_name, name))
			sw_fail(th, "VIRT_GET_PHYS(%p = %#lx + %#lx): %s, phys "
				"%#lx size %#lx flags %#x name \"%.16s\"",
				(char *)va + off, phys, off, t_errname(ret),
				mi.phys_addr, mi.size, (unsigned int)mi.flags,
				mi.mmb_name);
	}
	ret = t_attr(wk->fd, phys + sw_below(th, size), &mi);
	SW_ADD(b->ops, 1);
	if (ret || mi.phys_addr != phys || mi.size != size ||
	    strcmp(mi.mmz_name, z->name) ||
	    (kind <= SW_REMAP_CACHED && mi.mapped != va))
		sw_fail(th, "ATTR of %#lx+%#lx: %s, %#lx+%#lx zone \"%.32s\" "
			"mapped %p (want %p)", phys, size, t_errname(ret),
			mi.phys_addr, mi.size, mi.mmz_name, mi.mapped, va);

	sw_phase(th, SW_FLUSH);
	off = sw_below(th, size / T_PAGE) * T_PAGE;
	switch (sw_below(th, 3)) {
	case 0:
		ret = t_flush_dirty(wk->fd, phys + off, (char *)va + off,
				      1 + sw_below(th, size - off));
		break;
	case 1:
		ret = t_ioctl_val(wk->fd, IOC_MMB_FLUSH_DCACHE,
				  phys + sw_below(th, size));
		break;
	default:
		memset(&mi, 0, sizeof(mi));
		mi.phys_addr = phys;
		ret = t_ioctl(wk->fd, IOC_MMB_TEST_CACHE, &mi);
		break;
	}
	SW_ADD(b->ops, 1);
	if (ret)
		sw_fail(th, "flush of %#lx+%#lx: %s", phys, size,
			t_errname(ret));

	if (wk->peek && sw_below(th, 2))
		sw_peek(th);

	sw_phase(th, SW_VERIFY);
	bad = sw_check(va, size, seed, false);
	if (bad >= 0) {
		SW_ADD(b->mismatches, 1);
		sw_fail(th, "block %#lx+%#lx (%s): word %#lx is %#llx, wrote "
			"%#llx", phys, size, sw_kind_name[kind], bad * 8,
			(unsigned long long)((volatile uint64_t *)va)[bad],
			(unsigned long long)sw_word(seed, bad));
	}

	sw_phase(th, SW_UNMAP);
	if (wk->peek)
		__atomic_store_n(&b->pub[wk->w][th->t].phys, 0,
				 __ATOMIC_RELAXED);
	if (kind <= SW_REMAP_CACHED)
		ret = t_unmap(wk->fd, phys);
	else
		ret = munmap(va, size) ? -errno : 0;
	SW_ADD(b->ops, 1);
	if (ret)
		sw_fail(th, "unmap (%s) of %#lx: %s", sw_kind_name[kind], phys,
			t_errname(ret));
free:
	sw_phase(th, SW_FREE);
	ret = t_free(wk->fd, phys);
	SW_ADD(b->ops, 1);
	/* a peeking worker may still map it: then the free completes later */
	if (ret && !(wk->peek && ret == -EBUSY))
		sw_fail(th, "FREE of %#lx+%#lx: %s", phys, size,
			t_errname(ret));
	sw_phase(th, SW_IDLE);
	SW_ADD(b->iters, 1);
	return true;
}

static inline void *sw_thread_main(void *arg)
{
	struct sw_thread *th = arg;
	unsigned long it;

	for (it = 0; !th->wk->iters || it < th->wk->iters; it++)
		if (!sw_cycle(th, it))
			break;
	return NULL;
}

/*
 * A worker process: SW_THREADS threads, @iters cycles each (0: until
 * killed). Returns 0, or 1 when a thread could not be started.
 */
static inline int sw_worker_run(struct sw_board *b, int w, int nworkers,
				uint64_t seed, unsigned long iters, bool peek)
{
	struct sw_worker wk = {
		.b = b, .w = w, .iters = iters, .peek = peek, .seed = seed,
		.nworkers = nworkers,
	};
	struct sw_thread th[SW_THREADS];
	pthread_t tid[SW_THREADS];
	int i;

	wk.fd = t_open(0);
	wk.fd_map = t_open(0);
	wk.fd_sync = t_open(O_SYNC);
	for (i = 0; i < SW_THREADS; i++) {
		th[i].wk = &wk;
		th[i].t = i;
		th[i].rs = seed ^ ((uint64_t)(w * SW_THREADS + i + 1) <<
				   32) ^ (uint64_t)getpid();
		if (pthread_create(&tid[i], NULL, sw_thread_main, &th[i])) {
			fprintf(stderr, "w%d: pthread_create failed\n", w);
			return 1;
		}
	}
	for (i = 0; i < SW_THREADS; i++)
		pthread_join(tid[i], NULL);
	close(wk.fd);
	close(wk.fd_map);
	close(wk.fd_sync);
	return 0;
}

static inline double sw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline unsigned long sw_env(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static inline uint64_t sw_seed(void)
{
	struct timespec ts;
	uint64_t s = sw_env("MMZ_STRESS_SEED", 0);

	if (s)
		return s;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec;
}

/* The 32-bit build needs futex(2) for its threads (COMPAT_32BIT_TIME). */
static inline void sw_need_futex(void)
{
	int word = 0;

	if (syscall(SYS_futex, &word, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0) < 0
	    && errno == ENOSYS) {
		printf("skip: no futex(2) for this ABI\n");
		exit(T_EXIT_SKIP);
	}
}

/*
 * The common start of stress and killstress: futex(2) present, the device
 * open in *@fd, no block left by an earlier test, and a zeroed board shared
 * with the children. NULL: the test fails (the reason is printed).
 */
static inline struct sw_board *sw_start(int *fd)
{
	struct sw_board *b;

	sw_need_futex();
	*fd = t_open(0);
	if (t_leftovers(*fd, 1)) {
		fprintf(stderr, "blocks allocated before the test started\n");
		return NULL;
	}
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED) {
		perror("mmap of the shared board");
		return NULL;
	}
	memset(b, 0, sizeof(*b));
	return b;
}

#endif /* STRESS_H */
