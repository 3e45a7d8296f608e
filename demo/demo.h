/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the mmz demo pipeline (capture, checksum, recorder,
 * verify): the frame geometry, the test pattern, the checksum, the
 * messages that cross the pipes, logging, timing and the few
 * /dev/mmz_userdev calls the programs make. Only libc and the uapi header.
 *
 * The pipeline (one process each, separately exec'd, each with its own
 * /dev/mmz_userdev fd):
 *
 *   capture --F--> checksum --F--> recorder --D--> capture
 *
 * F: "F <frame> <slot> <phys> <size> <sum>\n"  a filled frame, by address
 * D: "D <slot> <frame>\n"                      the slot may be reused
 *
 * Only physical addresses and metadata cross the pipes; every stage maps
 * the frame itself. Lines are shorter than PIPE_BUF, so each is written
 * atomically.
 */
#ifndef MMZ_DEMO_H
#define MMZ_DEMO_H

#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi/mmz.h"

#ifndef DEMO_DEV
#define DEMO_DEV	"/dev/" MMZ_DEV_NAME
#endif
#define DEMO_W		1920
#define DEMO_H		1080
#define DEMO_Y_SIZE	((size_t)DEMO_W * DEMO_H)
#define DEMO_FRAME_SIZE	(DEMO_Y_SIZE * 3 / 2)	/* NV12: 3,110,400 bytes */
#define DEMO_PAGE	4096UL
#define DEMO_MAP_SIZE	((DEMO_FRAME_SIZE + DEMO_PAGE - 1) & ~(DEMO_PAGE - 1))
#define DEMO_MB		1e6

/* The moving box of the test pattern. */
#define DEMO_BOX	160

static const char *demo_prog = "demo";

/* One line on stderr, "<$DEMO_PREFIX><prog>: <text>", in a single write. */
__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	const char *pre = getenv("DEMO_PREFIX");
	char buf[1024];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "%s%s: ", pre ? pre : "", demo_prog);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		return;
}


/* Logs and exits 1. */
#define die(...)	do { say(__VA_ARGS__); exit(1); } while (0)

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The checksum: 64-bit FNV-1a over little-endian 64-bit words (then the
 * tail bytes), so it runs at memory speed even under an emulator.
 */
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static inline uint64_t fnv_update(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, b + i, 8);
		h = (h ^ w) * FNV_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

static inline uint64_t fnv(const void *p, size_t len)
{
	return fnv_update(FNV_OFFSET, p, len);
}

/*
 * The test pattern of frame @f, one row at a time into @row (DEMO_W
 * bytes): luma is a diagonal gradient that moves 4 levels per frame with
 * a white box bouncing across it; chroma is a horizontal hue ramp that
 * drifts with the frame number, the box tinted. Row 0 starts with the
 * frame number (8 bytes, little endian), like a camera's frame stamp.
 * @r is the row index in the NV12 buffer: 0..1079 luma, 1080..1619 chroma.
 */
static inline void demo_box(unsigned int f, unsigned int *bx, unsigned int *by)
{
	unsigned int sx = DEMO_W - DEMO_BOX, sy = DEMO_H - DEMO_BOX;
	unsigned int px = (f * 24) % (2 * sx), py = (f * 14) % (2 * sy);

	*bx = px < sx ? px : 2 * sx - px;
	*by = py < sy ? py : 2 * sy - py;
}

static inline void demo_row(unsigned char *row, unsigned int f, unsigned int r)
{
	unsigned int bx, by, x;

	demo_box(f, &bx, &by);
	if (r < DEMO_H) {
		unsigned int base = r + f * 4;

		for (x = 0; x < DEMO_W; x++)
			row[x] = (unsigned char)(x + base);
		if (r >= by && r < by + DEMO_BOX)
			memset(row + bx, 235, DEMO_BOX);
		if (r == 0) {
			uint64_t stamp = f;

			memcpy(row, &stamp, sizeof(stamp));
		}
	} else {
		unsigned int cr = r - DEMO_H;	/* chroma row, half height */
		int boxrow = cr * 2 >= by && cr * 2 < by + DEMO_BOX;

		for (x = 0; x < DEMO_W; x += 2) {
			row[x] = (unsigned char)(96 + (x >> 4) + f);	  /* U */
			row[x + 1] = (unsigned char)(160 - (x >> 5) + f); /* V */
		}
		if (boxrow)
			for (x = bx & ~1u; x < bx + DEMO_BOX; x += 2) {
				row[x] = 90;
				row[x + 1] = 240;
			}
	}
}

/*
 * Checksum of frame @f's test pattern, row by row; the rows are also
 * written to @dst (a whole frame) unless it is NULL.
 */
static inline uint64_t demo_frame(unsigned char *dst, unsigned int f)
{
	static unsigned char row[DEMO_W];
	uint64_t h = FNV_OFFSET;
	unsigned int r;

	for (r = 0; r < DEMO_H * 3 / 2; r++) {
		demo_row(row, f, r);
		h = fnv_update(h, row, DEMO_W);
		if (dst)
			memcpy(dst + (size_t)r * DEMO_W, row, DEMO_W);
	}
	return h;
}

/* ---- messages ---- */

struct demo_msg {
	unsigned int frame;
	unsigned int slot;
	unsigned long phys;
	unsigned long size;
	unsigned long long sum;
};

static inline int msg_send(int fd, const struct demo_msg *m)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "F %u %u 0x%lx %lu %016llx\n",
			 m->frame, m->slot, m->phys, m->size, m->sum);

	return write(fd, buf, n) == n ? 0 : -1;
}

/* 1 on a message, 0 at end of stream, -1 on a malformed line. */
static inline int msg_recv(FILE *in, struct demo_msg *m)
{
	char buf[128];

	if (!fgets(buf, sizeof(buf), in))
		return 0;
	if (sscanf(buf, "F %u %u %lx %lu %llx", &m->frame, &m->slot, &m->phys,
		   &m->size, &m->sum) != 5)
		return -1;
	return 1;
}

static inline int done_send(int fd, unsigned int slot, unsigned int frame)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "D %u %u\n", slot, frame);

	return write(fd, buf, n) == n ? 0 : -1;
}

/* ---- /dev/mmz_userdev ---- */

static inline int mmz_open(void)
{
	int fd = open(DEMO_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", DEMO_DEV, strerror(errno));
	return fd;
}

static inline unsigned long long mmz_features(int fd)
{
	struct mmz_version v;

	memset(&v, 0, sizeof(v));
	if (ioctl(fd, MMZ_IOC_VERSION, &v))
		die("MMZ_IOC_VERSION: %s", strerror(errno));
	return v.features;
}

/*
 * A ring block: IOC_MMB_ALLOC of one frame named @name in @zone, mapped
 * cached (IOC_MMB_USER_REMAP_CACHED); its address in *@phys.
 */
static inline unsigned char *ring_block(int fd, const char *zone,
					const char *name, unsigned long *phys)
{
	struct mmb_info mi;

	memset(&mi, 0, sizeof(mi));
	mi.size = DEMO_FRAME_SIZE;
	snprintf(mi.mmb_name, sizeof(mi.mmb_name), "%.*s",
		 (int)sizeof(mi.mmb_name) - 1, name);
	snprintf(mi.mmz_name, sizeof(mi.mmz_name), "%.*s",
		 (int)sizeof(mi.mmz_name) - 1, zone);
	if (ioctl(fd, IOC_MMB_ALLOC, &mi))
		die("IOC_MMB_ALLOC %s (%zu bytes) in zone \"%s\": %s", name,
		    DEMO_FRAME_SIZE, zone, strerror(errno));
	*phys = mi.phys_addr;
	if (ioctl(fd, IOC_MMB_USER_REMAP_CACHED, &mi))
		die("IOC_MMB_USER_REMAP_CACHED 0x%lx: %s", *phys,
		    strerror(errno));
	return mi.mapped;
}

/* Unmaps and frees a ring block: 0, or 1 (said) */
static inline int ring_block_free(int fd, unsigned long phys)
{
	struct mmb_info mi;

	memset(&mi, 0, sizeof(mi));
	mi.phys_addr = phys;
	if (ioctl(fd, IOC_MMB_USER_UNMAP, &mi)) {
		say("IOC_MMB_USER_UNMAP 0x%lx: %s", phys, strerror(errno));
		return 1;
	}
	memset(&mi, 0, sizeof(mi));
	mi.phys_addr = phys;
	if (ioctl(fd, IOC_MMB_FREE, &mi)) {
		say("IOC_MMB_FREE 0x%lx: %s", phys, strerror(errno));
		return 1;
	}
	return 0;
}

/* Maps a frame by physical address through this process's own fd. */
static inline void *map_phys(int fd, unsigned long phys, int prot)
{
	void *p = mmap(NULL, DEMO_MAP_SIZE, prot, MAP_SHARED, fd, (off_t)phys);

	if (p == MAP_FAILED)
		die("mmap(offset = phys 0x%lx, %lu bytes): %s", phys,
		    DEMO_MAP_SIZE, strerror(errno));
	return p;
}

/*
 * A consumer maps each ring buffer once and keeps the mapping, as a real
 * one would: the ring has a few distinct physical addresses. drop_maps()
 * before closing the pipe downstream, so every mapping is gone before
 * capture frees the blocks.
 */
#define MAX_MAPS 64

static struct { unsigned long phys; void *va; } demo_maps[MAX_MAPS];
static unsigned int demo_nmaps;

static inline void *map_get(int fd, unsigned long phys, int prot)
{
	unsigned int i;

	for (i = 0; i < demo_nmaps; i++)
		if (demo_maps[i].phys == phys)
			return demo_maps[i].va;
	if (demo_nmaps == MAX_MAPS)
		die("more than %d distinct frame addresses", MAX_MAPS);
	demo_maps[demo_nmaps].phys = phys;
	demo_maps[demo_nmaps].va = map_phys(fd, phys, prot);
	return demo_maps[demo_nmaps++].va;
}

static inline void drop_maps(void)
{
	while (demo_nmaps)
		if (munmap(demo_maps[--demo_nmaps].va, DEMO_MAP_SIZE))
			die("munmap: %s", strerror(errno));
}

/* "key=value" lines for run-tests, which sources the file. */
__attribute__((format(printf, 2, 3)))
static inline void stats_write(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

static inline unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s)
		die("bad %s: %s", what, s);
	return v;
}

#endif /* MMZ_DEMO_H */
