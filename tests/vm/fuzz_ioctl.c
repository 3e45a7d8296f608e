/* SPDX-License-Identifier: MIT */
/*
 * ioctl and mmap fuzzer for /dev/mmz_userdev (issue #6).
 *
 * DEF_PROCS processes (fork) issue random ioctls until together they have
 * issued DEF_IOCTLS of them, plus random mmap()s of the device. Every
 * field of struct mmb_info, struct dirty_area and the 'z' structs gets
 * boundary and random values (0, 1, page +- 1, 2^31 +- 1, 2^32 +- 1, 2^63,
 * ~0, addresses of live blocks +- small deltas, zone edges); names lose
 * their NUL; command numbers are the real ones, the other vendor layouts
 * the module serves for this word size (struct mmb_info of another SDK
 * generation or of the 32-bit SDK for 64-bit kernels, with garbage in
 * their padding), the real ones with a wrong size or direction, and
 * random ones; argument pointers are good,
 * read-only, NULL, low, kernel, non-canonical, PROT_NONE, or straddle into
 * an unmapped page. Mappings get partial munmap/mprotect, mremap, madvise.
 *
 * Each process models what it owns (blocks per fd, REMAP counts, its
 * mappings, references) and checks every answer it can predict against
 * docs/ABI.md; an ioctl that fails must not have taken effect. Half of the
 * processes drop CAP_SYS_RAWIO and CAP_SYS_ADMIN, so the sharing model's
 * refusals and MMZ_IOC_SHARE grants are reached too.
 *
 * Races: every RACE_EVERY operations a process forks a child whose two
 * threads hammer the same few blocks through shared fds (FREE, UNMAP,
 * REMAP, mmap, munmap, ADD_REF, DEC_REF, ALLOC, replacing an fd), and the
 * parent's blocks through the parent's fds; only the kernel log and the
 * end state judge those. A third of the races instead pit a REMAP against
 * a plain mmap() of the same range (each must get its own mapping).
 * /proc/media-mem is read now and then and must stay well formed.
 *
 * At the end MMZ_IOC_CHECK must report no violation, every zone must be
 * empty and /proc/media-mem must list no block.
 *
 * The seed is printed; MMZ_FUZZ_SEED repeats a run. Each process draws
 * from its own stream, so a run is deterministic given the seed as far as
 * the kernel's answers are (block addresses depend on how the processes
 * interleave; MMZ_FUZZ_PROCS=1 removes that). MMZ_FUZZ_PROCS and
 * MMZ_FUZZ_IOCTLS change the defaults (4, 100000).
 *
 * Only the kernel ever sees a bad pointer; this program touches memory,
 * or changes a mapping, only where its model says an mmz mapping is, and
 * checks that with VIRT_GET_PHYS first. It writes only into its own
 * blocks.
 */
#include "mmztest.h"
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/dma-heap.h>

#define LP64		(sizeof(long) == 8)
#define MAX_PROCS	8
#define DEF_PROCS	4
#define DEF_IOCTLS	100000UL
#define ERRMAX		134
#define MAX_MSGS	25	/* failure messages per process */

#define RACE_EVERY	5000	/* main-loop operations between races */
#define RACE_OPS	100	/* per thread */
#define CHECK_EVERY	1500	/* MMZ_IOC_CHECK during the run */

/* fixed RW page with a never-mapped page after it (see setup_args) */
#define EDGE_ADDR	0x10000000UL

enum kind {
	K_ALLOC, K_ALLOC_V2, K_ATTR, K_FREE, K_REMAP, K_REMAP_C, K_UNMAP,
	K_V2P, K_TEST_CACHE, K_ADD_REF, K_DEC_REF, K_FLUSH, K_DIRTY,
	K_VERSION, K_ZONE_INFO, K_BLOCK_INFO, K_EXPORT, K_IMPORT, K_SHARE,
	K_CHECK, K_MEMSHARE, K_OTHER, NKIND
};

static const char *const kind_name[NKIND] = {
	"ALLOC", "ALLOC_V2", "ATTR", "FREE", "REMAP", "REMAP_CACHED",
	"UNMAP", "VIRT_GET_PHYS", "TEST_CACHE", "ADD_REF", "DEC_REF",
	"FLUSH_DCACHE", "FLUSH_DIRTY", "VERSION", "ZONE_INFO", "BLOCK_INFO",
	"EXPORT_DMABUF", "IMPORT_DMABUF", "SHARE", "CHECK", "MEM_SHARE_*",
	"other",
};

/* struct mmb_info commands, K_ALLOC .. K_TEST_CACHE */
static const unsigned long mmb_cmd[] = {
	IOC_MMB_ALLOC, IOC_MMB_ALLOC_V2, IOC_MMB_ATTR, IOC_MMB_FREE,
	IOC_MMB_USER_REMAP, IOC_MMB_USER_REMAP_CACHED, IOC_MMB_USER_UNMAP,
	IOC_MMB_VIRT_GET_PHYS, IOC_MMB_TEST_CACHE,
};

/* every command this ABI (LP64 or ILP32) knows, with its kind */
static const struct {
	unsigned long cmd;
	enum kind k;
} known_cmds[] = {
	{ IOC_MMB_ALLOC, K_ALLOC }, { IOC_MMB_ALLOC_V2, K_ALLOC_V2 },
	{ IOC_MMB_ATTR, K_ATTR }, { IOC_MMB_FREE, K_FREE },
	{ IOC_MMB_USER_REMAP, K_REMAP },
	{ IOC_MMB_USER_REMAP_CACHED, K_REMAP_C },
	{ IOC_MMB_USER_UNMAP, K_UNMAP }, { IOC_MMB_VIRT_GET_PHYS, K_V2P },
	{ IOC_MMB_TEST_CACHE, K_TEST_CACHE }, { IOC_MMB_ADD_REF, K_ADD_REF },
	{ IOC_MMB_DEC_REF, K_DEC_REF }, { IOC_MMB_FLUSH_DCACHE, K_FLUSH },
	{ IOC_MMB_FLUSH_DCACHE_DIRTY, K_DIRTY },
	{ MMZ_IOC_VERSION, K_VERSION }, { MMZ_IOC_ZONE_INFO, K_ZONE_INFO },
	{ MMZ_IOC_BLOCK_INFO, K_BLOCK_INFO },
	{ MMZ_IOC_EXPORT_DMABUF, K_EXPORT },
	{ MMZ_IOC_IMPORT_DMABUF, K_IMPORT }, { MMZ_IOC_SHARE, K_SHARE },
	{ MMZ_IOC_CHECK, K_CHECK },
};
#define NKNOWN (sizeof(known_cmds) / sizeof(known_cmds[0]))

/*
 * The other struct mmb_info layouts the module serves this word size
 * (docs/ABI.md, "Vendor compatibility"): the same commands with another
 * size in the number. op_mmb() sends the model's request in one of them
 * now and then, converted field by field; the answers are the same but
 * for the wider sizes of the 32-on-64 SDK layouts (exp_alloc's limit).
 * Offsets in bytes; w is the width of phys_addr/align/size, pw that of
 * mapped, w32_stuf and gfp (the 32-on-64 SDK pads them to 8).
 */
struct alt {
	const char *name;
	unsigned int size;
	bool v2;		/* ALLOC_V2 and TEST_CACHE: not generation 3 */
	unsigned char w, pw;
	unsigned char align, sz, order, mapped, w32, mmb, mmb_len, mmz, gfp;
};

static const struct alt alts[] = {
#if __SIZEOF_LONG__ == 8
	{ "gen3", 120, false, 8, 8, 8, 16, 24, 32, 40, 48, 32, 80, 112 },
#else
	{ "gen1", 76, true, 4, 4, 4, 8, 12, 16, 20, 24, 16, 40, 72 },
	{ "gen3", 96, false, 4, 4, 4, 8, 12, 16, 20, 24, 32, 56, 88 },
	{ "gen2-sdk32on64", 104, true, 8, 4, 8, 16, 24, 32, 40, 48, 16, 64,
	  96 },
	{ "gen3-sdk32on64", 120, false, 8, 4, 8, 16, 24, 32, 40, 48, 32, 80,
	  112 },
#endif
};
#define NALT (sizeof(alts) / sizeof(alts[0]))

/*
 * The layouts served here: the 32-on-64 SDK ones (last in alts[]) only by
 * a 64-bit kernel's compat path, not by a 32-bit ARM kernel. Set in main().
 */
static unsigned int nalt = NALT;
static bool sdk32on64 = !LP64;

static void alts_init(void)
{
	struct utsname u;

	if (LP64 || (!uname(&u) && strstr(u.machine, "64")))
		return;
	sdk32on64 = false;
	for (nalt = 0; nalt < NALT; nalt++)
		if (strstr(alts[nalt].name, "sdk32on64"))
			break;
}

/* struct dirty_area of the 32-on-64 SDK: u64, 4-byte pointer, u64 */
#define SDK_DIRTY_SIZE	24

static unsigned int resized(unsigned long cmd, unsigned int size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

/* Does @a serve command kind @k (K_ALLOC .. K_TEST_CACHE)? */
static bool alt_has(const struct alt *a, enum kind k)
{
	return a->v2 || (k != K_ALLOC_V2 && k != K_TEST_CACHE);
}

/* ---- statistics, shared by all processes (MAP_SHARED|MAP_ANONYMOUS) ---- */

struct pstat {
	int pid;
	int nocap;
	unsigned long long ioctls;	/* fuzz ioctls of the main loop */
	unsigned long long race_ioctls;	/* fuzz ioctls of race threads */
	unsigned long long checks;	/* model/harness ioctls */
	unsigned long long mmaps;
	unsigned long long races;
	unsigned long long reopens;
	unsigned long long allocs;
	unsigned long long inherited;	/* mappings a race child got */
	unsigned long long imports;	/* system heap buffers imported */
	unsigned long long errs[ERRMAX + 1];	/* [0] success, [ERRMAX] other */
	unsigned long long kinds[NKIND];
	unsigned long long ns[NKIND];	/* time in the ioctl, per kind */
	unsigned long long mmap_ns, mmap_n, race_ns;
	unsigned int fails;
	double secs;
};

struct shared {
	int nproc;
	int ready;
	pid_t pids[MAX_PROCS];
	struct pstat p[MAX_PROCS];
};

#define ADD(x, n) __atomic_add_fetch(&(x), (n), __ATOMIC_RELAXED)

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- PRNG: splitmix64, one stream per process or thread ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rbelow(struct rng *r, uint64_t n)
{
	return n ? rnext(r) % n : 0;
}

static bool rpct(struct rng *r, unsigned int pct)
{
	return rbelow(r, 100) < pct;
}

/* ---- the per-process model ---- */

#define NSLOT	3
#define MAXBLK	40
#define MAXMAP	40
#define MAXREF	32
#define MAXFOR	16

struct blk {			/* a live block this process allocated */
	unsigned long phys, size;
	int slot;		/* the fd it was allocated through */
	int zone;		/* index into t_zones */
	char name[HIL_MMB_NAME_LEN];
	void *handle;		/* its generation-3 mem_handle, once seen */
	bool all;		/* MEM_SHARE_ALL */
	/* its slot's last REMAP was cached (1) or not (0); -1 unknown */
	signed char rcached;
};

struct map {			/* a mapping of the device in this process */
	char *addr;
	size_t len;
	unsigned long phys;	/* of addr */
	int slot;		/* -1: its fd was closed */
	bool remap;		/* made by REMAP (count) or by mmap() */
	unsigned int count;
	bool cached;
	int prot;
	bool rdonly;		/* made through an O_RDONLY fd */
	bool inherit;		/* a fork() child gets it (no MADV_DONTFORK) */
	bool type_known;	/* cached is what the kernel gave */
};

struct ref {			/* ADD_REFs of one block through one fd */
	unsigned long phys, size;	/* the block */
	int slot;
	unsigned int count;
};

enum { FD_PLAIN, FD_SYNC, FD_RDONLY };

enum ploc {
	PL_OK, PL_RO, PL_EDGE, PL_NONE, PL_NULL, PL_LOW, PL_KERN, PL_KERN2,
	PL_NONCANON, NPLOC
};

static const char *const ploc_name[NPLOC] = {
	"ok", "read-only", "straddling", "PROT_NONE", "NULL", "low",
	"kernel", "kernel2", "non-canonical",
};

/* what happened lately, to explain a surprise */
enum { H_MMAP = NKIND, H_MUNMAP, H_CLOSE, H_MAPOP };
#define NHIST 512

struct hist {
	unsigned long op;
	unsigned long phys;
	unsigned long addr;	/* user address involved, or 0 */
	unsigned char kind, slot, loc;
	int r;
};

struct fz {
	int idx;
	struct rng r;
	struct shared *sh;
	struct pstat *st;
	bool nocap;
	bool cma;
	int fd[NSLOT];
	int fflags[NSLOT];	/* FD_PLAIN, FD_SYNC or FD_RDONLY */
	int heap;		/* /dev/dma_heap/system, or -1 */
	struct blk blk[MAXBLK];
	int nblk;
	struct map map[MAXMAP];
	int nmap;
	struct ref ref[MAXREF];
	int nref;
	unsigned long foreign[MAXFOR];	/* blocks seen by BLOCK_INFO */
	int nforeign;
	unsigned char *okpage, *rw_view, *ro_view, *edge, *none;
	unsigned long ops;
	unsigned int msgs;
	unsigned int dumps;
	struct hist hist[NHIST];
	unsigned int nhist;
};

static void hist_add(struct fz *f, unsigned int kind, int slot, int loc,
		     unsigned long phys, unsigned long addr, int r)
{
	struct hist *h = &f->hist[f->nhist++ % NHIST];

	h->op = f->ops;
	h->phys = phys;
	h->addr = addr;
	h->kind = (unsigned char)kind;
	h->slot = (unsigned char)slot;
	h->loc = (unsigned char)loc;
	h->r = r;
}

static bool near(unsigned long a, unsigned long key)
{
	return key && a - key + (256UL << 10) < (512UL << 10);
}

/*
 * Prints what happened lately within 256 KiB of physical address @phys or
 * of user address @addr (0: none), the first few times.
 */
static void hist_dump(struct fz *f, unsigned long phys, unsigned long addr)
{
	static const char *const extra[] = { "mmap", "munmap", "close",
					     "mprotect/mremap/madvise" };
	unsigned int i, n = f->nhist < NHIST ? f->nhist : NHIST;

	if (f->dumps++ >= 4)
		return;
	fprintf(stderr, "[p%d] recent operations near phys %#lx / address "
		"%#lx:\n", f->idx, phys, addr);
	for (i = f->nhist - n; i != f->nhist; i++) {
		const struct hist *h = &f->hist[i % NHIST];

		if (!near(h->phys, phys) && !near(h->addr, addr) &&
		    h->kind != H_CLOSE)
			continue;
		fprintf(stderr, "[p%d]   op %lu %s fd %u phys %#lx address %#lx "
			"arg %s: %s\n", f->idx, h->op, h->kind < NKIND ?
			kind_name[h->kind] : extra[h->kind - NKIND], h->slot,
			h->phys, h->addr, ploc_name[h->loc], t_errname(h->r));
	}
}

static void fz_fail(struct fz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fz_fail(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	ADD(f->st->fails, 1);
	if (f->msgs++ >= MAX_MSGS)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "[p%d op %lu] ", f->idx, f->ops);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (f->msgs == MAX_MSGS)
		fprintf(stderr, "[p%d] further failures not shown\n", f->idx);
}

/* An ioctl counted as fuzz; returns 0 or a positive errno. */
static int fz_ioctl(struct fz *f, int fd, unsigned long cmd,
		    unsigned long arg, enum kind k, bool race)
{
	unsigned long long t0 = now_ns();
	int r = ioctl(fd, cmd, arg) ? errno : 0;

	ADD(f->st->ns[k], now_ns() - t0);
	if (race)
		ADD(f->st->race_ioctls, 1);
	else
		ADD(f->st->ioctls, 1);
	ADD(f->st->errs[r < ERRMAX ? r : ERRMAX], 1);
	ADD(f->st->kinds[k], 1);
	return r;
}

/* An ioctl of the harness (model checks); 0 or a positive errno. */
static int hz_ioctl(struct fz *f, int fd, unsigned long cmd, void *arg)
{
	ADD(f->st->checks, 1);
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* a one-page system heap buffer (always one range to import), or -1 */
static int heap_page(struct fz *f)
{
	struct dma_heap_allocation_data a = {
		.len = T_PAGE, .fd_flags = O_RDWR | O_CLOEXEC,
	};

	if (f->heap < 0 || hz_ioctl(f, f->heap, DMA_HEAP_IOCTL_ALLOC, &a))
		return -1;
	return (int)a.fd;
}

/* ---- expected answers ---- */

struct exp {
	int n;
	int e[8];
	bool any;
};

static void ex_one(struct exp *x, int e)
{
	x->any = false;
	x->n = 1;
	x->e[0] = e;
}

static void ex_add(struct exp *x, int e)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->e[i] == e)
			return;
	if (x->n < 8)
		x->e[x->n++] = e;
}

static void ex_any(struct exp *x)
{
	x->any = true;
	x->n = 0;
}

/* The call would succeed but cannot write its results back: EFAULT. */
static void ex_ro(struct exp *x)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->e[i] == 0)
			x->e[i] = EFAULT;
}

static bool ex_has(const struct exp *x, int r)
{
	int i;

	if (x->any)
		return true;
	for (i = 0; i < x->n; i++)
		if (x->e[i] == r)
			return true;
	return false;
}

static const char *ex_str(const struct exp *x, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	if (x->any)
		return "anything";
	buf[0] = 0;
	for (i = 0; i < x->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "|" : "",
				t_errname(x->e[i]));
	return buf;
}

#define EXPECT(f, x, r, ...)						\
	do {								\
		if (!ex_has(x, r)) {					\
			char eb_[128], db_[256];			\
			snprintf(db_, sizeof(db_), __VA_ARGS__);	\
			fz_fail(f, "%s: got %s, expected %s", db_,	\
				t_errname(r), ex_str(x, eb_, sizeof(eb_))); \
		}							\
	} while (0)

/* ---- model lookups ---- */

static struct blk *blk_at(struct fz *f, unsigned long phys)
{
	int i;

	for (i = 0; i < f->nblk; i++)
		if (f->blk[i].phys == phys)
			return &f->blk[i];
	return NULL;
}

static struct blk *blk_holding(struct fz *f, unsigned long phys)
{
	int i;

	for (i = 0; i < f->nblk; i++)
		if (phys - f->blk[i].phys < f->blk[i].size)
			return &f->blk[i];
	return NULL;
}

static void blk_drop(struct fz *f, struct blk *b)
{
	*b = f->blk[--f->nblk];
}

static struct map *map_remap(struct fz *f, int slot, unsigned long phys)
{
	int i;

	for (i = 0; i < f->nmap; i++)
		if (f->map[i].remap && f->map[i].slot == slot &&
		    f->map[i].phys == phys)
			return &f->map[i];
	return NULL;
}

/* The REMAP of @slot whose block holds @phys (a REMAP maps it whole). */
static struct map *map_remap_holding(struct fz *f, int slot,
				     unsigned long phys)
{
	int i;

	for (i = 0; i < f->nmap; i++)
		if (f->map[i].remap && f->map[i].slot == slot &&
		    phys - f->map[i].phys < f->map[i].len)
			return &f->map[i];
	return NULL;
}

static struct map *map_at_addr(struct fz *f, unsigned long addr)
{
	int i;

	for (i = 0; i < f->nmap; i++)
		if (addr - (unsigned long)f->map[i].addr < f->map[i].len)
			return &f->map[i];
	return NULL;
}

/* A mapping of physical byte @phys: its block is certainly alive. */
static struct map *map_of_phys(struct fz *f, unsigned long phys)
{
	int i;

	for (i = 0; i < f->nmap; i++)
		if (phys - f->map[i].phys < f->map[i].len)
			return &f->map[i];
	return NULL;
}

static void map_drop(struct fz *f, struct map *m)
{
	*m = f->map[--f->nmap];
}

/* The references of @slot on the block holding @phys. */
static struct ref *ref_find(struct fz *f, int slot, unsigned long phys)
{
	int i;

	for (i = 0; i < f->nref; i++)
		if (f->ref[i].slot == slot &&
		    phys - f->ref[i].phys < f->ref[i].size)
			return &f->ref[i];
	return NULL;
}

/* Does fd @slot hold a REMAP or a reference of block @b? */
static bool blk_held_by_fd(struct fz *f, const struct blk *b, int slot)
{
	int i;

	for (i = 0; i < f->nmap; i++)
		if (f->map[i].remap && f->map[i].slot == slot &&
		    f->map[i].phys - b->phys < b->size)
			return true;
	for (i = 0; i < f->nref; i++)
		if (f->ref[i].slot == slot && f->ref[i].phys == b->phys)
			return true;
	return false;
}

static int zone_of(unsigned long phys)
{
	int i;

	for (i = 0; i < t_zone_count(); i++)
		if (phys - t_zone_at(i)->phys < t_zone_at(i)->size)
			return i;
	return -1;
}

static int zone_named(const char *name)
{
	int i;

	if (!*name)
		name = "anonymous";
	for (i = 0; i < t_zone_count(); i++)
		if (!strcmp(t_zone_at(i)->name, name))
			return i;
	return -1;
}

/* ---- values ---- */

static const uint64_t edge_vals[] = {
	0, 1, 2, 0xfff, 0x1000, 0x1001, 0x2000, 0xffff, 0x10000, 0x100000,
	0x7fffffff, 0x80000000, 0x80000001, 0xfffff000, 0xfffff001,
	0xffffffff, 0x100000000ULL, 0x100000001ULL, 0x100001000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, 0x8000000000001000ULL,
	0xfffffffffffff000ULL, 0xfffffffffffff001ULL, 0xffffffffffffffffULL,
	0x30000000, 0x20000000, 0x40000000, 0xc0000000,
};
#define NEDGE (sizeof(edge_vals) / sizeof(edge_vals[0]))

static unsigned long small_delta(struct rng *r)
{
	static const long d[] = { 0, 0, 0, 0, 1, -1, 0xfff, -0xfff, 0x1000,
				  -0x1000, 8, 0x2000, -0x2000 };

	return (unsigned long)d[rbelow(r, sizeof(d) / sizeof(d[0]))];
}

static unsigned long zone_edge(struct fz *f)
{
	const struct tzone *z = t_zone_at((int)rbelow(&f->r, t_zone_count()));

	switch (rbelow(&f->r, 7)) {
	case 0: return z->phys;
	case 1: return z->phys - T_PAGE;
	case 2: return z->phys + z->size;
	case 3: return z->phys + z->size - T_PAGE;
	case 4: return z->phys + z->size - 1;
	case 5: return z->phys - 1;
	default: return z->phys + (rbelow(&f->r, z->size) & ~(T_PAGE - 1));
	}
}

static unsigned long rv_ulong(struct fz *f)
{
	uint64_t v;

	switch (rbelow(&f->r, 4)) {
	case 0:
	case 1:
		return (unsigned long)edge_vals[rbelow(&f->r, NEDGE)];
	case 2:
		v = rnext(&f->r);
		return (unsigned long)(v >> rbelow(&f->r, 64));
	default:
		return zone_edge(f) + small_delta(&f->r);
	}
}

/* A physical address: mostly near blocks we know, else anything. */
static unsigned long pick_phys(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);
	unsigned long d = rpct(&f->r, 65) ? 0 : small_delta(&f->r);

	if (x < 45 && f->nblk) {
		const struct blk *b = &f->blk[rbelow(&f->r, f->nblk)];

		if (rpct(&f->r, 10))
			return b->phys + b->size - (rpct(&f->r, 50) ? 0 :
						   T_PAGE);
		return b->phys + d;
	}
	if (x < 60 && f->nmap)
		return f->map[rbelow(&f->r, f->nmap)].phys + d;
	if (x < 72 && f->nforeign)
		return f->foreign[rbelow(&f->r, f->nforeign)] + d;
	if (x < 85)
		return zone_edge(f);
	return rv_ulong(f);
}

/*
 * Sizes: blocks are zeroed (and flushed) under the module's lock, which
 * is slow under TCG, so successful allocations are small but for a few;
 * the huge and invalid ones fail before any work.
 */
static unsigned long pick_size(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 10000);

	if (x < 7800)
		return 1 + rbelow(&f->r, 32 << 10);
	if (x < 9000)
		return (unsigned long)edge_vals[rbelow(&f->r, NEDGE)];
	if (x < 9700)
		return (32 << 10) + rbelow(&f->r, 480 << 10);
	if (x < 9720)
		return (512 << 10) + rbelow(&f->r, 4 << 20);
	if (x < 9722)		/* a whole zone: fits only an empty one */
		return t_zone_at((int)rbelow(&f->r, t_zone_count()))->size;
	if (x < 9900)		/* just over a zone */
		return t_zone_at((int)rbelow(&f->r, t_zone_count()))->size +
		       1 + rbelow(&f->r, T_PAGE);
	return rv_ulong(f) | (1UL << (sizeof(long) * 8 - 2));
}

/* A random size that could succeed big is made small (see pick_size). */
static unsigned long tame(unsigned long size)
{
	return size - (4UL << 20) < (124UL << 20) ? size >> 8 : size;
}

static unsigned long pick_align(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);

	if (x < 55)
		return 0;
	if (x < 80)
		return 1UL << rbelow(&f->r, 21);	/* up to 1 MiB */
	if (x < 85)
		return 1UL << (21 + rbelow(&f->r, LP64 ? 43 : 11));
	if (x < 92)
		return 3UL << rbelow(&f->r, 20);	/* not a power of 2 */
	return rv_ulong(f);
}

static void pick_name(struct fz *f, char *dst, size_t len, bool zone)
{
	static const char *const zones[] = { "", "anonymous", "second",
					      "nonexistent", "anonymous ",
					      "ANONYMOUS" };
	unsigned int x = (unsigned int)rbelow(&f->r, 100);
	size_t i, n;

	memset(dst, 0, len);
	if (x < 70) {
		if (zone) {
			snprintf(dst, len, "%s",
				 zones[rbelow(&f->r, x < 60 ? 3 : 6)]);
		} else {
			n = rbelow(&f->r, len);
			for (i = 0; i < n; i++)
				dst[i] = (char)('a' + rbelow(&f->r, 26));
		}
		if (rpct(&f->r, 5))	/* garbage after the NUL */
			for (i = strlen(dst) + 1; i < len; i++)
				dst[i] = (char)rnext(&f->r);
	} else if (x < 85) {		/* no NUL at all */
		for (i = 0; i < len; i++)
			dst[i] = (char)('A' + rbelow(&f->r, 26));
	} else {			/* random bytes, NUL or not */
		for (i = 0; i < len; i++)
			dst[i] = (char)rnext(&f->r);
	}
}

/* A user address: in our mappings, near them, or anything. */
static unsigned long pick_addr(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);

	if (x < 60 && f->nmap) {
		const struct map *m = &f->map[rbelow(&f->r, f->nmap)];

		switch (rbelow(&f->r, 6)) {
		case 0: return (unsigned long)m->addr;
		case 1: return (unsigned long)m->addr + m->len - 1;
		case 2: return (unsigned long)m->addr + m->len;
		case 3: return (unsigned long)m->addr - 1;
		default: return (unsigned long)m->addr + rbelow(&f->r, m->len);
		}
	}
	if (x < 75)
		return (unsigned long)f->okpage + rbelow(&f->r, T_PAGE);
	if (x < 80)
		return (unsigned long)__builtin_frame_address(0);	/* the stack */
	return rv_ulong(f);
}

/* ---- argument memory ---- */

static int setup_args(struct fz *f)
{
	char path[64];
	void *p;
	int tfd;

	f->okpage = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->none = mmap(NULL, T_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (f->okpage == MAP_FAILED || f->none == MAP_FAILED)
		return -1;

	/* one tmpfs page seen twice: written here, handed over read-only */
	snprintf(path, sizeof(path), "/tmp/fuzz_ioctl.%d", (int)getpid());
	tfd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (tfd < 0)
		return -1;
	unlink(path);
	if (ftruncate(tfd, T_PAGE))
		return -1;
	f->rw_view = mmap(NULL, T_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  tfd, 0);
	f->ro_view = mmap(NULL, T_PAGE, PROT_READ, MAP_SHARED, tfd, 0);
	close(tfd);
	if (f->rw_view == MAP_FAILED || f->ro_view == MAP_FAILED)
		return -1;

	/*
	 * A RW page whose next page is never mapped: far below where mmap()
	 * places anything (top down) and above the program and its heap.
	 */
	p = mmap((void *)EDGE_ADDR, T_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)EDGE_ADDR) {
		fprintf(stderr, "mmap at %#lx: %s\n", EDGE_ADDR,
			p == MAP_FAILED ? strerror(errno) : "moved");
		return -1;
	}
	f->edge = p;
	p = mmap((void *)(EDGE_ADDR + T_PAGE), T_PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)(EDGE_ADDR + T_PAGE)) {
		fprintf(stderr, "the page after %#lx is mapped\n", EDGE_ADDR);
		return -1;
	}
	munmap(p, T_PAGE);
	return 0;
}

static enum ploc pick_loc(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);

	if (x < 82)
		return PL_OK;
	if (x < 88)
		return PL_RO;
	if (x < 92)
		return PL_EDGE;
	x = PL_NONE + (unsigned int)rbelow(&f->r, NPLOC - PL_NONE);
	if (!LP64 && x == PL_NONCANON)
		x = PL_KERN;
	return (enum ploc)x;
}

static bool loc_readable(enum ploc l)
{
	return l == PL_OK || l == PL_RO;
}

/* Puts @len bytes of @src where @l says; returns what to pass. */
static void *place(struct fz *f, enum ploc l, const void *src, size_t len)
{
	size_t off, k;

	switch (l) {
	case PL_OK:
		off = rbelow(&f->r, T_PAGE - len + 1);
		if (rpct(&f->r, 80))
			off &= ~7UL;
		memcpy(f->okpage + off, src, len);
		return f->okpage + off;
	case PL_RO:
		off = rbelow(&f->r, T_PAGE - len + 1) & ~7UL;
		memcpy(f->rw_view + off, src, len);
		return f->ro_view + off;
	case PL_EDGE:
		k = 1 + rbelow(&f->r, len - 1);
		memcpy(f->edge + T_PAGE - k, src, k);
		return f->edge + T_PAGE - k;
	case PL_NONE:
		return f->none + rbelow(&f->r, T_PAGE - len + 1);
	case PL_NULL:
		return NULL;
	case PL_LOW:
		return (void *)(uintptr_t)(rbelow(&f->r, 15) * T_PAGE +
					   rbelow(&f->r, 64));
	case PL_KERN:
		return (void *)(uintptr_t)(LP64 ? 0xffff800000000000ULL :
					   0xc0000000UL);
	case PL_KERN2:
		return (void *)(uintptr_t)(LP64 ? 0xffffffff81000000ULL :
					   0xfffff000UL);
	default:
		return (void *)(uintptr_t)(rpct(&f->r, 50) ?
			0x8000000000000000ULL : 0x0000800000000000ULL -
			rbelow(&f->r, len));
	}
}

/* ---- fds ---- */

static int open_slot(struct fz *f, int slot)
{
	static const int kinds[] = { FD_PLAIN, FD_SYNC, FD_PLAIN };
	static const int oflags[] = { O_RDWR, O_RDWR | O_SYNC, O_RDONLY };
	int kind = kinds[slot];

	if (slot == 2 && rpct(&f->r, 15))
		kind = FD_RDONLY;
	f->fd[slot] = open(MMZ_DEV, oflags[kind] | O_CLOEXEC);
	f->fflags[slot] = kind;
	if (f->fd[slot] < 0) {
		fz_fail(f, "open %s: %s", MMZ_DEV, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Closes fd @slot: the blocks it owns are freed when the file is released
 * (at once, or after the last mapping made through it goes), its
 * references dropped; this process no longer knows their fate.
 */
static void close_slot(struct fz *f, int slot)
{
	int i;

	close(f->fd[slot]);
	hist_add(f, H_CLOSE, slot, PL_OK, 0, 0, 0);
	for (i = f->nblk - 1; i >= 0; i--)
		if (f->blk[i].slot == slot)
			blk_drop(f, &f->blk[i]);
	for (i = f->nref - 1; i >= 0; i--)
		if (f->ref[i].slot == slot)
			f->ref[i] = f->ref[--f->nref];
	for (i = 0; i < f->nmap; i++)
		if (f->map[i].slot == slot)
			f->map[i].slot = -1;
}

/* ---- checks on our own mappings ---- */

/*
 * Is @m still what the model says? Its first and last byte (and with
 * @thorough up to 8 pages in between) must be mmz mappings of the right
 * physical addresses: then the range holds nothing but mmz mappings,
 * whatever the model got wrong.
 */
static bool map_check(struct fz *f, const struct map *m, bool thorough)
{
	size_t pages = m->len / T_PAGE, step = pages > 8 ? pages / 8 : 1;
	struct mmb_info mi;
	size_t off = 0;
	int r;

	for (;;) {
		memset(&mi, 0, sizeof(mi));
		mi.mapped = m->addr + off;
		r = hz_ioctl(f, f->fd[0], IOC_MMB_VIRT_GET_PHYS, &mi);
		/* bit 0: cached (the x86 type may be another's) */
		if (r || (mi.phys_addr & ~1UL) != m->phys + off)
			break;
		if (off == m->len - 4)
			return true;
		off += thorough ? step * T_PAGE : m->len;
		if (off >= m->len)
			off = m->len - 4;	/* its last word */
	}
	fz_fail(f, "mapping %p+%#zx of phys %#lx (%s, fd %d): VIRT_GET_PHYS "
		"at +%#zx: %s, phys %#lx", m->addr, m->len, m->phys,
		m->remap ? "REMAP" : "mmap", m->slot, off, t_errname(r),
		mi.phys_addr);
	hist_dump(f, m->phys, (unsigned long)m->addr);
	return false;
}

/* Before reading or writing @m: its first and last byte. */
static bool map_alive(struct fz *f, const struct map *m)
{
	return map_check(f, m, false);
}

/* Before unmapping or changing @m: up to 10 of its pages. */
static bool map_intact(struct fz *f, const struct map *m)
{
	return map_check(f, m, true);
}

/* Every mapping of the model is there; a lost one is reported, dropped. */
static void audit_maps(struct fz *f)
{
	int i;

	for (i = f->nmap - 1; i >= 0; i--)
		if (!map_alive(f, &f->map[i]))
			map_drop(f, &f->map[i]);
}

static void touch_map(struct fz *f, const struct map *m)
{
	volatile unsigned char *p = (volatile unsigned char *)m->addr;
	size_t off = rbelow(&f->r, m->len);
	unsigned char v = (unsigned char)rnext(&f->r);

	if (!(m->prot & PROT_READ) || !map_alive(f, m))
		return;
	(void)p[0];
	(void)p[m->len - 1];
	/*
	 * Writes only into our own blocks: another process may have just
	 * allocated what we map by a stale address, and checks it is zeroed.
	 */
	if (!(m->prot & PROT_WRITE) || !blk_holding(f, m->phys))
		return;
	p[off] = v;
	if (p[off] != v)
		fz_fail(f, "mapping %p of phys %#lx: wrote %#x at %#zx, read "
			"%#x", m->addr, m->phys, v, off, p[off]);
}

static void map_add(struct fz *f, char *addr, size_t len, unsigned long phys,
		    int slot, bool remap, bool cached, int prot)
{
	struct blk *b;
	struct map *m;

	if (f->nmap == MAXMAP) {	/* cannot happen: callers check */
		fz_fail(f, "mapping table full");
		munmap(addr, len);
		return;
	}
	m = &f->map[f->nmap++];
	m->addr = addr;
	m->len = len;
	m->phys = phys;
	m->slot = slot;
	m->remap = remap;
	m->count = 1;
	m->cached = cached;
	m->type_known = true;
	m->prot = prot;
	m->rdonly = slot >= 0 && f->fflags[slot] == FD_RDONLY;
	m->inherit = true;
	/* the slot that allocated a block: its plain mmaps follow REMAPs */
	b = remap ? blk_holding(f, phys) : NULL;
	if (b && b->slot == slot)
		b->rcached = cached;
	if (rpct(&f->r, 30))
		touch_map(f, m);
}

/* ATTR through a good pointer, for the model's own checks. */
static int attr_of(struct fz *f, int slot, unsigned long phys,
		   struct mmb_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->phys_addr = phys;
	return hz_ioctl(f, f->fd[slot], IOC_MMB_ATTR, mi);
}

/* A fresh block reads as zeros (checked through a plain mmap). */
static void check_zeroed(struct fz *f, const struct blk *b)
{
	const volatile unsigned long *p;
	size_t i;
	void *va;

	va = mmap(NULL, b->size, PROT_READ, MAP_SHARED, f->fd[b->slot],
		  (off_t)b->phys);
	ADD(f->st->mmaps, 1);
	if (va == MAP_FAILED) {
		if (errno != EINVAL)	/* EINVAL: a sibling maps it */
			fz_fail(f, "mmap of fresh block %#lx+%#lx: %s",
				b->phys, b->size, strerror(errno));
		return;
	}
	p = va;
	for (i = 0; i < b->size / sizeof(long); i++)
		if (p[i]) {
			fz_fail(f, "fresh block %#lx+%#lx not zeroed at %#zx",
				b->phys, b->size, i * sizeof(long));
			break;
		}
	munmap(va, b->size);
}

/* ---- struct mmb_info commands ---- */

static void fill_mmb(struct fz *f, enum kind k, struct mmb_info *mi,
		     bool random)
{
	memset(mi, 0, sizeof(*mi));
	if (random) {
		mi->phys_addr = rpct(&f->r, 50) ? pick_phys(f) : rv_ulong(f);
		mi->align = rpct(&f->r, 50) ? pick_align(f) : rv_ulong(f);
		mi->size = rpct(&f->r, 50) ? pick_size(f) : tame(rv_ulong(f));
		mi->order = rpct(&f->r, 60) ? (unsigned int)rbelow(&f->r, 3) :
			    (unsigned int)rnext(&f->r);
		mi->mapped = (void *)pick_addr(f);
		mi->w32_stuf = (unsigned long)rnext(&f->r);
		pick_name(f, mi->mmb_name, sizeof(mi->mmb_name), false);
		pick_name(f, mi->mmz_name, sizeof(mi->mmz_name), true);
		mi->gfp = rv_ulong(f);
		return;
	}
	switch (k) {
	case K_ALLOC:
	case K_ALLOC_V2:
		mi->size = pick_size(f);
		mi->align = pick_align(f);
		mi->order = rpct(&f->r, 90) ? (unsigned int)rbelow(&f->r, 2) :
			    (unsigned int)rv_ulong(f);
		pick_name(f, mi->mmb_name, sizeof(mi->mmb_name), false);
		pick_name(f, mi->mmz_name, sizeof(mi->mmz_name), true);
		if (rpct(&f->r, 10))
			mi->gfp = rv_ulong(f);
		break;
	case K_V2P:
		/* mostly the 4-byte aligned addresses it takes */
		mi->mapped = (void *)(pick_addr(f) &
				      (rpct(&f->r, 70) ? ~3UL : ~0UL));
		break;
	default:
		mi->phys_addr = pick_phys(f);
		break;
	}
}

/* @wide: sizes are 64-bit (LP64, or a 32-on-64 SDK layout) */
static void exp_alloc(struct fz *f, const struct mmb_info *mi, bool v2,
		      bool wide, struct exp *x)
{
	uint64_t lim = (wide ? UINT64_MAX : UINT32_MAX) - T_PAGE + 1;
	uint64_t size = mi->size;
	char zn[HIL_MMZ_NAME_LEN];
	int z;

	(void)f;
	/* names are cut at their last byte and any align is rounded up */
	if (!size || size > lim || (v2 && mi->order > 1)) {
		ex_one(x, EINVAL);
		return;
	}
	memcpy(zn, mi->mmz_name, sizeof(zn));
	zn[sizeof(zn) - 1] = '\0';
	z = zone_named(zn);
	/* a gfp selects only zones of that gfp, as the vendor's filter */
	if (z < 0 || (mi->gfp && mi->gfp != t_zone_at(z)->gfp)) {
		ex_one(x, ENOENT);
		return;
	}
	ex_one(x, ENOMEM);
	if (((size + T_PAGE - 1) & ~(uint64_t)(T_PAGE - 1)) <=
	    t_zone_at(z)->size)
		ex_add(x, 0);
}

static void after_alloc(struct fz *f, struct mmb_info *mi, int slot)
{
	const struct tzone *z;
	unsigned long size = (mi->size + T_PAGE - 1) & ~(T_PAGE - 1);
	/* any align, rounded up to a page multiple (0 if that overflows) */
	unsigned long align = mi->align > T_PAGE ?
		(mi->align + T_PAGE - 1) / T_PAGE * T_PAGE : T_PAGE;
	struct mmz_block_info bi;
	struct blk *b;
	int zi = zone_named(mi->mmz_name), i;

	ADD(f->st->allocs, 1);
	z = zi >= 0 ? t_zone_at(zi) : NULL;
	if (!z || mi->phys_addr - z->phys >= z->size ||
	    size > z->phys + z->size - mi->phys_addr ||
	    !align || mi->phys_addr % align)
		fz_fail(f, "ALLOC(size %#lx, align %#lx, zone \"%.32s\") gave "
			"%#lx: outside the zone or misaligned", mi->size,
			mi->align, mi->mmz_name, mi->phys_addr);
	for (i = 0; i < f->nblk; i++)
		if (mi->phys_addr < f->blk[i].phys + f->blk[i].size &&
		    f->blk[i].phys < mi->phys_addr + size)
			fz_fail(f, "ALLOC gave %#lx+%#lx over our block "
				"%#lx+%#lx", mi->phys_addr, size,
				f->blk[i].phys, f->blk[i].size);
	if (f->nblk == MAXBLK) {	/* cannot happen: callers check */
		fz_fail(f, "block table full");
		return;
	}
	b = &f->blk[f->nblk++];
	b->phys = mi->phys_addr;
	b->size = size;
	b->slot = slot;
	b->zone = zi;
	b->handle = NULL;
	b->all = false;
	b->rcached = 0;		/* write-combine before any REMAP */
	memcpy(b->name, mi->mmb_name, sizeof(b->name));
	/*
	 * 15 characters, all that every layout shows (a generation-3 name
	 * keeps the 'Z's alt_encode() puts after a name with no NUL)
	 */
	b->name[sizeof(b->name) - 1] = 0;

	if (rpct(&f->r, 10)) {
		memset(&bi, 0, sizeof(bi));
		bi.phys = b->phys;
		i = hz_ioctl(f, f->fd[0], MMZ_IOC_BLOCK_INFO, &bi);
		if (i || bi.phys != b->phys || bi.size != b->size ||
		    bi.owner_pid != getpid() || bi.zone_index != (__u32)zi ||
		    strncmp(bi.name, b->name, sizeof(bi.name)))
			fz_fail(f, "BLOCK_INFO of new block %#lx+%#lx: %s, "
				"phys %#llx size %#llx pid %d zone %u "
				"name \"%.16s\"", b->phys, b->size,
				t_errname(i), (unsigned long long)bi.phys,
				(unsigned long long)bi.size, bi.owner_pid,
				bi.zone_index, bi.name);
	}
	if (rpct(&f->r, 4) && b->size <= (64 << 10) &&
	    f->fflags[b->slot] != FD_RDONLY)
		check_zeroed(f, b);
}

static void exp_attr(struct fz *f, unsigned long phys, struct exp *x)
{
	if (blk_holding(f, phys) || map_of_phys(f, phys))
		ex_one(x, 0);
	else {
		ex_one(x, 0);
		ex_add(x, ENOENT);
	}
}

static void check_attr(struct fz *f, int slot, unsigned long phys,
		       const struct mmb_info *mi)
{
	const struct blk *b = blk_holding(f, phys);
	const struct map *m;
	bool plain = false;
	int i;

	if (!b)
		return;
	if (mi->phys_addr != b->phys || mi->size != b->size ||
	    strncmp(mi->mmb_name, b->name, sizeof(b->name) - 1) ||
	    strcmp(mi->mmz_name, t_zone_at(b->zone)->name))
		fz_fail(f, "ATTR(%#lx): block %#lx+%#lx \"%.16s\" in \"%s\", "
			"got %#lx+%#lx \"%.16s\" in \"%.32s\"", phys, b->phys,
			b->size, b->name, t_zone_at(b->zone)->name,
			mi->phys_addr, mi->size, mi->mmb_name, mi->mmz_name);
	m = map_remap(f, slot, b->phys);
	if (m) {
		if (mi->mapped != m->addr)
			fz_fail(f, "ATTR(%#lx).mapped %p, REMAP mapping is %p",
				phys, mi->mapped, m->addr);
		return;
	}
	for (i = 0; i < f->nmap; i++) {
		m = &f->map[i];
		if (m->slot != slot || m->phys != b->phys)
			continue;
		plain = true;
		if (mi->mapped == m->addr)
			return;
	}
	if (plain || mi->mapped)
		fz_fail(f, "ATTR(%#lx).mapped %p: not this fd's mapping of the "
			"block", phys, mi->mapped);
}

/* The REMAP of (slot, phys) the kernel reports, through ATTR. */
static void *remap_addr(struct fz *f, int slot, unsigned long phys)
{
	struct mmb_info mi;

	if (attr_of(f, slot, phys, &mi))
		return NULL;
	return mi.mapped;
}

static void put_w(unsigned char *b, unsigned int off, unsigned int w,
		  uint64_t v)
{
	uint32_t v32 = (uint32_t)v;

	if (w == 8)
		memcpy(b + off, &v, 8);
	else
		memcpy(b + off, &v32, 4);
}

static uint64_t get_w(const unsigned char *b, unsigned int off,
		      unsigned int w)
{
	uint32_t v32;
	uint64_t v;

	if (w == 8) {
		memcpy(&v, b + off, 8);
		return v;
	}
	memcpy(&v32, b + off, 4);
	return v32;
}

/*
 * @mi in layout @a; every other byte is garbage. A block name without NUL
 * stays without one in a longer field (still refused), one with a NUL is
 * NUL-padded (the same name).
 */
static void alt_encode(struct fz *f, const struct alt *a,
		       const struct mmb_info *mi, unsigned char *b)
{
	unsigned int i;

	for (i = 0; i < a->size; i++)
		b[i] = (unsigned char)rnext(&f->r);
	put_w(b, 0, a->w, mi->phys_addr);
	put_w(b, a->align, a->w, mi->align);
	put_w(b, a->sz, a->w, mi->size);
	put_w(b, a->order, 4, mi->order);
	put_w(b, a->mapped, a->pw, (uintptr_t)mi->mapped);
	put_w(b, a->w32, a->pw, mi->w32_stuf);
	memcpy(b + a->mmb, mi->mmb_name, sizeof(mi->mmb_name));
	memset(b + a->mmb + sizeof(mi->mmb_name),
	       memchr(mi->mmb_name, 0, sizeof(mi->mmb_name)) ? 0 : 'Z',
	       a->mmb_len - sizeof(mi->mmb_name));
	memcpy(b + a->mmz, mi->mmz_name, sizeof(mi->mmz_name));
	put_w(b, a->gfp, a->pw, mi->gfp);
}

static void alt_decode(const struct alt *a, const unsigned char *b,
		       struct mmb_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->phys_addr = (unsigned long)get_w(b, 0, a->w);
	mi->align = (unsigned long)get_w(b, a->align, a->w);
	mi->size = (unsigned long)get_w(b, a->sz, a->w);
	mi->order = (unsigned int)get_w(b, a->order, 4);
	mi->mapped = (void *)(uintptr_t)get_w(b, a->mapped, a->pw);
	mi->w32_stuf = (unsigned long)get_w(b, a->w32, a->pw);
	memcpy(mi->mmb_name, b + a->mmb, sizeof(mi->mmb_name));
	memcpy(mi->mmz_name, b + a->mmz, sizeof(mi->mmz_name));
	mi->gfp = (unsigned long)get_w(b, a->gfp, a->pw);
}

static void op_mmb(struct fz *f)
{
	/*
	 * ALLOC, ALLOC_V2, ATTR, FREE, REMAP, REMAP_CACHED, UNMAP,
	 * VIRT_GET_PHYS, TEST_CACHE. What succeeds in the first, REMAPs,
	 * UNMAPs and TEST_CACHE costs milliseconds here (memremap, mmap
	 * under a debug kernel and TCG): they stay a minority.
	 */
	static const unsigned int w[] = { 3, 1, 12, 4, 1, 1, 5, 14, 1 };
	char db[160];
	unsigned int x, i;
	struct mmb_info mi, out;
	enum kind k = K_ALLOC;
	int slot = (int)rbelow(&f->r, NSLOT), fd = f->fd[slot], r;
	bool random = rpct(&f->r, 20);
	enum ploc loc = pick_loc(f);
	const struct alt *alt = NULL;
	unsigned char altbuf[128] __attribute__((aligned(8)));
	unsigned long cmd;
	struct blk *b;
	struct map *m;
	struct exp ex;
	void *arg, *before = NULL;

	for (i = 0, x = 0; i < 9; i++)
		x += w[i];
	x = (unsigned int)rbelow(&f->r, x);
	for (i = 0; i < 9; i++) {
		if (x < w[i]) {
			k = (enum kind)(K_ALLOC + i);
			break;
		}
		x -= w[i];
	}
	/* keep the tables from filling up */
	if ((k == K_ALLOC || k == K_ALLOC_V2) && f->nblk >= MAXBLK - 1)
		k = K_FREE;
	if ((k == K_REMAP || k == K_REMAP_C) && f->nmap >= MAXMAP - 1)
		k = K_UNMAP;
	if (k == K_FREE && f->nblk && rpct(&f->r, 70))
		random = false;
	fill_mmb(f, k, &mi, random);
	if (k == K_FREE && !random && f->nblk && rpct(&f->r, 75)) {
		b = &f->blk[rbelow(&f->r, f->nblk)];
		mi.phys_addr = b->phys;
		slot = rpct(&f->r, 85) ? b->slot : slot;
		fd = f->fd[slot];
	}
	if ((k == K_REMAP || k == K_REMAP_C || k == K_UNMAP) && !random &&
	    rpct(&f->r, 50)) {
		if (k == K_UNMAP && f->nmap && rpct(&f->r, 60)) {
			m = &f->map[rbelow(&f->r, f->nmap)];
			mi.phys_addr = m->phys;
			if (m->slot >= 0)
				slot = m->slot;
		} else if (f->nblk) {
			b = &f->blk[rbelow(&f->r, f->nblk)];
			mi.phys_addr = b->phys;
		}
		fd = f->fd[slot];
	}
	/* now and then the same request in another vendor layout */
	if (nalt && rpct(&f->r, 25)) {
		alt = &alts[rbelow(&f->r, nalt)];
		if (!alt_has(alt, k))
			alt = NULL;
	}
	snprintf(db, sizeof(db), "%s(phys %#lx size %#lx align %#lx order %u "
		 "mapped %p, fd %d%s, arg %s%s%s)", kind_name[k],
		 mi.phys_addr, mi.size, mi.align, mi.order, mi.mapped, slot,
		 f->fflags[slot] == FD_SYNC ? " O_SYNC" :
		 f->fflags[slot] == FD_RDONLY ? " O_RDONLY" : "",
		 ploc_name[loc], alt ? ", layout " : "",
		 alt ? alt->name : "");

	/* what docs/ABI.md says should happen */
	b = NULL;
	m = NULL;
	switch (k) {
	case K_ALLOC:
	case K_ALLOC_V2:
		exp_alloc(f, &mi, k == K_ALLOC_V2,
			  LP64 || (alt && alt->w == 8), &ex);
		break;
	case K_ATTR:
		exp_attr(f, mi.phys_addr, &ex);
		break;
	case K_FREE:
		b = blk_holding(f, mi.phys_addr);	/* any byte of it */
		if (b && b->slot != slot) {
			ex_one(&ex, EPERM);
		} else if (b) {
			/* EBUSY only for this fd's REMAPs and references */
			ex_one(&ex, blk_held_by_fd(f, b, slot) ? EBUSY : 0);
		} else {
			ex_one(&ex, ENOENT);
			ex_add(&ex, EPERM);
			ex_add(&ex, EALREADY);
		}
		break;
	case K_REMAP:
	case K_REMAP_C:
		b = blk_holding(f, mi.phys_addr);
		m = map_remap_holding(f, slot, mi.phys_addr);
		if (m) {
			ex_one(&ex, m->cached == (k == K_REMAP_C) ? 0 : EINVAL);
			/*
			 * Not ours: maybe pending delayed free, or its owner
			 * revoked the share we mapped it under
			 */
			if (!b) {
				ex_add(&ex, ENOENT);
				ex_add(&ex, EACCES);
			}
		} else if (b) {
			/* EINVAL: mapped in the other caching mode (PAT) */
			ex_one(&ex, f->fflags[slot] == FD_RDONLY ? EACCES : 0);
			ex_add(&ex, EINVAL);
		} else {
			ex_one(&ex, 0);
			ex_add(&ex, ENOENT);
			ex_add(&ex, EINVAL);
			ex_add(&ex, EACCES);
		}
		break;
	case K_UNMAP:
		m = map_remap_holding(f, slot, mi.phys_addr);
		if (m)
			ex_one(&ex, 0);
		else if (blk_holding(f, mi.phys_addr))
			ex_one(&ex, EINVAL);
		else {
			ex_one(&ex, ENOENT);
			ex_add(&ex, EINVAL);
		}
		break;
	case K_V2P:
		/* 4-byte aligned addresses only, as the vendor's */
		m = map_at_addr(f, (unsigned long)mi.mapped);
		ex_one(&ex, (uintptr_t)mi.mapped & 3 ? EINVAL : m ? 0 : ENOENT);
		break;
	default:	/* K_TEST_CACHE */
		if (blk_holding(f, mi.phys_addr))
			ex_one(&ex, 0);
		else {
			ex_one(&ex, 0);
			ex_add(&ex, ENOENT);
			ex_add(&ex, EACCES);
		}
		break;
	}
	if (!loc_readable(loc)) {
		ex_one(&ex, EFAULT);
	} else if (loc == PL_RO && k != K_FREE && k != K_TEST_CACHE &&
		   k != K_UNMAP) {
		/* no results written back: the call has no effect */
		ex_ro(&ex);
	}

	cmd = mmb_cmd[k - K_ALLOC];
	if (alt) {
		alt_encode(f, alt, &mi, altbuf);
		arg = place(f, loc, altbuf, alt->size);
		cmd = resized(cmd, alt->size);
	} else {
		arg = place(f, loc, &mi, sizeof(mi));
	}
	if (loc == PL_RO && (k == K_REMAP || k == K_REMAP_C) &&
	    blk_holding(f, mi.phys_addr))
		before = remap_addr(f, slot, mi.phys_addr);
	r = fz_ioctl(f, fd, cmd, (unsigned long)arg, k, false);
	if (loc == PL_OK && alt)
		alt_decode(alt, arg, &out);
	else if (loc == PL_OK)
		memcpy(&out, arg, sizeof(out));
	else
		memset(&out, 0, sizeof(out));
	m = k == K_UNMAP ? map_remap_holding(f, slot, mi.phys_addr) : NULL;
	hist_add(f, k, slot, loc, k == K_V2P ? out.phys_addr : mi.phys_addr,
		 k == K_V2P ? (unsigned long)mi.mapped :
		 k == K_REMAP || k == K_REMAP_C ? (unsigned long)out.mapped :
		 m ? (unsigned long)m->addr : 0, r);
	if (!ex_has(&ex, r)) {
		EXPECT(f, &ex, r, "%s", db);
		m = k == K_V2P ? map_at_addr(f, (unsigned long)mi.mapped) :
		    NULL;
		if (k != K_ALLOC && k != K_ALLOC_V2)
			hist_dump(f, m ? m->phys : mi.phys_addr,
				  k == K_V2P ? (unsigned long)mi.mapped : 0);
	}

	/* follow the kernel */
	switch (k) {
	case K_ALLOC:
	case K_ALLOC_V2:
		if (!r)
			after_alloc(f, &out, slot);
		break;
	case K_ATTR:
		if (!r)
			check_attr(f, slot, mi.phys_addr, &out);
		break;
	case K_FREE:
		b = blk_holding(f, mi.phys_addr);
		if (b && b->slot == slot && (!r || r == EBUSY))
			blk_drop(f, b);
		break;
	case K_REMAP:
	case K_REMAP_C:
		/* the mapping + the offset of phys in the block, as the vendor */
		m = map_remap_holding(f, slot, mi.phys_addr);
		if (!r && loc == PL_OK) {
			if (m) {
				if (out.mapped != m->addr + (mi.phys_addr -
							     m->phys))
					fz_fail(f, "%s: again gave %p, mapped "
						"at %p", db, out.mapped,
						m->addr);
				m->count++;
			} else {
				struct mmb_info ai;

				if (attr_of(f, slot, mi.phys_addr, &ai) ||
				    mi.phys_addr - ai.phys_addr >= ai.size) {
					fz_fail(f, "%s: mapped, but no ATTR",
						db);
					break;
				}
				map_add(f, (char *)out.mapped - (mi.phys_addr -
								 ai.phys_addr),
					ai.size, ai.phys_addr, slot, true,
					k == K_REMAP_C,
					PROT_READ | PROT_WRITE);
			}
		} else if (r && loc == PL_RO && blk_holding(f, mi.phys_addr)) {
			/* a failed REMAP must not have mapped anything */
			void *now = remap_addr(f, slot, mi.phys_addr);

			if (now != before) {
				fz_fail(f, "%s: failed with %s but the block "
					"is now mapped at %p (before: %p)", db,
					t_errname(r), now, before);
				if (!m && f->nmap < MAXMAP) {
					struct mmb_info ai;

					attr_of(f, slot, mi.phys_addr, &ai);
					map_add(f, now, ai.size, ai.phys_addr,
						slot, true, k == K_REMAP_C,
						PROT_READ | PROT_WRITE);
				}
			}
		}
		break;
	case K_UNMAP:
		m = map_remap_holding(f, slot, mi.phys_addr);
		if (m && loc_readable(loc) && (!r || r == EFAULT)) {
			/* EFAULT: unmapped anyway, the write-back failed */
			if (r)
				fz_fail(f, "%s: unmapped, then failed with %s",
					db, t_errname(r));
			if (--m->count == 0)
				map_drop(f, m);
		}
		break;
	case K_V2P:
		m = map_at_addr(f, (unsigned long)mi.mapped);
		if (!r && m && loc == PL_OK) {
			unsigned long off = (unsigned long)mi.mapped -
					    (unsigned long)m->addr;

			/* bit 0 says cached; x86: one type per block */
			if ((out.phys_addr & ~1UL) != m->phys + off ||
			    (out.phys_addr & 1) != (out.flags & 1) ||
			    ((out.flags & 1) != m->cached && m->type_known &&
			     !T_ONE_MEMTYPE))
				fz_fail(f, "%s: phys %#lx flags %#x, expected "
					"%#lx, cached %d", db, out.phys_addr,
					(unsigned int)out.flags, m->phys + off,
					m->cached);
		}
		break;
	default:
		break;
	}
}

/* ---- ADD_REF, DEC_REF, FLUSH_DCACHE: the argument is a value ---- */

static void op_val(struct fz *f)
{
	int slot = (int)rbelow(&f->r, NSLOT), r;
	unsigned int x = (unsigned int)rbelow(&f->r, 12);
	enum kind k = x < 5 ? K_ADD_REF : x < 10 ? K_DEC_REF : K_FLUSH;
	unsigned long phys = pick_phys(f), cmd;
	struct ref *rf;
	struct exp ex;

	if (k == K_ADD_REF && f->nref >= MAXREF)
		k = K_DEC_REF;
	if (k == K_DEC_REF && f->nref && rpct(&f->r, 60)) {
		rf = &f->ref[rbelow(&f->r, f->nref)];
		phys = rf->phys;
		slot = rf->slot;
	}
	if (k == K_FLUSH && rpct(&f->r, 30))
		phys = 0;
	rf = ref_find(f, slot, phys);
	switch (k) {
	case K_ADD_REF:
		cmd = IOC_MMB_ADD_REF;
		if (blk_holding(f, phys))	/* any byte of the block */
			ex_one(&ex, 0);
		else {
			ex_one(&ex, 0);
			ex_add(&ex, ENOENT);
			ex_add(&ex, EACCES);
		}
		break;
	case K_DEC_REF:
		cmd = IOC_MMB_DEC_REF;
		if (rf)
			ex_one(&ex, 0);
		else if (blk_holding(f, phys))
			ex_one(&ex, EINVAL);
		else {
			ex_one(&ex, ENOENT);
			ex_add(&ex, EINVAL);
		}
		break;
	default:
		cmd = IOC_MMB_FLUSH_DCACHE;
		if (!phys || blk_holding(f, phys))
			ex_one(&ex, 0);
		else {
			ex_one(&ex, 0);
			ex_add(&ex, ENOENT);
			ex_add(&ex, EACCES);
		}
		break;
	}
	r = fz_ioctl(f, f->fd[slot], cmd, phys, k, false);
	hist_add(f, k, slot, PL_OK, phys, 0, r);
	if (!ex_has(&ex, r)) {
		EXPECT(f, &ex, r, "%s(%#lx, fd %d)", kind_name[k], phys, slot);
		hist_dump(f, phys, 0);
	}
	if (r)
		return;
	if (k == K_ADD_REF) {
		const struct blk *b = blk_holding(f, phys);
		struct mmb_info ai;

		if (rf) {
			rf->count++;
		} else if (f->nref < MAXREF) {
			/* keyed by the block: ATTR, as the reference holds it */
			if (b) {
				ai.phys_addr = b->phys;
				ai.size = b->size;
			} else if (attr_of(f, slot, phys, &ai) ||
				   phys - ai.phys_addr >= ai.size) {
				fz_fail(f, "ADD_REF(%#lx): no ATTR after", phys);
				return;
			}
			rf = &f->ref[f->nref++];
			rf->phys = ai.phys_addr;
			rf->size = ai.size;
			rf->slot = slot;
			rf->count = 1;
		}
	} else if (k == K_DEC_REF && rf && --rf->count == 0) {
		*rf = f->ref[--f->nref];
	}
}

/* ---- FLUSH_DCACHE_DIRTY ---- */

static void op_dirty(struct fz *f)
{
	struct dirty_area da = { 0 };
	int slot = (int)rbelow(&f->r, NSLOT), r;
	enum ploc loc = pick_loc(f);
	unsigned char sdk[SDK_DIRTY_SIZE] __attribute__((aligned(8)));
	unsigned long off, cmd;
	unsigned int i;
	struct map *m;
	struct exp ex;
	void *arg;

	if (f->nmap && rpct(&f->r, 60)) {
		m = &f->map[rbelow(&f->r, f->nmap)];
		off = rbelow(&f->r, m->len);
		da.dirty_virt_start = m->addr + off;
		da.dirty_phys_start = m->phys + off;
		da.dirty_size = 1 + rbelow(&f->r, m->len - off);
		switch (rbelow(&f->r, 8)) {
		case 0: da.dirty_phys_start += small_delta(&f->r); break;
		case 1: da.dirty_size += 1 + rbelow(&f->r, 8192); break;
		case 2: da.dirty_size = rpct(&f->r, 50) ? 0 : rv_ulong(f); break;
		case 3: da.dirty_virt_start = (char *)da.dirty_virt_start +
					      small_delta(&f->r); break;
		default: break;
		}
	} else {
		da.dirty_phys_start = pick_phys(f);
		da.dirty_virt_start = (void *)pick_addr(f);
		da.dirty_size = rpct(&f->r, 50) ? pick_size(f) : rv_ulong(f);
	}
	m = map_at_addr(f, (unsigned long)da.dirty_virt_start);
	off = m ? (unsigned long)da.dirty_virt_start - (unsigned long)m->addr :
		  0;
	if (!loc_readable(loc))
		ex_one(&ex, EFAULT);
	else if (m && da.dirty_size && da.dirty_size <= m->len - off &&
		 da.dirty_phys_start == m->phys + off)
		ex_one(&ex, 0);
	else
		ex_one(&ex, EINVAL);
	cmd = IOC_MMB_FLUSH_DCACHE_DIRTY;
	if (sdk32on64 && rpct(&f->r, 25)) {
		/* the 32-on-64 SDK's layout, garbage in the padding */
		for (i = 0; i < SDK_DIRTY_SIZE; i++)
			sdk[i] = (unsigned char)rnext(&f->r);
		put_w(sdk, 0, 8, da.dirty_phys_start);
		put_w(sdk, 8, 4, (uintptr_t)da.dirty_virt_start);
		put_w(sdk, 16, 8, da.dirty_size);
		arg = place(f, loc, sdk, SDK_DIRTY_SIZE);
		cmd = resized(cmd, SDK_DIRTY_SIZE);
	} else {
		arg = place(f, loc, &da, sizeof(da));
	}
	r = fz_ioctl(f, f->fd[slot], cmd, (unsigned long)arg, K_DIRTY, false);
	EXPECT(f, &ex, r, "FLUSH_DIRTY(phys %#lx virt %p size %#lx, arg %s%s)",
	       da.dirty_phys_start, da.dirty_virt_start, da.dirty_size,
	       ploc_name[loc], cmd == IOC_MMB_FLUSH_DCACHE_DIRTY ? "" :
	       ", SDK layout");
}

/* ---- the 'z' extensions ---- */

static pid_t pick_pid(struct fz *f, bool *maybe_gone)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);

	*maybe_gone = false;
	if (x < 30)
		return getpid();
	if (x < 65) {
		*maybe_gone = true;	/* a sibling may have finished */
		return f->sh->pids[rbelow(&f->r, f->sh->nproc)];
	}
	if (x < 75)
		return getppid();
	if (x < 80)
		return 1;
	if (x < 90)
		return (pid_t)rv_ulong(f);
	*maybe_gone = true;
	return 4000000 + (pid_t)rbelow(&f->r, 100000);	/* above pid_max */
}

/* ---- generation 3's 's' commands (struct mmb_share_info) ---- */

/* from the vendor header: unsigned long, two pointers, unsigned long, int */
struct fz_share_info {
	unsigned long phys_addr;
	void *virt_addr;
	void *mem_handle;
	unsigned long offset;
	int shared_pid;
};

static const unsigned long share_cmds[] = {
	_IOW('s', 40, struct fz_share_info),	/* MEM_SHARE */
	_IOW('s', 41, struct fz_share_info),	/* MEM_UNSHARE */
	_IOW('s', 42, struct fz_share_info),	/* MEM_SHARE_ALL */
	_IOW('s', 43, struct fz_share_info),	/* MEM_UNSHARE_ALL */
	_IOWR('s', 44, struct fz_share_info),	/* VIRT_GET_SYS_MEM */
	_IOWR('s', 45, struct fz_share_info),	/* PHYS_GET_SYS_MEM */
	_IOWR('s', 46, struct fz_share_info),	/* HANDLE_GET_SYS_MEM */
};
#define NSHARE_CMDS (sizeof(share_cmds) / sizeof(share_cmds[0]))

/* The block a handle we were given names, or NULL. */
static struct blk *blk_of_handle(struct fz *f, const void *h)
{
	int i;

	for (i = 0; h && i < f->nblk; i++)
		if (f->blk[i].handle == h)
			return &f->blk[i];
	return NULL;
}

/*
 * The answer the model expects. Our own blocks are fully known (this
 * process allocated them, so it owns them and may use them); a handle,
 * address or mapping of anything else may name another process's block.
 */
static struct blk *share_expect(struct fz *f, unsigned int nr,
				const struct fz_share_info *si, pid_t pid,
				unsigned long *want_off, struct exp *x)
{
	struct blk *b = NULL;
	struct map *m;
	unsigned long p;

	ex_one(x, EINVAL);
	*want_off = 0;
	switch (nr) {
	case 44:
		m = map_at_addr(f, (unsigned long)si->virt_addr);
		if (!m || (uintptr_t)si->virt_addr & 3)
			break;		/* not a word of an mmz mapping of ours */
		p = m->phys + ((unsigned long)si->virt_addr -
			       (unsigned long)m->addr);
		b = blk_holding(f, p);
		if (b) {
			ex_one(x, 0);
			*want_off = p - b->phys;
		} else {
			ex_add(x, 0);	/* another's block, or map_mmz= */
		}
		break;
	case 45:
		b = blk_holding(f, si->phys_addr);
		if (b) {
			ex_one(x, 0);
			*want_off = si->phys_addr - b->phys;
		} else {
			ex_add(x, 0);
			ex_add(x, EPERM);
		}
		break;
	default:
		b = blk_of_handle(f, si->mem_handle);
		if (!b) {
			ex_add(x, 0);
			ex_add(x, EPERM);
		} else if (nr == 46 || nr == 42 || nr == 43) {
			ex_one(x, 0);
		} else if (b->all || pid == getpid()) {
			ex_one(x, EPERM);	/* shared with all; the owner */
		} else {
			ex_one(x, 0);		/* SHARE: EPERM when full */
			ex_add(x, EPERM);	/* UNSHARE: when not shared */
		}
		break;
	}
	return b;
}

static void op_memshare(struct fz *f)
{
	unsigned int nr = 40 + (unsigned int)rbelow(&f->r, 7);
	unsigned long cmd = share_cmds[nr - 40], want_off;
	int slot = (int)rbelow(&f->r, NSLOT), r;
	enum ploc loc = pick_loc(f);
	struct fz_share_info si, *arg;
	struct blk *b;
	struct map *m;
	struct exp ex;
	bool gone;

	memset(&si, 0, sizeof(si));
	si.shared_pid = pick_pid(f, &gone);
	if (f->nmap && rpct(&f->r, 60)) {
		m = &f->map[rbelow(&f->r, f->nmap)];
		/* mostly a 4-byte aligned address, as the vendor takes */
		si.virt_addr = m->addr + (rbelow(&f->r, m->len) &
					  (rpct(&f->r, 80) ? ~3UL : ~0UL));
	} else {
		si.virt_addr = (void *)pick_addr(f);
	}
	if (f->nblk && rpct(&f->r, 70)) {
		b = &f->blk[rbelow(&f->r, f->nblk)];
		si.phys_addr = b->phys + rbelow(&f->r, b->size);
		si.mem_handle = b->handle;
	} else {
		si.phys_addr = pick_phys(f);
		si.mem_handle = (void *)rv_ulong(f);
	}
	b = share_expect(f, nr, &si, si.shared_pid, &want_off, &ex);
	if (!loc_readable(loc))
		ex_one(&ex, EFAULT);
	else if (loc == PL_RO && nr >= 44)
		ex_ro(&ex);
	arg = place(f, loc, &si, sizeof(si));
	r = fz_ioctl(f, f->fd[slot], cmd, (unsigned long)arg, K_MEMSHARE,
		     false);
	EXPECT(f, &ex, r, "'s' %u(phys %#lx virt %p handle %p pid %d, arg %s)",
	       nr, si.phys_addr, si.virt_addr, si.mem_handle, si.shared_pid,
	       ploc_name[loc]);
	if (r || !b)
		return;
	if (nr == 42 || nr == 43)
		b->all = nr == 42;
	if (nr < 44)
		return;
	memcpy(&si, arg, sizeof(si));
	if (si.phys_addr != b->phys || si.offset != want_off ||
	    !si.mem_handle || (b->handle && si.mem_handle != b->handle))
		fz_fail(f, "'s' %u: block %#lx, got phys %#lx offset %#lx "
			"(want %#lx) handle %p (known %p)", nr, b->phys,
			si.phys_addr, si.offset, want_off, si.mem_handle,
			b->handle);
	b->handle = si.mem_handle;
}

/*
 * /proc/media-mem while everything changes: one ZONE line per zone, the
 * summary, and well-formed MMB lines inside the zone they follow.
 */
static void op_proc(struct fz *f)
{
	char *t = t_read_file(MEDIA_MEM), *line, *save = NULL;
	unsigned long a, b, zs = 0, ze = 0;
	int zones = 0, summary = 0, imports = 0, bad = 0;

	ADD(f->st->checks, 1);
	if (!t) {
		fz_fail(f, "%s: %s", MEDIA_MEM, strerror(errno));
		return;
	}
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "+---ZONE: PHYS(0x%lx, 0x%lx)", &a, &b) == 2) {
			zones++;
			zs = a;
			ze = b;
		} else if (sscanf(line, "   |-MMB: phys(0x%lx, 0x%lx)", &a,
				  &b) == 2) {
			if (a > b || a < zs || b > ze || a & (T_PAGE - 1))
				bad++;
		} else if (!strncmp(line, "---MMZ_USE_INFO:", 16)) {
			summary++;
		} else if (!strncmp(line, "---MMZ_IMPORTS: number=", 23)) {
			/* imported dma-bufs (a sibling's), after the summary */
			imports++;
			bad += !summary;
			zs = 0;
			ze = ULONG_MAX;
		} else if (strncmp(line, " total size=", 12)) {
			bad++;
		}
	}
	if (zones != t_zone_count() || summary != 1 || imports > 1 || bad)
		fz_fail(f, "%s: %d zone lines, %d summaries, %d import "
			"headers, %d bad lines", MEDIA_MEM, zones, summary,
			imports, bad);
	free(t);
}

static void op_z(struct fz *f)
{
	unsigned int x = (unsigned int)rbelow(&f->r, 100);
	int slot = (int)rbelow(&f->r, NSLOT), r, hbuf = -1;
	enum ploc loc = pick_loc(f);
	union {
		struct mmz_version v;
		struct mmz_zone_info zi;
		struct mmz_block_info bi;
		struct mmz_export ex;
		struct mmz_import im;
		struct mmz_share sh;
		struct mmz_check ck;
	} u, out;
	unsigned long cmd;
	size_t len;
	enum kind k;
	struct exp ex;
	bool gone;
	void *arg;

	memset(&u, 0, sizeof(u));
	if (rpct(&f->r, 10))	/* garbage in every byte */
		for (len = 0; len < sizeof(u); len++)
			((unsigned char *)&u)[len] = (unsigned char)rnext(&f->r);
	if (x < 10) {
		k = K_VERSION;
		cmd = MMZ_IOC_VERSION;
		len = sizeof(u.v);
		ex_one(&ex, loc == PL_OK ? 0 : EFAULT);
	} else if (x < 30) {
		k = K_ZONE_INFO;
		cmd = MMZ_IOC_ZONE_INFO;
		len = sizeof(u.zi);
		u.zi.index = rpct(&f->r, 70) ?
			     (__u32)rbelow(&f->r, t_zone_count() + 2) :
			     (__u32)rv_ulong(f);
		ex_one(&ex, u.zi.index < (__u32)t_zone_count() ? 0 : ENOENT);
	} else if (x < 55) {
		k = K_BLOCK_INFO;
		cmd = MMZ_IOC_BLOCK_INFO;
		len = sizeof(u.bi);
		u.bi.phys = rpct(&f->r, 80) ? pick_phys(f) : rnext(&f->r);
		ex_one(&ex, 0);
		ex_add(&ex, ENOENT);
	} else if (x < 57) {
		static const __u32 modes[] = { O_RDONLY, O_WRONLY, O_RDWR };

		k = K_EXPORT;
		cmd = MMZ_IOC_EXPORT_DMABUF;
		len = sizeof(u.ex);
		u.ex.phys = pick_phys(f);
		u.ex.flags = rpct(&f->r, 85) ?
			     modes[rbelow(&f->r, 3)] |
			     (rpct(&f->r, 50) ? O_CLOEXEC : 0) :
			     (__u32)rnext(&f->r);
		if ((u.ex.flags & ~(__u32)(O_CLOEXEC | O_ACCMODE)) ||
		    (u.ex.flags & O_ACCMODE) == O_ACCMODE) {
			ex_one(&ex, EINVAL);
		} else {
			/* no block, a freed one, or not ours to use */
			ex_one(&ex, 0);
			ex_add(&ex, ENOENT);
			ex_add(&ex, EACCES);
		}
	} else if (x < 60) {
		/*
		 * a one-page system heap buffer, which imports (and is freed
		 * at once), or no dma-buf: no fd, or one of another kind
		 */
		static const int fds[] = { -1, 0, 1, 2, 100000, INT32_MIN };

		k = K_IMPORT;
		cmd = MMZ_IOC_IMPORT_DMABUF;
		len = sizeof(u.im);
		hbuf = rpct(&f->r, 30) ? heap_page(f) : -1;
		u.im.fd = hbuf >= 0 ? hbuf : rpct(&f->r, 50) ?
			  f->fd[rbelow(&f->r, NSLOT)] : fds[rbelow(&f->r, 6)];
		u.im.flags = rpct(&f->r, 85) ? 0 : (__u32)rnext(&f->r);
		if (u.im.flags) {
			ex_one(&ex, EINVAL);
		} else if (hbuf >= 0) {
			ex_one(&ex, 0);
			ex_add(&ex, ENOMEM);
		} else {
			ex_one(&ex, EBADF);
			ex_add(&ex, EINVAL);
		}
	} else if (x < 92) {
		k = K_SHARE;
		cmd = MMZ_IOC_SHARE;
		len = sizeof(u.sh);
		u.sh.phys = pick_phys(f);
		if (f->nblk && rpct(&f->r, 50))
			u.sh.phys = f->blk[rbelow(&f->r, f->nblk)].phys;
		u.sh.pid = pick_pid(f, &gone);
		u.sh.flags = rpct(&f->r, 85) ? (__u32)rbelow(&f->r, 2) :
			     (__u32)rnext(&f->r);
		if ((u.sh.flags & ~MMZ_SHARE_REVOKE) || u.sh.pid <= 0) {
			ex_one(&ex, EINVAL);
		} else if (u.sh.pid >= 4000000) {
			ex_one(&ex, ESRCH);	/* above PID_MAX_LIMIT */
		} else {
			if (blk_at(f, u.sh.phys))
				ex_one(&ex, 0);
			else if (blk_holding(f, u.sh.phys))
				ex_one(&ex, ENOENT);	/* not its start */
			else {
				ex_one(&ex, 0);
				ex_add(&ex, ENOENT);
				ex_add(&ex, EPERM);
			}
			if (gone)
				ex_add(&ex, ESRCH);
		}
	} else {
		k = K_CHECK;
		cmd = MMZ_IOC_CHECK;
		len = sizeof(u.ck);
		ex_one(&ex, f->nocap ? EPERM : loc == PL_OK ? 0 : EFAULT);
	}
	if (k == K_SHARE && !ex.any && u.sh.pid > 1 && u.sh.pid < 4000000 &&
	    u.sh.pid != getpid() && u.sh.pid != getppid()) {
		int i;

		for (i = 0; i < f->sh->nproc; i++)
			if (u.sh.pid == f->sh->pids[i])
				break;
		if (i == f->sh->nproc)	/* a random pid: may exist */
			ex_any(&ex);
	}
	if (k != K_VERSION && k != K_CHECK) {
		if (!loc_readable(loc))
			ex_one(&ex, EFAULT);
		else if (loc == PL_RO && k != K_SHARE)
			ex_ro(&ex);
	}
	arg = place(f, loc, &u, len);
	r = fz_ioctl(f, f->fd[slot], cmd, (unsigned long)arg, k, false);
	EXPECT(f, &ex, r, "%s(arg %s, phys/index %#llx, pid %d, flags %#x)",
	       kind_name[k], ploc_name[loc],
	       k == K_ZONE_INFO ? (unsigned long long)u.zi.index :
	       (unsigned long long)u.bi.phys, k == K_SHARE ? u.sh.pid : 0,
	       k == K_SHARE ? u.sh.flags : 0);
	if (hbuf >= 0)
		close(hbuf);	/* an import holds its own reference */
	if (r || loc != PL_OK)
		return;
	memcpy(&out, arg, len);
	switch (k) {
	case K_EXPORT:
		/* mmz's own memory does not import */
		if (out.ex.fd >= 0 && rpct(&f->r, 30)) {
			struct mmz_import im = { .fd = out.ex.fd };

			r = hz_ioctl(f, f->fd[slot], MMZ_IOC_IMPORT_DMABUF,
				     &im);
			if (r != EEXIST)
				fz_fail(f, "IMPORT_DMABUF of our own dma-buf "
					"of %#llx: %s", (unsigned long long)
					u.ex.phys, t_errname(r));
		}
		/* the dma-buf holds its block: close it, or the zone stays */
		if (out.ex.fd < 0 || close(out.ex.fd))
			fz_fail(f, "EXPORT_DMABUF: fd %d", out.ex.fd);
		break;
	case K_IMPORT: {
		struct mmb_info mi;

		memset(&mi, 0, sizeof(mi));
		mi.phys_addr = (unsigned long)out.im.phys;
		ADD(f->st->imports, 1);
		r = hz_ioctl(f, f->fd[slot], IOC_MMB_FREE, &mi);
		if (r)
			fz_fail(f, "FREE of the import at %#llx: %s",
				(unsigned long long)out.im.phys,
				t_errname(r));
		break;
	}
	case K_VERSION:
		if (out.v.abi_major != MMZ_ABI_MAJOR ||
		    out.v.abi_minor < MMZ_ABI_MINOR ||
		    !(out.v.features & MMZ_FEAT_SHARE) ||
		    !(out.v.features & MMZ_FEAT_CHECK) ||
		    !(out.v.features & MMZ_FEAT_DMABUF) ||
		    !!(out.v.features & MMZ_FEAT_CMA) != f->cma)
			fz_fail(f, "VERSION: %u.%u features %#llx",
				out.v.abi_major, out.v.abi_minor,
				(unsigned long long)out.v.features);
		break;
	case K_ZONE_INFO: {
		const struct tzone *z = t_zone_at((int)u.zi.index);

		if (out.zi.index != u.zi.index || out.zi.phys != z->phys ||
		    out.zi.size != z->size || strcmp(out.zi.name, z->name) ||
		    out.zi.used > out.zi.size)
			fz_fail(f, "ZONE_INFO(%u): \"%.32s\" %#llx+%#llx used "
				"%#llx", u.zi.index, out.zi.name,
				(unsigned long long)out.zi.phys,
				(unsigned long long)out.zi.size,
				(unsigned long long)out.zi.used);
		break;
	}
	case K_BLOCK_INFO:
		/* zone index UINT32_MAX: an import (a sibling's), anywhere */
		if (out.bi.phys < u.bi.phys || !out.bi.size ||
		    (out.bi.zone_index != UINT32_MAX &&
		     (out.bi.zone_index >= (__u32)t_zone_count() ||
		      zone_of((unsigned long)out.bi.phys) !=
		      (int)out.bi.zone_index)))
			fz_fail(f, "BLOCK_INFO(%#llx): %#llx+%#llx zone %u",
				(unsigned long long)u.bi.phys,
				(unsigned long long)out.bi.phys,
				(unsigned long long)out.bi.size,
				out.bi.zone_index);
		else if (!blk_at(f, (unsigned long)out.bi.phys)) {
			f->foreign[f->nforeign < MAXFOR ? f->nforeign++ :
				   (int)rbelow(&f->r, MAXFOR)] =
				(unsigned long)out.bi.phys;
		}
		break;
	case K_CHECK:
		if (out.ck.violations || out.ck.zones != (__u32)t_zone_count())
			fz_fail(f, "MMZ_IOC_CHECK: %u violation(s), %u zones",
				out.ck.violations, out.ck.zones);
		break;
	default:
		break;
	}
}

/* ---- command numbers that are not (quite) ours ---- */

static bool vfs_type(unsigned int cmd)
{
	unsigned int t = _IOC_TYPE(cmd);

	/* FIONBIO, FIOCLEX, FIFREEZE, FS_IOC_*, FICLONE, FIBMAP, ... */
	return t == 0 || t == 'T' || t == 'X' || t == 'f' || t == 0x94;
}

/* Is @cmd one the module serves this word size, in any layout? */
static bool served(unsigned int cmd)
{
	unsigned int i, j;

	for (i = 0; i < NKNOWN; i++)
		if ((unsigned int)known_cmds[i].cmd == cmd)
			return true;
	for (i = 0; i < nalt; i++) {
		for (j = 0; j <= K_TEST_CACHE - K_ALLOC; j++)
			if (alt_has(&alts[i], (enum kind)(K_ALLOC + j)) &&
			    resized(mmb_cmd[j], alts[i].size) == cmd)
				return true;
		/* generation 3's 'm' 24 and 25 (layouts.c tests them) */
		if (!alts[i].v2 &&
		    (cmd == resized(_IOW('m', 24, struct mmb_info),
				    alts[i].size) ||
		     cmd == resized(_IOW('m', 25, struct mmb_info),
				    alts[i].size)))
			return true;
	}
	for (i = 0; i < NSHARE_CMDS; i++)
		if (cmd == share_cmds[i])
			return true;
	return sdk32on64 && cmd == resized(IOC_MMB_FLUSH_DCACHE_DIRTY,
					   SDK_DIRTY_SIZE);
}

static void op_badcmd(struct fz *f)
{
	/* every vendor size: the ones this word size is not served */
	static const unsigned int sizes[] = { 0, 8, 12, 16, 24, 64, 76, 80,
					      88, 96, 104, 112, 120, 0x3fff };
	unsigned int base = (unsigned int)known_cmds[rbelow(&f->r,
							       NKNOWN)].cmd;
	unsigned char junk[64];
	unsigned int cmd, i;
	unsigned long arg;
	struct exp ex;
	int r;

	switch (rbelow(&f->r, 5)) {
	case 0:		/* wrong size */
		cmd = _IOC(_IOC_DIR(base), _IOC_TYPE(base), _IOC_NR(base),
			   sizes[rbelow(&f->r, sizeof(sizes) /
					   sizeof(sizes[0]))]);
		break;
	case 1:		/* wrong direction */
		cmd = _IOC((unsigned int)rbelow(&f->r, 4), _IOC_TYPE(base),
			   _IOC_NR(base), _IOC_SIZE(base));
		break;
	case 2:		/* a neighbour */
		cmd = _IOC(_IOC_DIR(base), _IOC_TYPE(base),
			   (_IOC_NR(base) + 1 + rbelow(&f->r, 255)) & 0xff,
			   _IOC_SIZE(base));
		break;
	case 3:		/* our types, any number */
		cmd = _IOC((unsigned int)rbelow(&f->r, 4),
			   "mrcdtzs"[rbelow(&f->r, 7)],
			   (unsigned int)rbelow(&f->r, 256),
			   (unsigned int)rbelow(&f->r, 0x4000));
		break;
	default:
		cmd = (unsigned int)rnext(&f->r);
		break;
	}
	if (served(cmd))
		return;		/* a real one: not this test */
	if (vfs_type(cmd))
		ex_any(&ex);
	else
		ex_one(&ex, ENOTTY);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rnext(&f->r);
	arg = rpct(&f->r, 50) ? (unsigned long)place(f, pick_loc(f), junk,
						      sizeof(junk)) :
				rv_ulong(f);
	r = fz_ioctl(f, f->fd[rbelow(&f->r, NSLOT)], cmd, arg, K_OTHER,
		     false);
	EXPECT(f, &ex, r, "ioctl %#x (type %#x nr %u size %u dir %u)", cmd,
	       _IOC_TYPE(cmd), _IOC_NR(cmd), _IOC_SIZE(cmd), _IOC_DIR(cmd));
}

/* ---- mmap() of the device and what follows ---- */

static void op_mmap(struct fz *f)
{
	static const int prots[] = { PROT_READ | PROT_WRITE,
				     PROT_READ | PROT_WRITE, PROT_READ,
				     PROT_WRITE, PROT_NONE };
	int slot = (int)rbelow(&f->r, NSLOT);
	int prot = prots[rbelow(&f->r, 5)];
	int flags = rpct(&f->r, 90) ? MAP_SHARED : MAP_PRIVATE;
	unsigned long phys, len, rlen, inblk = 0;
	unsigned long long t0;
	struct blk *b = NULL;
	bool cached, known;
	struct exp ex;
	void *va;
	int r;

	if (f->nmap >= MAXMAP - 1)
		return;
	if (f->nblk && rpct(&f->r, 65)) {
		b = &f->blk[rbelow(&f->r, f->nblk)];
		inblk = rbelow(&f->r, b->size / T_PAGE) * T_PAGE;
		if (rpct(&f->r, 50))
			inblk = 0;
		phys = b->phys + inblk;
		len = b->size - inblk;
		switch (rbelow(&f->r, 6)) {
		case 0: len = 1 + rbelow(&f->r, len); break;
		case 1: len += 1 + rbelow(&f->r, 2 * T_PAGE); break;
		case 2: phys += small_delta(&f->r); break;
		default: break;
		}
	} else {
		phys = pick_phys(f);
		len = rpct(&f->r, 50) ? 1 + rbelow(&f->r, 64 << 10) :
			pick_size(f);
	}
	if (rpct(&f->r, 3))
		phys = (unsigned long)rnext(&f->r) & ~(T_PAGE - 1);

	/* expectation, only where it is certain (do_mmap's order) */
	ex_any(&ex);
	rlen = (len + T_PAGE - 1) & ~(T_PAGE - 1);
	if (!len || (phys & (T_PAGE - 1)))
		ex_one(&ex, EINVAL);
	else if (!rlen || rlen > (256UL << 20) || phys > ULONG_MAX - rlen)
		ex_any(&ex);	/* ENOMEM, EOVERFLOW before the driver */
	else if (flags == MAP_SHARED && f->fflags[slot] == FD_RDONLY &&
		 (prot & PROT_WRITE))
		ex_one(&ex, EACCES);
	else if (flags == MAP_PRIVATE)
		ex_any(&ex);	/* EINVAL, or ENOMEM for huge lengths */
	else if ((b = blk_holding(f, phys)) &&
		 rlen <= b->phys + b->size - phys) {
		ex_one(&ex, 0);
		ex_add(&ex, EINVAL);	/* other caching mode in use */
	} else if (b) {
		ex_one(&ex, EINVAL);		/* runs past its block */
	}
	t0 = now_ns();
	va = mmap(NULL, len, prot, flags, f->fd[slot], (off_t)phys);
	r = va == MAP_FAILED ? errno : 0;
	ADD(f->st->mmap_ns, now_ns() - t0);
	ADD(f->st->mmap_n, 1);
	ADD(f->st->mmaps, 1);
	hist_add(f, H_MMAP, slot, PL_OK, phys, r ? 0 : (unsigned long)va, r);
	EXPECT(f, &ex, r, "mmap(len %#lx, prot %d, %s, fd %d, phys %#lx)", len,
	       prot, flags == MAP_SHARED ? "shared" : "private", slot, phys);
	if (r)
		return;
	len = (len + T_PAGE - 1) & ~(T_PAGE - 1);
	if (flags == MAP_PRIVATE) {
		fz_fail(f, "MAP_PRIVATE mmap of phys %#lx succeeded", phys);
		munmap(va, len);
		return;
	}
	if (!b) {	/* a block we did not know: it must exist */
		struct mmb_info ai;

		if (attr_of(f, 0, phys, &ai) || phys < ai.phys_addr ||
		    phys + len > ai.phys_addr + ai.size)
			fz_fail(f, "mmap of phys %#lx+%#lx succeeded outside "
				"any block (ATTR: %#lx+%#lx)", phys, len,
				ai.phys_addr, ai.size);
	}
	/*
	 * Through the fd that allocated the block and holds no REMAP of it:
	 * the type of its last REMAP (the vendor's rule), else O_SYNC's
	 */
	cached = f->fflags[slot] != FD_SYNC;
	known = true;
	b = blk_holding(f, phys);
	if (b && b->slot == slot && !map_remap(f, slot, b->phys)) {
		cached = b->rcached == 1;
		known = b->rcached >= 0;
	}
	map_add(f, va, len, phys, slot, false, cached, prot);
	f->map[f->nmap - 1].type_known = known;
}

/* munmap, partial munmap, mprotect, mremap, madvise, touch */
static void op_mapops(struct fz *f)
{
	struct map *m;
	unsigned int x;
	size_t part;
	void *p;
	int r, prot, adv;

	if (!f->nmap)
		return;
	m = &f->map[rbelow(&f->r, f->nmap)];
	part = m->len > T_PAGE ? T_PAGE * (1 + rbelow(&f->r, m->len / T_PAGE -
							   1)) : 0;
	x = (unsigned int)rbelow(&f->r, 10);
	if (x >= 3 && x <= 6) {
		/* never change a range that is not this mapping any more */
		if (!map_intact(f, m)) {
			map_drop(f, m);
			return;
		}
		hist_add(f, H_MAPOP, m->slot, PL_OK, m->phys,
			 (unsigned long)m->addr, 0);
	}
	switch (x) {
	case 0:
	case 1:
	case 2:		/* whole: the mapping goes */
		if (!map_intact(f, m)) {
			map_drop(f, m);
			return;
		}
		r = munmap(m->addr, m->len) ? errno : 0;
		hist_add(f, H_MUNMAP, m->slot, PL_OK, m->phys,
			 (unsigned long)m->addr, r);
		if (r)
			fz_fail(f, "munmap(%p, %#zx): %s", m->addr, m->len,
				strerror(r));
		else
			map_drop(f, m);
		return;
	case 3:		/* part of it: never split */
		if (!part)
			return;
		r = munmap(rpct(&f->r, 50) ? m->addr : m->addr + part,
			   m->len - part) ? errno : 0;
		if (r != EINVAL)
			fz_fail(f, "partial munmap of %p+%#zx: %s", m->addr,
				m->len, t_errname(r));
		return;
	case 4:		/* mprotect, whole or part */
		prot = rpct(&f->r, 70) ? PROT_READ | PROT_WRITE : PROT_READ;
		if (part && rpct(&f->r, 50)) {
			r = mprotect(m->addr, part, prot) ? errno : 0;
			if (r == EACCES && (prot & PROT_WRITE) && m->rdonly)
				return;
			if (!r && prot == m->prot)
				return;		/* nothing to change, no split */
			if (r != EINVAL)
				fz_fail(f, "partial mprotect of %p+%#zx: %s",
					m->addr, m->len, t_errname(r));
			return;
		}
		r = mprotect(m->addr, m->len, prot) ? errno : 0;
		if (r == EACCES && (prot & PROT_WRITE) && m->rdonly)
			return;
		if (r)
			fz_fail(f, "mprotect(%p, %#zx, %d): %s", m->addr,
				m->len, prot, strerror(r));
		else
			m->prot = prot;
		return;
	case 5:		/* mremap: grow EFAULT, shrink EINVAL, same size ok */
		if (rpct(&f->r, 50)) {
			p = mremap(m->addr, m->len, m->len + T_PAGE,
				   rpct(&f->r, 50) ? MREMAP_MAYMOVE : 0);
			r = p == MAP_FAILED ? errno : 0;
			if (r != EFAULT)
				fz_fail(f, "mremap grow of %p+%#zx: %s",
					m->addr, m->len, t_errname(r));
		} else if (part) {
			p = mremap(m->addr, m->len, part, 0);
			r = p == MAP_FAILED ? errno : 0;
			if (r != EINVAL)
				fz_fail(f, "mremap shrink of %p+%#zx: %s",
					m->addr, m->len, t_errname(r));
		}
		return;
	case 6:		/* madvise: DONTFORK / DOFORK, seen by the race child */
		adv = rpct(&f->r, 50) ? MADV_DONTFORK : MADV_DOFORK;
		r = madvise(m->addr, m->len, adv) ? errno : 0;
		/* carve-out mappings are VM_IO: no DOFORK */
		if (r && !(r == EINVAL && adv == MADV_DOFORK && !f->cma))
			fz_fail(f, "madvise(%p, %#zx, %s): %s", m->addr, m->len,
				adv == MADV_DOFORK ? "DOFORK" : "DONTFORK",
				strerror(r));
		if (!r)
			m->inherit = adv == MADV_DOFORK;
		return;
	default:
		touch_map(f, m);
		return;
	}
}

/* ---- races: a child's two threads on the same blocks ---- */

#define RSLOTS	3
#define RMAPS	24

struct race {
	struct fz *f;
	int fd, fd2;		/* fd2 is replaced now and then */
	unsigned long phys[RSLOTS];	/* 0: empty; atomically replaced */
	unsigned long size[RSLOTS];
	pthread_barrier_t go;
	int stop;
	unsigned int stolen;	/* steal race: REMAPs that went astray */
	unsigned int remaps;
};

struct rthread {
	struct race *rc;
	struct rng r;
	int id;
	char *mm[RMAPS];	/* our mmap()s: exact address and length */
	size_t mmlen[RMAPS];
	int nmm;
	char *rm[RMAPS];	/* REMAP results: looked at, never munmapped */
	int nrm;
};

static int race_ioctl(struct race *rc, int fd, unsigned long cmd,
		      unsigned long arg, enum kind k)
{
	return fz_ioctl(rc->f, fd, cmd, arg, k, true);
}

static int race_mmb(struct race *rc, int fd, enum kind k, unsigned long phys,
		    unsigned long size, struct mmb_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->phys_addr = phys;
	mi->size = size;
	return race_ioctl(rc, fd, mmb_cmd[k - K_ALLOC], (unsigned long)mi, k);
}

/* An address the race may look at: a mapping, or what was one. */
static char *race_addr(struct rthread *t)
{
	if (t->nmm && (!t->nrm || rpct(&t->r, 50)))
		return t->mm[rbelow(&t->r, t->nmm)];
	return t->nrm ? t->rm[rbelow(&t->r, t->nrm)] : NULL;
}

/*
 * The parent's blocks through the parent's fds, which this child shares:
 * another address space on the same files. Only what leaves no trace in
 * the parent's model once this child is gone: REMAP, UNMAP, mmap, ATTR,
 * TEST_CACHE (no FREE, no references: those belong to the file).
 */
static void race_parent_op(struct rthread *t)
{
	struct race *rc = t->rc;
	struct fz *f = rc->f;
	const struct blk *b;
	struct mmb_info mi;
	int fd, j;
	char *va;

	if (!f->nblk)
		return;
	b = &f->blk[rbelow(&t->r, f->nblk)];
	fd = f->fd[b->slot];
	switch (rbelow(&t->r, 5)) {
	case 0:
		if (!race_mmb(rc, fd, rpct(&t->r, 50) ? K_REMAP : K_REMAP_C,
			      b->phys, 0, &mi))
			t->rm[t->nrm < RMAPS ? t->nrm++ :
			      (int)rbelow(&t->r, RMAPS)] = mi.mapped;
		break;
	case 1:
		race_mmb(rc, fd, K_UNMAP, b->phys, 0, &mi);
		break;
	case 2:
		if (t->nmm == RMAPS)
			break;
		va = mmap(NULL, b->size, PROT_READ, MAP_SHARED, fd,
			  (off_t)b->phys);
		ADD(f->st->mmaps, 1);
		if (va != MAP_FAILED) {
			j = t->nmm++;
			t->mm[j] = va;
			t->mmlen[j] = b->size;
		}
		break;
	case 3:
		race_mmb(rc, fd, K_ATTR, b->phys + rbelow(&t->r, b->size), 0,
			 &mi);
		break;
	default:
		race_mmb(rc, fd, K_TEST_CACHE, b->phys, 0, &mi);
		break;
	}
}

/*
 * No malloc, no stdio, no mapping but of the device in here: the only
 * memory that appears or disappears while the threads run is device
 * mappings. munmap() is only called with the exact address and length an
 * mmap() of this thread returned: that range was free before, so whatever
 * lies there now is a device mapping (ours, or one that replaced ours after
 * an UNMAP of the other thread). REMAP results are never munmapped (their
 * length is the size of whatever block was at phys at the time); UNMAP and
 * the exit take them down.
 */
static void *race_thread(void *arg)
{
	struct rthread *t = arg;
	struct race *rc = t->rc;
	struct mmb_info mi;
	unsigned long phys, size, old;
	int i, j, s, fd, r;
	char *va;

	pthread_barrier_wait(&rc->go);
	for (i = 0; i < RACE_OPS; i++) {
		if (rpct(&t->r, 15)) {
			race_parent_op(t);
			continue;
		}
		s = (int)rbelow(&t->r, RSLOTS);
		phys = __atomic_load_n(&rc->phys[s], __ATOMIC_RELAXED);
		size = __atomic_load_n(&rc->size[s], __ATOMIC_RELAXED);
		fd = rpct(&t->r, 70) ? rc->fd : rc->fd2;
		if (rpct(&t->r, 10))
			phys += small_delta(&t->r);
		switch (rbelow(&t->r, 16)) {
		case 0:
			old = phys;
			r = race_mmb(rc, rc->fd, K_FREE, phys, 0, &mi);
			if (!r || r == EBUSY)
				__atomic_compare_exchange_n(&rc->phys[s], &old,
							    0, false,
							    __ATOMIC_RELAXED,
							    __ATOMIC_RELAXED);
			break;
		case 1:
			if (phys)
				break;
			size = T_PAGE * (1 + rbelow(&t->r, 16));
			r = race_mmb(rc, rc->fd, K_ALLOC, 0, size, &mi);
			if (r)
				break;
			old = 0;
			if (__atomic_compare_exchange_n(&rc->phys[s], &old,
							mi.phys_addr, false,
							__ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
				__atomic_store_n(&rc->size[s], size,
						 __ATOMIC_RELAXED);
			else
				race_mmb(rc, rc->fd, K_FREE, mi.phys_addr, 0,
					 &mi);
			break;
		case 2:
		case 3:
			r = race_mmb(rc, fd, rpct(&t->r, 50) ? K_REMAP :
				     K_REMAP_C, phys, 0, &mi);
			if (!r)
				t->rm[t->nrm < RMAPS ? t->nrm++ :
				      (int)rbelow(&t->r, RMAPS)] = mi.mapped;
			break;
		case 4:
		case 5:
			race_mmb(rc, fd, K_UNMAP, phys, 0, &mi);
			break;
		case 6:
			if (!size)
				break;
			va = mmap(NULL, size, PROT_READ | PROT_WRITE,
				  MAP_SHARED, fd, (off_t)phys);
			ADD(rc->f->st->mmaps, 1);
			if (va == MAP_FAILED)
				break;
			if (t->nmm == RMAPS) {
				j = (int)rbelow(&t->r, RMAPS);
				munmap(t->mm[j], t->mmlen[j]);
			} else {
				j = t->nmm++;
			}
			t->mm[j] = va;
			t->mmlen[j] = size;
			break;
		case 7:
			if (t->nmm) {
				j = (int)rbelow(&t->r, t->nmm);
				munmap(t->mm[j], t->mmlen[j]);
				t->mm[j] = t->mm[--t->nmm];
				t->mmlen[j] = t->mmlen[t->nmm];
			}
			break;
		case 8:
			race_ioctl(rc, fd, IOC_MMB_ADD_REF, phys, K_ADD_REF);
			break;
		case 9:
			race_ioctl(rc, fd, IOC_MMB_DEC_REF, phys, K_DEC_REF);
			break;
		case 10:
			race_mmb(rc, fd, K_ATTR, phys, 0, &mi);
			break;
		case 11:
			memset(&mi, 0, sizeof(mi));
			va = race_addr(t);
			mi.mapped = va ? va + (rbelow(&t->r, T_PAGE) & ~3UL) :
				    NULL;
			race_ioctl(rc, fd, IOC_MMB_VIRT_GET_PHYS,
				   (unsigned long)&mi, K_V2P);
			break;
		case 12: {
			struct dirty_area da;

			da.dirty_virt_start = race_addr(t);
			da.dirty_phys_start = phys;
			da.dirty_size = 1 + rbelow(&t->r, T_PAGE);
			race_ioctl(rc, fd, IOC_MMB_FLUSH_DCACHE_DIRTY,
				   (unsigned long)&da, K_DIRTY);
			break;
		}
		case 13:
			race_ioctl(rc, fd, IOC_MMB_FLUSH_DCACHE, phys, K_FLUSH);
			break;
		case 14:	/* replace an fd under the other thread's feet */
			if (t->id == 0 && rpct(&t->r, 30)) {
				int nfd = open(MMZ_DEV, O_RDWR | O_CLOEXEC |
					       (rpct(&t->r, 50) ? O_SYNC : 0));

				if (nfd >= 0) {
					/* fd: its blocks are freed */
					dup2(nfd, rpct(&t->r, 25) ? rc->fd :
					     rc->fd2);
					close(nfd);
				}
			}
			break;
		default: {
			struct mmz_block_info bi = { .phys = phys };

			race_ioctl(rc, fd, MMZ_IOC_BLOCK_INFO,
				   (unsigned long)&bi, K_BLOCK_INFO);
			break;
		}
		}
	}
	return NULL;
}

/*
 * The steal race: one thread REMAPs a block while the other mmap()s the
 * very same range through the same fd. Each call must get its own kind of
 * mapping: right after a REMAP, ATTR reports the REMAP's address.
 */
static void *steal_remapper(void *arg)
{
	struct rthread *t = arg;
	struct race *rc = t->rc;
	unsigned long phys = rc->phys[0];
	struct mmb_info mi;
	char *va;
	int i;

	pthread_barrier_wait(&rc->go);
	for (i = 0; i < RACE_OPS / 2; i++) {
		if (race_mmb(rc, rc->fd, K_REMAP_C, phys, 0, &mi))
			continue;
		va = mi.mapped;
		rc->remaps++;
		race_mmb(rc, rc->fd, K_ATTR, phys, 0, &mi);
		if (mi.mapped != va) {
			/* ours became a plain mapping: it is ours to unmap */
			rc->stolen++;
			munmap(va, rc->size[0]);
		}
		race_mmb(rc, rc->fd, K_UNMAP, phys, 0, &mi);
	}
	__atomic_store_n(&rc->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *steal_mapper(void *arg)
{
	struct rthread *t = arg;
	struct race *rc = t->rc;
	void *va;

	pthread_barrier_wait(&rc->go);
	while (!__atomic_load_n(&rc->stop, __ATOMIC_ACQUIRE)) {
		va = mmap(NULL, rc->size[0], PROT_READ | PROT_WRITE,
			  MAP_SHARED, rc->fd, (off_t)rc->phys[0]);
		ADD(rc->f->st->mmaps, 1);
		if (va != MAP_FAILED)
			munmap(va, rc->size[0]);
	}
	return NULL;
}

/*
 * The child of a race. It also checks that the parent's mappings came
 * along, but those the parent gave MADV_DONTFORK (docs/ABI.md): they are
 * the child's own now.
 */
static int race_child(struct fz *f)
{
	struct race rc = { .f = f };
	struct rthread t[2];
	pthread_t th[2];
	struct mmb_info mi;
	bool steal;
	int i, r;

	for (i = 0; i < f->nmap; i++) {
		const struct map *m = &f->map[i];

		memset(&mi, 0, sizeof(mi));
		mi.mapped = m->addr + m->len - 4;
		r = hz_ioctl(f, f->fd[0], IOC_MMB_VIRT_GET_PHYS, &mi);
		if (m->inherit ?
		    r || (mi.phys_addr & ~1UL) != m->phys + m->len - 4 :
		    r != ENOENT)
			fz_fail(f, "race child: VIRT_GET_PHYS of the parent's "
				"mapping %p+%#zx (phys %#lx%s): %s, phys %#lx; "
				"a child of fork() %s", m->addr, m->len,
				m->phys, m->inherit ? "" : ", MADV_DONTFORK",
				t_errname(r), mi.phys_addr, m->inherit ?
				"inherits it" : "must not inherit it");
		if (m->inherit && !r)
			ADD(f->st->inherited, 1);
		if (m->inherit && !r && rpct(&f->r, 50) && munmap(m->addr,
								  m->len))
			fz_fail(f, "race child: munmap of the inherited %p: %s",
				m->addr, strerror(errno));
	}
	rc.fd = open(MMZ_DEV, O_RDWR | O_CLOEXEC);
	rc.fd2 = open(MMZ_DEV, O_RDWR | O_CLOEXEC | O_SYNC);
	if (rc.fd < 0 || rc.fd2 < 0)
		return 1;
	for (i = 0; i < RSLOTS; i++) {
		rc.size[i] = T_PAGE * (1 + rbelow(&f->r, 16));
		memset(&mi, 0, sizeof(mi));
		mi.size = rc.size[i];
		if (!fz_ioctl(f, rc.fd, IOC_MMB_ALLOC, (unsigned long)&mi,
			      K_ALLOC, true))
			rc.phys[i] = mi.phys_addr;
	}
	steal = rc.phys[0] && rpct(&f->r, 30);
	pthread_barrier_init(&rc.go, NULL, 2);
	for (i = 0; i < 2; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].rc = &rc;
		t[i].id = i;
		t[i].r.s = rnext(&f->r);
		if (pthread_create(&th[i], NULL, !steal ? race_thread :
				   i ? steal_mapper : steal_remapper, &t[i])) {
			fz_fail(f, "pthread_create failed");
			return 1;
		}
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	if (rc.stolen)
		fz_fail(f, "steal race: %u of %u REMAPs of %#lx left ATTR "
			"reporting another mapping (a concurrent mmap() of the "
			"same range took the REMAP's place)", rc.stolen,
			rc.remaps, rc.phys[0]);
	/* what is still ours goes now (or at the unmap in exit) */
	for (i = 0; i < RSLOTS; i++)
		if (rc.phys[i])
			race_mmb(&rc, rc.fd, K_FREE, rc.phys[i], 0, &mi);
	return 0;
}

static void op_race(struct fz *f)
{
	int status;
	pid_t pid;

	unsigned long long t0 = now_ns();

	ADD(f->st->races, 1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fz_fail(f, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		_exit(race_child(f));
	if (waitpid(pid, &status, 0) != pid) {
		fz_fail(f, "waitpid: %s", strerror(errno));
		return;
	}
	ADD(f->st->race_ns, now_ns() - t0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fz_fail(f, "race child: status %#x%s", status,
			WIFSIGNALED(status) ? " (killed by a signal)" : "");
	rnext(&f->r);	/* the child's draws are not ours */
}

/* ---- one fuzzing process ---- */

static int drop_caps(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	const unsigned int drop = (1U << CAP_SYS_RAWIO) |
				  (1U << CAP_SYS_ADMIN);
	int i;

	if (syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < 1; i++) {
		d[i].effective &= ~drop;
		d[i].permitted &= ~drop;
		d[i].inheritable &= ~drop;
	}
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void cleanup(struct fz *f)
{
	struct mmb_info mi;
	int i, r;

	while (f->nmap) {
		struct map *m = &f->map[f->nmap - 1];

		if (map_intact(f, m) && munmap(m->addr, m->len))
			fz_fail(f, "munmap(%p, %#zx): %s", m->addr, m->len,
				strerror(errno));
		f->nmap--;
	}
	while (f->nref) {
		struct ref *rf = &f->ref[f->nref - 1];

		r = hz_ioctl(f, f->fd[rf->slot], IOC_MMB_DEC_REF,
			     (void *)rf->phys);
		if (r)
			fz_fail(f, "DEC_REF(%#lx) at the end: %s", rf->phys,
				t_errname(r));
		if (r || --rf->count == 0)
			f->nref--;
	}
	while (f->nblk) {
		struct blk *b = &f->blk[f->nblk - 1];

		memset(&mi, 0, sizeof(mi));
		mi.phys_addr = b->phys;
		r = hz_ioctl(f, f->fd[b->slot], IOC_MMB_FREE, &mi);
		if (r && r != EBUSY)	/* EBUSY: a sibling maps it */
			fz_fail(f, "FREE(%#lx) at the end: %s", b->phys,
				t_errname(r));
		f->nblk--;
	}
	for (i = 0; i < NSLOT; i++)
		close(f->fd[i]);
	if (f->heap >= 0)
		close(f->heap);
}

static int fuzz_proc(struct shared *sh, int idx, uint64_t seed,
		     unsigned long target)
{
	struct fz *f = calloc(1, sizeof(*f));
	unsigned long next_race = RACE_EVERY / 2 + idx * 97;
	double t0 = now_s();
	int i;

	if (!f)
		return 1;
	f->idx = idx;
	f->sh = sh;
	f->st = &sh->p[idx];
	f->r.s = seed ^ (0x1000193ULL * (idx + 1));
	rnext(&f->r);
	f->cma = t_cma_mode();
	f->nocap = idx & 1;
	if (f->nocap && drop_caps()) {
		fprintf(stderr, "[p%d] capset: %s\n", idx, strerror(errno));
		return 1;
	}
	f->st->nocap = f->nocap;
	if (setup_args(f)) {
		fprintf(stderr, "[p%d] argument memory: %s\n", idx,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < NSLOT; i++)
		if (open_slot(f, i))
			return 1;
	f->heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	while (!__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE))
		usleep(1000);

	while (f->st->ioctls < target) {
		unsigned int x = (unsigned int)rbelow(&f->r, 1000);

		f->ops++;
		if (f->ops == next_race) {
			op_race(f);
			/* its threads REMAP through our fds: types unknown */
			for (i = 0; i < f->nblk; i++)
				f->blk[i].rcached = -1;
			next_race += RACE_EVERY;
		}
		if (f->ops % 1000 == 0)
			audit_maps(f);
		if (!f->nocap && f->ops % CHECK_EVERY == 0) {
			struct mmz_check ck;

			memset(&ck, 0, sizeof(ck));
			if (hz_ioctl(f, f->fd[0], MMZ_IOC_CHECK, &ck) ||
			    ck.violations)
				fz_fail(f, "MMZ_IOC_CHECK during the run: %u "
					"violation(s)", ck.violations);
		}
		/* mmap() and munmap() cost milliseconds here too */
		if (x < 420)
			op_mmb(f);
		else if (x < 540)
			op_val(f);
		else if (x < 560)
			op_dirty(f);
		else if (x < 750)
			op_z(f);
		else if (x < 760)
			op_proc(f);
		else if (x < 942)
			op_badcmd(f);
		else if (x < 962)
			op_memshare(f);
		else if (x < 972)
			op_mmap(f);
		else if (x < 997)
			op_mapops(f);
		else {
			int s = (int)rbelow(&f->r, NSLOT);

			ADD(f->st->reopens, 1);
			close_slot(f, s);
			if (open_slot(f, s))
				return 1;
		}
	}
	cleanup(f);
	f->st->secs = now_s() - t0;
	return f->st->fails ? 1 : 0;
}

/* ---- the parent ---- */

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void report(struct shared *sh, double secs)
{
	unsigned long long tot = 0, race = 0, checks = 0, mmaps = 0, races = 0;
	unsigned long long errs[ERRMAX + 1] = { 0 }, kinds[NKIND] = { 0 };
	int i, e;

	for (i = 0; i < sh->nproc; i++) {
		struct pstat *p = &sh->p[i];

		printf("  p%d pid %d%s: %llu ioctls, %llu in %llu races, "
		       "%llu harness ioctls, %llu mmaps, %llu allocations, "
		       "%llu fd reopens, %llu inherited mappings, "
		       "%llu imports, %.1f s\n", i, p->pid,
		       p->nocap ? " (no CAP_SYS_RAWIO/ADMIN)" : "", p->ioctls,
		       p->race_ioctls, p->races, p->checks, p->mmaps,
		       p->allocs, p->reopens, p->inherited, p->imports,
		       p->secs);
		tot += p->ioctls;
		race += p->race_ioctls;
		checks += p->checks;
		mmaps += p->mmaps;
		races += p->races;
		for (e = 0; e <= ERRMAX; e++)
			errs[e] += p->errs[e];
		for (e = 0; e < NKIND; e++)
			kinds[e] += p->kinds[e];
	}
	printf("fuzz: %llu fuzz ioctls (%llu main loop + %llu in %llu races), "
	       "%llu harness ioctls, %llu mmaps, %.1f s\n", tot + race, tot,
	       race, races, checks, mmaps, secs);
	printf("fuzz: results:");
	for (e = 0; e <= ERRMAX; e++)
		if (errs[e])
			printf(" %s %llu", e == ERRMAX ? "other" :
			       t_errname(e), errs[e]);
	printf("\nfuzz: commands (count/average us):");
	for (e = 0; e < NKIND; e++) {
		unsigned long long ns = 0;

		for (i = 0; i < sh->nproc; i++)
			ns += sh->p[i].ns[e];
		printf(" %s %llu/%llu", kind_name[e], kinds[e],
		       kinds[e] ? ns / 1000 / kinds[e] : 0);
	}
	{
		unsigned long long mns = 0, mn = 0, rns = 0;

		for (i = 0; i < sh->nproc; i++) {
			mns += sh->p[i].mmap_ns;
			mn += sh->p[i].mmap_n;
			rns += sh->p[i].race_ns;
		}
		printf("; mmap %llu us avg; race %llu ms avg\n",
		       mn ? mns / 1000 / mn : 0,
		       races ? rns / 1000000 / races : 0);
	}
}

int main(void)
{
	uint64_t seed = env_ul("MMZ_FUZZ_SEED", 0);
	unsigned long total = env_ul("MMZ_FUZZ_IOCTLS", DEF_IOCTLS);
	int nproc = (int)env_ul("MMZ_FUZZ_PROCS", DEF_PROCS);
	struct shared *sh;
	unsigned long long issued = 0;
	double t0 = now_s();
	int i, fd, status, ms;

	alts_init();
	if (!seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^
		       ((uint64_t)getpid() << 40);
	}
	if (nproc < 1 || nproc > MAX_PROCS)
		nproc = DEF_PROCS;
	fd = t_open(0);		/* skips without the device */
	printf("fuzz: seed %#llx (MMZ_FUZZ_SEED to repeat), %d processes, "
	       "%lu ioctls, %s mode, %d-bit\n", (unsigned long long)seed,
	       nproc, total, t_cma_mode() ? "cma" : "hisi", LP64 ? 64 : 32);
	fflush(stdout);
	if (t_leftovers(fd, 1)) {
		fprintf(stderr, "blocks allocated before the fuzzing started\n");
		return T_EXIT_FAIL;
	}

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return T_EXIT_FAIL;
	memset(sh, 0, sizeof(*sh));
	sh->nproc = nproc;
	for (i = 0; i < nproc; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			t_fail("fork: %s", strerror(errno));
			nproc = sh->nproc = i;
			break;
		}
		if (pid == 0) {
			close(fd);
			_exit(fuzz_proc(sh, i, seed, (total + nproc - 1) /
					nproc));
		}
		sh->pids[i] = pid;
		sh->p[i].pid = pid;
	}
	__atomic_store_n(&sh->ready, 1, __ATOMIC_RELEASE);

	for (i = 0; i < nproc; i++) {
		if (waitpid(sh->pids[i], &status, 0) != sh->pids[i]) {
			t_fail("waitpid: %s", strerror(errno));
			continue;
		}
		if (WIFSIGNALED(status))
			t_fail("fuzz process %d killed by signal %d", i,
			       WTERMSIG(status));
		else if (WEXITSTATUS(status))
			t_fail("fuzz process %d: exit %d, %u failure(s)", i,
			       WEXITSTATUS(status), sh->p[i].fails);
	}
	report(sh, now_s() - t0);
	for (i = 0; i < nproc; i++)
		issued += sh->p[i].ioctls;
	T_TRUE(issued >= total, "only %llu ioctls issued, wanted %lu",
	       issued, total);
	for (i = 0, issued = 0; i < nproc; i++)
		issued += sh->p[i].imports;
	T_TRUE(issued || access("/dev/dma_heap/system", F_OK),
	       "no system heap buffer was imported");

	/* everything the fuzzing allocated is gone */
	ms = t_wait_reclaimed(fd, 2000);
	if (ms < 0)
		t_fail("memory left after all fuzz processes exited");
	else if (ms)
		printf("note: blocks disappeared %d ms after the last "
		       "process was reaped\n", ms);
	close(fd);
	if (t_failures)
		fprintf(stderr, "fuzz: FAILED, seed %#llx\n",
			(unsigned long long)seed);
	return t_result();
}
