/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the in-VM mmz tests (the .c files here).
 *
 * Every test program checks one feature of /dev/mmz_userdev against
 * docs/ABI.md and exits 0 (pass), 1 (fail) or 77 (skip), liburing style.
 * A failed check prints what was expected and what came, then the test
 * goes on where that makes sense; main() returns t_result().
 *
 * The zones the module was loaded with come from $MMZ_TEST_ZONES (run-tests
 * exports its mmz= string), so the tests know the geometry independently of
 * the module.
 *
 * Ioctl wrappers return 0 or -errno, never print.
 */
#ifndef MMZTEST_H
#define MMZTEST_H

#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/mmz.h"

#define T_EXIT_PASS	0
#define T_EXIT_FAIL	1
#define T_EXIT_SKIP	77

#define MMZ_DEV		"/dev/" MMZ_DEV_NAME
#define MEDIA_MEM	"/proc/media-mem"
#define T_PAGE		4096UL
#define T_DEFAULT_ZONES	"anonymous,0,0x30000000,96M:second,0,0x36000000,32M"

static int t_failures;

static inline const char *t_errname(int e)
{
	const char *n;

	if (e < 0)
		e = -e;
	if (e == 0)
		return "success";
	n = strerrorname_np(e);
	return n ? n : "E?";
}

/* x86 allows one memory type per page (PAT): a block's mappings get one. */
#if defined(__x86_64__) || defined(__i386__)
#define T_ONE_MEMTYPE	1
#else
#define T_ONE_MEMTYPE	0
#endif

/* A failed check: "file:line: message". */
#define t_fail(...)							\
	do {								\
		t_failures++;						\
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	} while (0)

/* @expr (0 or -errno) must be 0; evaluates to 1 when it was. */
#define T_OK(expr)							\
	({								\
		int t_r_ = (expr);					\
		if (t_r_)						\
			t_fail("%s: expected success, got %s", #expr,	\
			       t_errname(t_r_));			\
		t_r_ == 0;						\
	})

/* @expr (0 or -errno) must be -@err; evaluates to 1 when it was. */
#define T_ERR(expr, err)						\
	({								\
		int t_r_ = (expr);					\
		if (t_r_ != -(err))					\
			t_fail("%s: expected %s, got %s", #expr,	\
			       t_errname(err), t_errname(t_r_));	\
		t_r_ == -(err);						\
	})

#define T_EQ(a, b)							\
	({								\
		unsigned long long t_a_ = (unsigned long long)(a);	\
		unsigned long long t_b_ = (unsigned long long)(b);	\
		if (t_a_ != t_b_)					\
			t_fail("%s == %s: expected 0x%llx, got 0x%llx",	\
			       #a, #b, t_b_, t_a_);			\
		t_a_ == t_b_;						\
	})

#define T_PTR_EQ(a, b)							\
	({								\
		const void *t_a_ = (a), *t_b_ = (b);			\
		if (t_a_ != t_b_)					\
			t_fail("%s == %s: expected %p, got %p", #a, #b,	\
			       t_b_, t_a_);				\
		t_a_ == t_b_;						\
	})

#define T_TRUE(cond, ...)						\
	({								\
		int t_c_ = !!(cond);					\
		if (!t_c_)						\
			t_fail(__VA_ARGS__);				\
		t_c_;							\
	})

static inline int t_result(void)
{
	return t_failures ? T_EXIT_FAIL : T_EXIT_PASS;
}

/* ---- zones the module was loaded with ---- */

struct tzone {
	char name[HIL_MMZ_NAME_LEN];
	unsigned long gfp;
	unsigned long phys;
	unsigned long size;
};

#define T_MAX_ZONES 8
static struct tzone t_zones[T_MAX_ZONES];
static int t_nzones = -1;

static inline unsigned long t_parse_num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; break;
	case 'm': case 'M': v <<= 20; break;
	case 'g': case 'G': v <<= 30; break;
	}
	return v;
}

/* Parses $MMZ_TEST_ZONES ("name,gfp,phys,size[,...][:...]") once. */
static inline int t_zone_count(void)
{
	const char *env = getenv("MMZ_TEST_ZONES");
	char buf[512], *zs, *zsave;

	if (t_nzones >= 0)
		return t_nzones;
	snprintf(buf, sizeof(buf), "%s", env && *env ? env : T_DEFAULT_ZONES);
	t_nzones = 0;
	for (zs = strtok_r(buf, ":", &zsave); zs && t_nzones < T_MAX_ZONES;
	     zs = strtok_r(NULL, ":", &zsave)) {
		struct tzone *z = &t_zones[t_nzones];
		char *f[4], *fsave;
		int i;

		f[0] = strtok_r(zs, ",", &fsave);
		for (i = 1; i < 4; i++)
			f[i] = strtok_r(NULL, ",", &fsave);
		if (!f[3])
			continue;
		snprintf(z->name, sizeof(z->name), "%s", f[0]);
		z->gfp = t_parse_num(f[1]);
		z->phys = t_parse_num(f[2]);
		z->size = t_parse_num(f[3]);
		t_nzones++;
	}
	return t_nzones;
}

static inline const struct tzone *t_zone_at(int i)
{
	return i < t_zone_count() ? &t_zones[i] : NULL;
}

/* The zone named @name; exits 77 when the module was loaded without it. */
static inline const struct tzone *t_zone(const char *name)
{
	int i;

	for (i = 0; i < t_zone_count(); i++)
		if (!strcmp(t_zones[i].name, name))
			return &t_zones[i];
	fprintf(stderr, "skip: no zone \"%s\" in MMZ_TEST_ZONES\n", name);
	exit(T_EXIT_SKIP);
}

static inline unsigned long t_zone_end(const struct tzone *z)
{
	return z->phys + z->size;
}

/*
 * 1 when the module runs with mmz_allocator=cma ($MMZ_TEST_MODE, exported
 * by run-tests: "hisi" or "cma"). CMA decides where memory lies, so tests
 * that check exact placement relax that in CMA mode.
 */
static inline int t_cma_mode(void)
{
	const char *m = getenv("MMZ_TEST_MODE");

	return m && !strcmp(m, "cma");
}

/* ---- device and ioctl wrappers ---- */

/* Opens the device; exits 77 when it does not exist, 1 on other errors. */
static inline int t_open(int flags)
{
	int fd = open(MMZ_DEV, O_RDWR | O_CLOEXEC | flags);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO) {
			fprintf(stderr, "skip: %s: %s\n", MMZ_DEV,
				strerror(errno));
			exit(T_EXIT_SKIP);
		}
		fprintf(stderr, "open %s: %s\n", MMZ_DEV, strerror(errno));
		exit(T_EXIT_FAIL);
	}
	return fd;
}

static inline int t_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* ioctls whose argument is a value (ADD_REF, DEC_REF, FLUSH_DCACHE). */
static inline int t_ioctl_val(int fd, unsigned long req, unsigned long val)
{
	return ioctl(fd, req, val) ? -errno : 0;
}

static inline void t_info(struct mmb_info *mi, const char *zone,
			  const char *name, unsigned long size,
			  unsigned long align)
{
	memset(mi, 0, sizeof(*mi));
	mi->size = size;
	mi->align = align;
	if (name)
		memcpy(mi->mmb_name, name,
		       strnlen(name, sizeof(mi->mmb_name) - 1));
	if (zone)
		memcpy(mi->mmz_name, zone,
		       strnlen(zone, sizeof(mi->mmz_name) - 1));
}

static inline int t_alloc(int fd, const char *zone, const char *name,
			    unsigned long size, unsigned long align,
			    unsigned long *phys)
{
	struct mmb_info mi;
	int ret;

	t_info(&mi, zone, name, size, align);
	ret = t_ioctl(fd, IOC_MMB_ALLOC, &mi);
	if (!ret && phys)
		*phys = mi.phys_addr;
	return ret;
}

static inline int t_alloc_v2(int fd, const char *zone, const char *name,
			       unsigned long size, unsigned long align,
			       unsigned int order, unsigned long *phys)
{
	struct mmb_info mi;
	int ret;

	t_info(&mi, zone, name, size, align);
	mi.order = order;
	ret = t_ioctl(fd, IOC_MMB_ALLOC_V2, &mi);
	if (!ret && phys)
		*phys = mi.phys_addr;
	return ret;
}

static inline int t_free(int fd, unsigned long phys)
{
	struct mmb_info mi = { .phys_addr = phys };

	return t_ioctl(fd, IOC_MMB_FREE, &mi);
}

static inline int t_remap(int fd, unsigned long phys, int cached, void **va)
{
	struct mmb_info mi = { .phys_addr = phys };
	int ret;

	ret = t_ioctl(fd, cached ? IOC_MMB_USER_REMAP_CACHED :
			  IOC_MMB_USER_REMAP, &mi);
	if (!ret && va)
		*va = mi.mapped;
	return ret;
}

static inline int t_unmap(int fd, unsigned long phys)
{
	struct mmb_info mi = { .phys_addr = phys };

	return t_ioctl(fd, IOC_MMB_USER_UNMAP, &mi);
}

static inline int t_attr(int fd, unsigned long phys, struct mmb_info *out)
{
	memset(out, 0, sizeof(*out));
	out->phys_addr = phys;
	return t_ioctl(fd, IOC_MMB_ATTR, out);
}

static inline int t_virt2phys(int fd, const void *va, struct mmb_info *out)
{
	memset(out, 0, sizeof(*out));
	out->mapped = (void *)va;
	return t_ioctl(fd, IOC_MMB_VIRT_GET_PHYS, out);
}

static inline int t_flush_dirty(int fd, unsigned long phys, void *va,
				  unsigned long size)
{
	struct dirty_area da = {
		.dirty_phys_start = phys,
		.dirty_virt_start = va,
		.dirty_size = size,
	};

	return t_ioctl(fd, IOC_MMB_FLUSH_DCACHE_DIRTY, &da);
}

/* mmap(fd, offset = phys); 0 or -errno. */
static inline int t_mmap(int fd, unsigned long phys, size_t len, void **va)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       (off_t)phys);

	if (p == MAP_FAILED)
		return -errno;
	if (va)
		*va = p;
	else
		munmap(p, len);
	return 0;
}

/*
 * Lets freed memory settle: with prezero=1 a freed carve-out block is
 * zeroed in the background and only then free for placement; ZONE_INFO
 * first finishes that zeroing, so afterwards placement is as if the
 * blocks had been freed at once.
 */
static inline void t_settle(int fd)
{
	struct mmz_zone_info zi;

	memset(&zi, 0, sizeof(zi));
	t_ioctl(fd, MMZ_IOC_ZONE_INFO, &zi);
}

/* Zone @name by MMZ_IOC_ZONE_INFO, searching by index. */
static inline int t_zone_info(int fd, const char *name,
				struct mmz_zone_info *out)
{
	unsigned int i;
	int ret;

	for (i = 0;; i++) {
		memset(out, 0, sizeof(*out));
		out->index = i;
		ret = t_ioctl(fd, MMZ_IOC_ZONE_INFO, out);
		if (ret)
			return ret;
		if (!strncmp(out->name, name, sizeof(out->name)))
			return 0;
	}
}

/* ---- memory patterns ---- */

static inline unsigned char t_pat(unsigned int seed, size_t i)
{
	uint32_t x = (uint32_t)(i >> 2) * 2654435761u + seed * 40503u;

	return (unsigned char)(x >> ((i & 3) * 8));
}

static inline void t_fill(void *p, size_t len, unsigned int seed)
{
	volatile unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = t_pat(seed, i);
}

/* Offset of the first byte that differs from the pattern, or -1. */
static inline long t_verify(const void *p, size_t len, unsigned int seed)
{
	const volatile unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != t_pat(seed, i))
			return (long)i;
	return -1;
}

/* Offset of the first non-zero byte, or -1. */
static inline long t_verify_zero(const void *p, size_t len)
{
	const volatile unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return (long)i;
	return -1;
}

#define T_PATTERN(p, len, seed, what)					\
	({								\
		long t_o_ = t_verify(p, len, seed);			\
		if (t_o_ >= 0)						\
			t_fail("%s: pattern %u expected, byte %ld is "	\
			       "0x%02x, want 0x%02x", what, seed, t_o_,	\
			       ((volatile unsigned char *)(p))[t_o_],	\
			       t_pat(seed, t_o_));			\
		t_o_ < 0;						\
	})

#define T_ZERO(p, len, what)						\
	({								\
		long t_o_ = t_verify_zero(p, len);			\
		if (t_o_ >= 0)						\
			t_fail("%s: expected all zero, byte %ld is 0x%02x", \
			       what, t_o_,				\
			       ((volatile unsigned char *)(p))[t_o_]);	\
		t_o_ < 0;						\
	})

/* ---- /proc/media-mem ---- */

/* The whole file, NUL-terminated, malloc'd; NULL on error. */
static inline char *t_read_file(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Number of "|-MMB:" lines, or -1 if the file cannot be read. */
static inline int t_proc_mmb_count(void)
{
	char *t = t_read_file(MEDIA_MEM), *p;
	int n = 0;

	if (!t)
		return -1;
	for (p = t; (p = strstr(p, "|-MMB:")); p++)
		n++;
	free(t);
	return n;
}

/* 1 if /proc/media-mem lists a block starting at @phys, 0 if not, -1. */
static inline int t_proc_has_block(unsigned long phys)
{
	char *t = t_read_file(MEDIA_MEM), key[64];
	int ret;

	if (!t)
		return -1;
	snprintf(key, sizeof(key), "|-MMB: phys(0x%08lX, ", phys);
	ret = strstr(t, key) != NULL;
	free(t);
	return ret;
}

#define T_PROC_BLOCK(phys, want)					\
	({								\
		int t_h_ = t_proc_has_block(phys);			\
		if (t_h_ != (want))					\
			t_fail("/proc/media-mem: block 0x%08lx expected %s," \
			       " got %s", (unsigned long)(phys),	\
			       (want) ? "listed" : "absent",		\
			       t_h_ < 0 ? "unreadable file" :		\
			       t_h_ ? "listed" : "absent");		\
		t_h_ == (want);						\
	})

struct tblock {
	unsigned long phys;
	unsigned long size;
	const char *name;
};

/*
 * The vendor /proc/media-mem text for the zones of $MMZ_TEST_ZONES holding
 * @blocks (user-allocated, not mapped in the kernel: kvirt = flags = 0).
 * @blocks must be sorted by address.
 */
static inline void t_media_mem_expected(char *buf, size_t len,
					const struct tblock *blocks, int n)
{
	unsigned long total = 0, used = 0, remain;
	size_t off = 0;
	int zi, bi;

#define T_EMIT(...)							\
	do {								\
		if (off < len)						\
			off += snprintf(buf + off, len - off, __VA_ARGS__); \
	} while (0)

	/* zones last first, as the vendor prints them */
	for (zi = t_zone_count() - 1; zi >= 0; zi--) {
		const struct tzone *z = t_zone_at(zi);

		total += z->size >> 10;
		T_EMIT("+---ZONE: PHYS(0x%08lX, 0x%08lX), GFP=%lu, "
		       "nBYTES=%luKB,    NAME=\"%s\"\n", z->phys,
		       z->phys + z->size - 1, z->gfp, z->size >> 10, z->name);
		for (bi = 0; bi < n; bi++) {
			const struct tblock *b = &blocks[bi];

			if (b->phys < z->phys || b->phys >= t_zone_end(z))
				continue;
			used += b->size >> 10;
			T_EMIT("   |-MMB: phys(0x%08lX, 0x%08lX), "
			       "kvirt=0x%08lX, flags=0x%08lX, length=%luKB,"
			       "    name=\"%s\"\n", b->phys,
			       b->phys + b->size - 1, 0UL, 0UL, b->size >> 10,
			       b->name);
		}
	}
	remain = total - used;
	if (total)
		T_EMIT("\n---MMZ_USE_INFO:\n total size=%uKB(%uMB),"
		       "used=%uKB(%uMB + %uKB),remain=%uKB(%uMB + %uKB),"
		       "zone_number=%u,block_number=%u\n",
		       (unsigned int)total, (unsigned int)(total >> 10),
		       (unsigned int)used, (unsigned int)(used >> 10),
		       (unsigned int)(used & 1023), (unsigned int)remain,
		       (unsigned int)(remain >> 10),
		       (unsigned int)(remain & 1023),
		       (unsigned int)t_zone_count(), (unsigned int)n);
#undef T_EMIT
}

/* Compares /proc/media-mem with @want; on a difference prints both. */
static inline int t_media_mem_equals(const char *want)
{
	char *got = t_read_file(MEDIA_MEM);
	int same = got && !strcmp(got, want);

	if (!same)
		t_fail("/proc/media-mem differs\n--- expected:\n%s--- got:\n%s---",
		       want, got ? got : "(unreadable)\n");
	free(got);
	return same;
}

/* ---- end state: everything reclaimed ---- */

/* MMZ_IOC_CHECK into @ck; 0 or -errno. */
static inline int t_check(int fd, struct mmz_check *ck)
{
	memset(ck, 0, sizeof(*ck));
	return t_ioctl(fd, MMZ_IOC_CHECK, ck);
}

/*
 * Problems left in the module: zones (ZONE_INFO by index until ENOENT)
 * with used or blocks != 0, "|-MMB:" lines in /proc/media-mem, and
 * MMZ_IOC_CHECK violations or blocks (needs CAP_SYS_ADMIN). 0 = clean.
 * With @verbose each problem is printed on stderr.
 */
static inline int t_leftovers(int fd, int verbose)
{
	struct mmz_zone_info zi;
	struct mmz_check ck;
	unsigned int i;
	int bad = 0, ret, n;

	for (i = 0;; i++) {
		memset(&zi, 0, sizeof(zi));
		zi.index = i;
		ret = t_ioctl(fd, MMZ_IOC_ZONE_INFO, &zi);
		if (ret == -ENOENT)
			break;
		if (ret) {
			if (verbose)
				fprintf(stderr, "ZONE_INFO(%u): %s\n", i,
					t_errname(ret));
			bad++;
			break;
		}
		if (zi.used || zi.blocks) {
			if (verbose)
				fprintf(stderr, "zone %u \"%.32s\": used %llu, "
					"%u block(s)\n", i, zi.name,
					(unsigned long long)zi.used,
					zi.blocks);
			bad++;
		}
	}
	if ((int)i != t_zone_count()) {
		if (verbose)
			fprintf(stderr, "ZONE_INFO knows %u zone(s), "
				"MMZ_TEST_ZONES %d\n", i, t_zone_count());
		bad++;
	}
	n = t_proc_mmb_count();
	if (n) {
		if (verbose)
			fprintf(stderr, "%s: %d MMB line(s)\n", MEDIA_MEM, n);
		bad++;
	}
	ret = t_check(fd, &ck);
	if (ret || ck.violations || ck.blocks) {
		if (verbose)
			fprintf(stderr, "MMZ_IOC_CHECK: %s, %u violation(s), "
				"%llu block(s)\n", t_errname(ret),
				ck.violations, (unsigned long long)ck.blocks);
		bad++;
	}
	return bad;
}

/*
 * Waits until t_leftovers() is clean, at most @max_ms. A process's blocks
 * are freed by the release of its fds, which runs as task work in its
 * exit before it can be reaped, so after waitpid() nothing should be left;
 * the bound only turns a regression into a failure instead of a hang.
 * Returns the milliseconds waited, or -1 (then prints the leftovers).
 */
static inline int t_wait_reclaimed(int fd, int max_ms)
{
	int ms = 0;

	while (t_leftovers(fd, 0)) {
		if (ms >= max_ms) {
			t_leftovers(fd, 1);
			return -1;
		}
		usleep(10000);
		ms += 10;
	}
	return ms;
}

/* ---- dma-bufs ---- */

/* MMZ_IOC_EXPORT_DMABUF of the block holding @phys: *@out is the fd */
static inline int t_export(int fd, unsigned long phys, unsigned int flags,
			   int *out)
{
	struct mmz_export ex = { .phys = phys, .flags = flags, .fd = -1 };
	int ret = t_ioctl(fd, MMZ_IOC_EXPORT_DMABUF, &ex);

	if (!ret)
		*out = ex.fd;
	return ret;
}

/* MMZ_IOC_IMPORT_DMABUF of @dfd: the block's address and size */
static inline int t_import(int fd, int dfd, unsigned int flags,
			   unsigned long *phys, unsigned long *size)
{
	struct mmz_import im = { .fd = dfd, .flags = flags };
	int ret = t_ioctl(fd, MMZ_IOC_IMPORT_DMABUF, &im);

	if (!ret) {
		*phys = (unsigned long)im.phys;
		*size = (unsigned long)im.size;
	}
	return ret;
}

/* 1 when BLOCK_INFO finds a block starting at @phys */
static inline int t_block_exists(int fd, unsigned long phys)
{
	struct mmz_block_info bi = { .phys = phys };

	return !t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi) && bi.phys == phys;
}

/*
 * Is @va..@va+@len (mapped, every page touched) one physical range? 1
 * with its start in *@phys, 0 if not, -1 if /proc/self/pagemap does not
 * say (it shows frame numbers to CAP_SYS_ADMIN only). How an import's
 * answer is predicted for buffers of other exporters.
 */
static inline int t_phys_range(const void *va, size_t len,
			       unsigned long *phys)
{
	uint64_t e, pfn, first = 0;
	size_t i;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), ret = 1;

	if (fd < 0)
		return -1;
	for (i = 0; i < len / T_PAGE && ret == 1; i++) {
		off_t at = (off_t)((uintptr_t)va / T_PAGE + i) * 8;

		/* bit 63 present, bits 0-54 the frame number */
		if (pread(fd, &e, 8, at) != 8)
			e = 0;
		pfn = e & ((1ULL << 55) - 1);
		if (!(e >> 63) || !pfn)
			ret = -1;
		else if (!i)
			first = pfn;
		else if (pfn != first + i)
			ret = 0;
	}
	close(fd);
	*phys = (unsigned long)(first * T_PAGE);
	return ret;
}

/*
 * Imports @dfd, a buffer of another exporter mapped at @va (@len bytes,
 * every page touched), as pagemap predicts: refused with EINVAL when it is
 * scattered (0), else imported at the range's address with at least @len
 * bytes (1, *@phys set; the caller checks the data and frees it). A PFN
 * mapping (remap_pfn_range, vmf_insert_pfn) has no frame numbers in
 * pagemap: then @must (one range by construction: one page, dma-contig)
 * says it must import, else either answer is taken and only an import is
 * checked. -1: a failure, noted.
 */
static inline int t_import_predicted(int fd, const char *what, int dfd,
				     const void *va, size_t len, int must,
				     unsigned long *phys)
{
	unsigned long want = 0, size = 0;
	int pm = t_phys_range(va, len, &want), r;
	int contig = pm >= 0 ? pm : must ? 1 : -1;

	*phys = 0;
	r = t_import(fd, dfd, 0, phys, &size);
	printf("%s, %zu bytes: %s, import %s\n", what, len,
	       contig > 0 ? "one range" : contig == 0 ? "scattered" :
	       "not known (a PFN mapping)", r ? t_errname(r) : "accepted");
	if (!contig)
		return T_ERR(r, EINVAL) ? 0 : -1;
	if (contig < 0 && r == -EINVAL)
		return 0;
	if (!T_OK(r))
		return -1;
	if (pm > 0)
		T_EQ(*phys, want);
	T_TRUE(size >= len, "%s: import of %lu bytes", what, size);
	return 1;
}

/* ---- processes ---- */

/* Waits for child @pid: its exit status, 128 + signal, or -1. */
static inline int t_reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		t_fail("waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Runs @fn(@arg) in a forked child and returns its exit status (0 pass,
 * 1 fail, ...), or 128 + signal. The child's failures print on stderr.
 */
static inline int t_child(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		t_fail("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		t_failures = 0;
		_exit(fn(arg));
	}
	return t_reap(pid);
}

/*
 * A child that stays while the parent acts: t_pause_child() forks a child
 * that runs @setup(@arg), then waits until t_release_child(), then exits
 * with @check(@arg) (or with what a failed setup returned). The parent continues
 * once the setup is done; t_release_child() returns the child's exit
 * status as t_reap() does (-1 if it could not start).
 */
struct t_paused {
	pid_t pid;
	int go;		/* the parent's end: one byte releases the child */
};

static inline int t_pause_child(struct t_paused *p, int (*setup)(void *),
				int (*check)(void *), void *arg)
{
	int go[2], ready[2], r;
	char c = 0;

	p->pid = -1;
	p->go = -1;
	if (pipe(go))
		return -1;
	if (pipe(ready)) {
		close(go[0]);
		close(go[1]);
		return -1;
	}
	fflush(NULL);
	p->pid = fork();
	if (p->pid == 0) {
		t_failures = 0;
		close(go[1]);
		close(ready[0]);
		r = setup(arg);
		/* waits even after a failed setup: no write into a closed pipe */
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(r ? r : check(arg));
	}
	close(go[0]);
	close(ready[1]);
	if (p->pid > 0 && read(ready[0], &c, 1) == 1)
		p->go = go[1];
	else
		close(go[1]);
	close(ready[0]);
	return p->go >= 0 ? 0 : -1;
}

static inline int t_release_child(struct t_paused *p)
{
	char c = 0;
	int r;

	if (p->pid <= 0)
		return -1;
	if (p->go >= 0) {
		r = write(p->go, &c, 1);
		close(p->go);
		(void)r;
	}
	return t_reap(p->pid);
}

/* One byte through a pipe: a step done, or go on. */
static inline void t_wait_byte(int rfd)
{
	char c;

	while (read(rfd, &c, 1) < 0 && errno == EINTR)
		;
}

static inline void t_send_byte(int wfd)
{
	if (write(wfd, "x", 1) != 1)
		t_fail("pipe write: %s", strerror(errno));
}

#define T_NOBODY	65534

/*
 * The device node opened to every user for the run (mode 0666), as an
 * administrator would with a udev rule, so children that drop to nobody
 * can open it. Returns the old mode for t_dev_restore(), or -1 (noted).
 */
static inline int t_dev_open_to_all(void)
{
	struct stat sb;

	if (stat(MMZ_DEV, &sb) || chmod(MMZ_DEV, 0666)) {
		t_fail("chmod %s: %s", MMZ_DEV, strerror(errno));
		return -1;
	}
	return (int)(sb.st_mode & 07777);
}

static inline void t_dev_restore(int mode)
{
	if (mode >= 0)
		chmod(MMZ_DEV, (mode_t)mode);
}

/* Become nobody: no uid 0, no capabilities. 0 or -1 (a failure noted). */
static inline int t_drop_root(void)
{
	if (setgroups(0, NULL) || setresgid(T_NOBODY, T_NOBODY, T_NOBODY) ||
	    setresuid(T_NOBODY, T_NOBODY, T_NOBODY)) {
		t_fail("dropping to uid %d: %s", T_NOBODY, strerror(errno));
		return -1;
	}
	return T_TRUE(geteuid() == T_NOBODY, "still uid %d",
		      (int)geteuid()) ? 0 : -1;
}

#define T_CHILD(fn, arg)						\
	({								\
		int t_s_ = t_child(fn, arg);				\
		if (t_s_ != 0)						\
			t_fail("child %s: expected exit 0, got %d",	\
			       #fn, t_s_);				\
		t_s_ == 0;						\
	})

#endif /* MMZTEST_H */
