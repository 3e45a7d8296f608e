/* SPDX-License-Identifier: MIT */
/*
 * Vendor SDK clients of every generation and word size ("cells"), run
 * against the module. The structs are written here from the rules of the
 * vendor headers (docs/ABI.md, "Vendor compatibility"), not taken from
 * include/uapi/mmz.h, which this program does not include: plain C types,
 * the vendor's alignment attributes, and the ioctl numbers built from
 * them with _IOWR/_IOR/_IOW/_IO. Every size and offset is checked at
 * compile time.
 *
 *   layouts-64 --list [32|64]   cell names of this build (or word size)
 *   layouts-64 <cell>           run one cell: 0 pass, 1 fail, 77 skip
 *   layouts-64                  run every cell of this build
 *
 * Built LP64 the cells are gen1-lp64, gen2-lp64 and gen3-lp64; built
 * -m32 (the compat_ioctl path of a 64-bit kernel) gen1-ilp32, gen2-ilp32,
 * gen3-ilp32 and the 32-bit SDK build for 64-bit kernels, gen2-sdk32on64
 * and gen3-sdk32on64 (skipped on a 32-bit kernel, which has no such SDK).
 * A cell runs every ioctl of its generation twice:
 * with zeroed padding and with garbage in every byte the vendor layout
 * does not use, which must change no result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#if __SIZEOF_LONG__ == 8
#define LP64 1
#else
#define LP64 0
#endif

#define DEV		"/dev/mmz_userdev"
#define MEDIA_MEM	"/proc/media-mem"
#define PAGE		4096UL
#define DEFAULT_ZONES	"anonymous,0,0x30000000,96M:second,0,0x36000000,32M"

/* ---- the vendor structs ---- */

/* Generation 1 (hi3516cv100..cv300, av100, hi3519v101): natural alignment. */
struct gen1_mmb_info {
	unsigned long phys_addr;
	unsigned long align;
	unsigned long size;
	unsigned int order;
	void *mapped;
	union {
		struct {
			unsigned long prot:8;
			unsigned long flags:12;
		};
		unsigned long w32_stuf;
	};
	char mmb_name[16];
	char mmz_name[32];
	unsigned long gfp;
};

struct gen1_dirty_area {
	unsigned long dirty_phys_start;
	unsigned long dirty_virt_start;
	unsigned long dirty_size;
};

/*
 * Generations 2 (hi3516cv500) and 3 (the ot_ SDKs): each field after the
 * first carries an alignment attribute, the struct is aligned(8).
 * Normally the address and length types are unsigned long and the
 * attribute aligned(sizeof(long)); the 32-bit SDK build for 64-bit kernels
 * (KERNEL_BIT_64 + USER_BIT_32) makes them unsigned long long and
 * aligned(8). Generation 3 has 32-byte block names.
 */
#define ALIGN_LONG	__attribute__((aligned(sizeof(long))))
#define ALIGN_8		__attribute__((aligned(8)))

#define VENDOR_MMB_INFO(tag, addr_t, len_t, al, name_len)		\
	struct tag {							\
		addr_t phys_addr;					\
		addr_t al align;					\
		len_t al size;						\
		unsigned int al order;					\
		void *al mapped;					\
		union {							\
			struct {					\
				unsigned long prot:8;			\
				unsigned long flags:12;			\
			};						\
			unsigned long w32_stuf;				\
		} al;							\
		char mmb_name[name_len];				\
		char mmz_name[32];					\
		unsigned long al gfp;					\
	} __attribute__((aligned(8)))

#define VENDOR_DIRTY_AREA(tag, addr_t, len_t, al)			\
	struct tag {							\
		addr_t dirty_phys_start;				\
		void *al dirty_virt_start;				\
		len_t al dirty_size;					\
	} al

VENDOR_MMB_INFO(gen2_mmb_info, unsigned long, unsigned long, ALIGN_LONG, 16);
VENDOR_MMB_INFO(gen3_mmb_info, unsigned long, unsigned long, ALIGN_LONG, 32);
VENDOR_DIRTY_AREA(gen2_dirty_area, unsigned long, unsigned long, ALIGN_LONG);
VENDOR_MMB_INFO(sdk2_mmb_info, unsigned long long, unsigned long long,
		ALIGN_8, 16);
VENDOR_MMB_INFO(sdk3_mmb_info, unsigned long long, unsigned long long,
		ALIGN_8, 32);
VENDOR_DIRTY_AREA(sdk_dirty_area, unsigned long long, unsigned long long,
		  ALIGN_8);

/* the numbers every layout must have (docs/ABI.md) */
#define CHECK_MMB(t, size_, al, sz, ord, map, w32, mmb, mmz, gfp_)	\
	_Static_assert(sizeof(struct t) == (size_), #t " size");	\
	_Static_assert(offsetof(struct t, phys_addr) == 0, #t " phys");	\
	_Static_assert(offsetof(struct t, align) == (al), #t " align");	\
	_Static_assert(offsetof(struct t, size) == (sz), #t " size_");	\
	_Static_assert(offsetof(struct t, order) == (ord), #t " order");	\
	_Static_assert(offsetof(struct t, mapped) == (map), #t " mapped"); \
	_Static_assert(offsetof(struct t, w32_stuf) == (w32), #t " w32"); \
	_Static_assert(offsetof(struct t, mmb_name) == (mmb), #t " mmb");	\
	_Static_assert(offsetof(struct t, mmz_name) == (mmz), #t " mmz");	\
	_Static_assert(offsetof(struct t, gfp) == (gfp_), #t " gfp")

#define CHECK_DIRTY(t, size_, virt, sz)					\
	_Static_assert(sizeof(struct t) == (size_), #t " size");	\
	_Static_assert(offsetof(struct t, dirty_phys_start) == 0, #t);	\
	_Static_assert(offsetof(struct t, dirty_virt_start) == (virt), #t); \
	_Static_assert(offsetof(struct t, dirty_size) == (sz), #t)

#if LP64
CHECK_MMB(gen1_mmb_info, 104, 8, 16, 24, 32, 40, 48, 64, 96);
CHECK_MMB(gen2_mmb_info, 104, 8, 16, 24, 32, 40, 48, 64, 96);
CHECK_MMB(gen3_mmb_info, 120, 8, 16, 24, 32, 40, 48, 80, 112);
CHECK_DIRTY(gen1_dirty_area, 24, 8, 16);
CHECK_DIRTY(gen2_dirty_area, 24, 8, 16);
#else
CHECK_MMB(gen1_mmb_info, 76, 4, 8, 12, 16, 20, 24, 40, 72);
CHECK_MMB(gen2_mmb_info, 80, 4, 8, 12, 16, 20, 24, 40, 72);
CHECK_MMB(gen3_mmb_info, 96, 4, 8, 12, 16, 20, 24, 56, 88);
CHECK_MMB(sdk2_mmb_info, 104, 8, 16, 24, 32, 40, 48, 64, 96);
CHECK_MMB(sdk3_mmb_info, 120, 8, 16, 24, 32, 40, 48, 80, 112);
CHECK_DIRTY(gen1_dirty_area, 12, 4, 8);
CHECK_DIRTY(gen2_dirty_area, 12, 4, 8);
CHECK_DIRTY(sdk_dirty_area, 24, 8, 16);
/* the 32-on-64 SDK: 4-byte pointer and unsigned longs, padded to 8 */
_Static_assert(sizeof(((struct sdk2_mmb_info *)0)->mapped) == 4, "mapped");
_Static_assert(sizeof(((struct sdk2_mmb_info *)0)->gfp) == 4, "gfp");
_Static_assert(sizeof(((struct sdk3_mmb_info *)0)->w32_stuf) == 4, "w32");
#endif

/* ---- a layout-neutral view of one struct mmb_info ---- */

struct op {
	uint64_t phys, align, size;
	unsigned int order;
	uintptr_t mapped;
	unsigned long w32;		/* all of w32_stuf */
	unsigned int prot, flags;	/* its bit-fields */
	char mmb_name[32];
	char mmz_name[32];
};

/*
 * Fills struct @t from @o; every byte no field covers (padding, the upper
 * half of the 32-on-64 SDK's 8-byte slots) is @pad.
 */
#define CODEC(t)							\
static void pack_##t(const struct op *o, void *buf, unsigned char pad)	\
{									\
	struct t *m = buf;						\
									\
	memset(m, pad, sizeof(*m));					\
	m->phys_addr = o->phys;						\
	m->align = o->align;						\
	m->size = o->size;						\
	m->order = o->order;						\
	m->mapped = (void *)o->mapped;					\
	m->w32_stuf = o->w32;						\
	m->prot = o->prot;						\
	m->flags = o->flags;						\
	memcpy(m->mmb_name, o->mmb_name, sizeof(m->mmb_name));		\
	memcpy(m->mmz_name, o->mmz_name, sizeof(m->mmz_name));		\
	m->gfp = 0;							\
}									\
static void unpack_##t(struct op *o, const void *buf)			\
{									\
	const struct t *m = buf;					\
									\
	memset(o, 0, sizeof(*o));					\
	o->phys = m->phys_addr;						\
	o->align = m->align;						\
	o->size = m->size;						\
	o->order = m->order;						\
	o->mapped = (uintptr_t)m->mapped;				\
	o->w32 = m->w32_stuf;						\
	o->prot = m->prot;						\
	o->flags = m->flags;						\
	memcpy(o->mmb_name, m->mmb_name, sizeof(m->mmb_name));		\
	memcpy(o->mmz_name, m->mmz_name, sizeof(m->mmz_name));		\
}

#define DCODEC(t)							\
static void dpack_##t(uint64_t phys, void *virt, uint64_t size, void *buf, \
		      unsigned char pad)				\
{									\
	struct t *d = buf;						\
									\
	memset(d, pad, sizeof(*d));					\
	d->dirty_phys_start = phys;					\
	d->dirty_virt_start = (__typeof__(d->dirty_virt_start))virt;	\
	d->dirty_size = size;						\
}

enum { C_ALLOC, C_ATTR, C_FREE, C_ALLOC_V2, C_REMAP, C_REMAP_CACHED,
	C_UNMAP, C_V2P, C_TEST_CACHE, C_SYS_FLUSH, C_BASE_CHECK, NCMD };

static const char *const cmd_name[NCMD] = {
	"ALLOC", "ATTR", "FREE", "ALLOC_V2", "USER_REMAP",
	"USER_REMAP_CACHED", "USER_UNMAP", "VIRT_GET_PHYS", "TEST_CACHE",
	"SYS_FLUSH_CACHE", "BASE_CHECK_ADDR",
};

/*
 * The generation-2 numbers; generation 3 has no 13 and no 't' 11, but
 * 'm' 24 (SYS_FLUSH_CACHE) and 25 (BASE_CHECK_ADDR)
 */
#define CMDS(t) {							\
	_IOWR('m', 10, struct t), _IOR('m', 11, struct t),		\
	_IOW('m', 12, struct t), _IOWR('m', 13, struct t),		\
	_IOWR('m', 20, struct t), _IOWR('m', 21, struct t),		\
	_IOWR('m', 22, struct t), _IOWR('m', 23, struct t),		\
	_IOW('t', 11, struct t), _IOW('m', 24, struct t),		\
	_IOW('m', 25, struct t) }

#define IOC_MMB_ADD_REF		_IO('r', 30)
#define IOC_MMB_DEC_REF		_IO('r', 31)
#define IOC_MMB_FLUSH_DCACHE	_IO('c', 40)

struct cell {
	const char *name;
	int gen;
	size_t size;			/* of struct mmb_info */
	size_t name_len;		/* of its mmb_name */
	unsigned long cmd[NCMD];
	unsigned long dirty_cmd;
	void (*pack)(const struct op *o, void *buf, unsigned char pad);
	void (*unpack)(struct op *o, const void *buf);
	void (*dpack)(uint64_t phys, void *virt, uint64_t size, void *buf,
		      unsigned char pad);
};

#define CELL(name_, gen_, t, d) {					\
	.name = name_, .gen = gen_, .size = sizeof(struct t),		\
	.name_len = sizeof(((struct t *)0)->mmb_name),			\
	.cmd = CMDS(t), .dirty_cmd = _IOW('d', 50, struct d),		\
	.pack = pack_##t, .unpack = unpack_##t, .dpack = dpack_##d }

CODEC(gen1_mmb_info)
CODEC(gen2_mmb_info)
CODEC(gen3_mmb_info)
DCODEC(gen1_dirty_area)
DCODEC(gen2_dirty_area)

#if LP64
static const struct cell cells[] = {
	CELL("gen1-lp64", 1, gen1_mmb_info, gen1_dirty_area),
	CELL("gen2-lp64", 2, gen2_mmb_info, gen2_dirty_area),
	CELL("gen3-lp64", 3, gen3_mmb_info, gen2_dirty_area),
};
#else
CODEC(sdk2_mmb_info)
CODEC(sdk3_mmb_info)
DCODEC(sdk_dirty_area)

static const struct cell cells[] = {
	CELL("gen1-ilp32", 1, gen1_mmb_info, gen1_dirty_area),
	CELL("gen2-ilp32", 2, gen2_mmb_info, gen2_dirty_area),
	CELL("gen3-ilp32", 3, gen3_mmb_info, gen2_dirty_area),
	CELL("gen2-sdk32on64", 2, sdk2_mmb_info, sdk_dirty_area),
	CELL("gen3-sdk32on64", 3, sdk3_mmb_info, sdk_dirty_area),
};
#endif
#define NCELLS (sizeof(cells) / sizeof(cells[0]))

/* the cell names of each word size, for run-tests' plan (--list 32|64) */
static const char *const names64[] = { "gen1-lp64", "gen2-lp64",
				       "gen3-lp64" };
static const char *const names32[] = { "gen1-ilp32", "gen2-ilp32",
				       "gen3-ilp32", "gen2-sdk32on64",
				       "gen3-sdk32on64" };
_Static_assert(NCELLS == (LP64 ? sizeof(names64) : sizeof(names32)) /
	       sizeof(char *), "a cell name per cell");

/* ---- checks ---- */

static int failures;
static const char *where = "";

#define FAIL(...)							\
	do {								\
		failures++;						\
		fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, where); \
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	} while (0)

#define CHECK(cond, ...)						\
	({								\
		int c_ = !!(cond);					\
		if (!c_)						\
			FAIL(__VA_ARGS__);				\
		c_;							\
	})

#define EQ(a, b)							\
	({								\
		unsigned long long a_ = (unsigned long long)(a);	\
		unsigned long long b_ = (unsigned long long)(b);	\
		CHECK(a_ == b_, "%s: expected %#llx, got %#llx", #a, b_, a_); \
	})

static const char *errname(int r)
{
	return r ? strerrorname_np(-r) : "success";
}

#define RET(expr, want)							\
	({								\
		int r_ = (expr);					\
		CHECK(r_ == (want), "%s: expected %s, got %s", #expr,	\
		      errname(want), errname(r_));			\
	})

/* The whole file, NUL-terminated, malloc'd; NULL on error. */
static char *read_file(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (len + 1 < cap && (n = read(fd, buf + len, cap - len - 1)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return buf;
}

/* The zone @name of $MMZ_TEST_ZONES (run-tests exports its mmz=). */
static int zone_range(const char *name, unsigned long *phys,
		      unsigned long *size)
{
	const char *env = getenv("MMZ_TEST_ZONES");
	char buf[512], *zs, *save, *f[4], *fs;
	int i;

	snprintf(buf, sizeof(buf), "%s", env && *env ? env : DEFAULT_ZONES);
	for (zs = strtok_r(buf, ":", &save); zs;
	     zs = strtok_r(NULL, ":", &save)) {
		f[0] = strtok_r(zs, ",", &fs);
		for (i = 1; i < 4; i++)
			f[i] = strtok_r(NULL, ",", &fs);
		if (!f[3] || strcmp(f[0], name))
			continue;
		*phys = strtoul(f[2], NULL, 0);
		*size = strtoul(f[3], &fs, 0);
		if (*fs == 'M' || *fs == 'm')
			*size <<= 20;
		else if (*fs == 'K' || *fs == 'k')
			*size <<= 10;
		else if (*fs == 'G' || *fs == 'g')
			*size <<= 30;
		return 0;
	}
	return -1;
}

static int cma_mode(void)
{
	const char *m = getenv("MMZ_TEST_MODE");

	return m && !strcmp(m, "cma");
}

/* ---- the ioctls, through the cell's struct ---- */

#define GUARD		0x5c
#define SLACK		16

/*
 * One struct command: @o packed into the cell's struct with @pad in the
 * unused bytes, guard bytes on both sides (the module must not write
 * outside the struct), @o replaced by what comes back. 0 or -errno.
 */
static int mmb_call(const struct cell *c, int fd, int k, struct op *o,
		    unsigned char pad)
{
	unsigned char area[SLACK + 128 + SLACK] __attribute__((aligned(8)));
	unsigned char *arg = area + SLACK;
	size_t i;
	int r;

	memset(area, GUARD, sizeof(area));
	c->pack(o, arg, pad);
	r = ioctl(fd, c->cmd[k], arg) ? -errno : 0;
	for (i = 0; i < sizeof(area); i++)
		if ((i < SLACK || i >= SLACK + c->size) && area[i] != GUARD) {
			FAIL("%s wrote byte %zd outside the %zu-byte struct",
			     cmd_name[k], (ssize_t)i - SLACK, c->size);
			break;
		}
	c->unpack(o, arg);
	return r;
}

static int dirty_call(const struct cell *c, int fd, uint64_t phys,
		      void *virt, uint64_t size, unsigned char pad)
{
	unsigned char buf[32] __attribute__((aligned(8)));

	c->dpack(phys, virt, size, buf, pad);
	return ioctl(fd, c->dirty_cmd, buf) ? -errno : 0;
}

static int val_call(int fd, unsigned long cmd, uint64_t phys)
{
	return ioctl(fd, cmd, (unsigned long)phys) ? -errno : 0;
}

/* bits of w32_stuf beyond prot:8 and flags:12 the module must keep */
#define W32_HIGH	((unsigned long)0x5a5a5a5aabc00000ULL)

static void op_init(struct op *o)
{
	memset(o, 0, sizeof(*o));
	o->w32 = W32_HIGH;
}

static int alloc(const struct cell *c, int fd, int k, const char *name,
		 uint64_t size, uint64_t align, unsigned int order,
		 unsigned char pad, uint64_t *phys)
{
	struct op o;
	int r;

	op_init(&o);
	o.size = size;
	o.align = align;
	o.order = order;
	snprintf(o.mmb_name, sizeof(o.mmb_name), "%s", name);
	snprintf(o.mmz_name, sizeof(o.mmz_name), "anonymous");
	r = mmb_call(c, fd, k, &o, pad);
	*phys = r ? 0 : o.phys;
	/* ALLOC returns phys_addr; what the caller sent comes back as sent */
	if (!r) {
		EQ(o.size, size);
		EQ(o.align, align);
		EQ(o.order, order);
		EQ(o.w32, W32_HIGH);
		CHECK(!memcmp(o.mmb_name, name, strlen(name) + 1),
		      "ALLOC changed mmb_name to \"%.32s\"", o.mmb_name);
	}
	return r;
}

/* ATTR of @addr; checks what every ATTR returns about block @phys. */
static int attr(const struct cell *c, int fd, uint64_t addr, uint64_t phys,
		uint64_t size, const char *name, unsigned char pad,
		struct op *o)
{
	char want[32] = "";
	int r;

	op_init(o);
	o->phys = addr;
	r = mmb_call(c, fd, C_ATTR, o, pad);
	if (r)
		return r;
	EQ(o->phys, phys);
	EQ(o->size, size);
	EQ(o->w32 >> 20, W32_HIGH >> 20);
	/* a longer name is stored cut to fit the field, NUL-padded */
	snprintf(want, c->name_len, "%s", name);
	CHECK(!memcmp(o->mmb_name, want, c->name_len),
	      "ATTR mmb_name \"%.32s\", expected \"%s\" NUL-padded to %zu",
	      o->mmb_name, want, c->name_len);
	memset(want, 0, sizeof(want));
	strcpy(want, "anonymous");
	CHECK(!memcmp(o->mmz_name, want, 32), "ATTR mmz_name \"%.32s\"",
	      o->mmz_name);
	return 0;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)((i * 2654435761u + seed) >> 7);
}

static int verify(const volatile unsigned char *p, size_t len,
		  unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)((i * 2654435761u + seed) >> 7))
			return (int)i;
	return -1;
}

static void run_pass(const struct cell *c, int fd, unsigned char pad)
{
	const size_t size = 4 * PAGE;
	unsigned long zphys = 0, zsize = 0;
	uint64_t phys, lo = 0, hi = 0;
	char name[40];
	unsigned char *va, *va2;
	struct op o;
	int r;

	if (zone_range("anonymous", &zphys, &zsize)) {
		FAIL("no zone \"anonymous\" in MMZ_TEST_ZONES");
		return;
	}
	/* generation 3 names are 32 bytes: one that is cut to 31 */
	if (c->gen == 3)
		snprintf(name, sizeof(name), "layouts-generation-3-names-%zu",
			 c->size);
	else
		snprintf(name, sizeof(name), "layouts-g%d-%zu", c->gen,
			 c->size);

	/* ALLOC: 3 pages + 100 bytes, 64 KiB aligned, rounded to 4 pages */
	if (RET(alloc(c, fd, C_ALLOC, name, 3 * PAGE + 100, 0x10000, 0, pad,
		      &phys), 0) == 0)
		return;
	CHECK(phys % 0x10000 == 0, "ALLOC: phys %#llx not 64 KiB aligned",
	      (unsigned long long)phys);
	CHECK(phys >= zphys && phys + size <= zphys + zsize,
	      "ALLOC: phys %#llx outside zone anonymous",
	      (unsigned long long)phys);

	/* ATTR of an address inside: the block, unmapped */
	if (!RET(attr(c, fd, phys + 5, phys, size, name, pad, &o), 0))
		goto out_free;
	EQ(o.align, 0x10000);
	EQ(o.order, 0);
	EQ(o.mapped, 0);
	EQ(o.prot, 0);
	EQ(o.flags, 0);

	if (c->gen == 2) {
		/*
		 * ALLOC_V2 in both directions; ATTR reports the order. Reading
		 * /proc/media-mem first zeroes freed carve-out memory still
		 * waiting for it (prezero), which until then is not reused.
		 */
		free(read_file(MEDIA_MEM));
		if (RET(alloc(c, fd, C_ALLOC_V2, "v2-low", PAGE, 0, 0, pad,
			      &lo), 0) &&
		    RET(attr(c, fd, lo, lo, PAGE, "v2-low", pad, &o), 0))
			EQ(o.order, 0);
		if (RET(alloc(c, fd, C_ALLOC_V2, "v2-high", PAGE, 0, 1, pad,
			      &hi), 0) &&
		    RET(attr(c, fd, hi, hi, PAGE, "v2-high", pad, &o), 0))
			EQ(o.order, 1);
		if (lo && hi && !cma_mode())
			CHECK(hi > lo, "ALLOC_V2: high-to-low %#llx below "
			      "low-to-high %#llx", (unsigned long long)hi,
			      (unsigned long long)lo);
	} else if (c->gen == 3) {
		/* not in generation 3: unknown commands */
		op_init(&o);
		o.phys = phys;
		RET(mmb_call(c, fd, C_ALLOC_V2, &o, pad), -ENOTTY);
		RET(mmb_call(c, fd, C_TEST_CACHE, &o, pad), -ENOTTY);
	}
	/* BASE_CHECK_ADDR: zone memory or not (generation 3 only) */
	op_init(&o);
	o.phys = zphys + zsize - PAGE;
	o.size = PAGE;
	RET(mmb_call(c, fd, C_BASE_CHECK, &o, pad), c->gen == 3 ? 0 : -ENOTTY);
	o.size = 2 * PAGE;		/* past the zone's end */
	RET(mmb_call(c, fd, C_BASE_CHECK, &o, pad),
	    c->gen == 3 ? -EPERM : -ENOTTY);

	/* USER_REMAP: uncached; ATTR shows the mapping */
	op_init(&o);
	o.phys = phys;
	if (!RET(mmb_call(c, fd, C_REMAP, &o, pad), 0))
		goto out_free;
	va = (unsigned char *)o.mapped;
	CHECK(va != NULL, "USER_REMAP: mapped NULL");
	if (RET(attr(c, fd, phys, phys, size, name, pad, &o), 0)) {
		EQ(o.mapped, (uintptr_t)va);
		EQ(o.prot, PROT_READ | PROT_WRITE);
	}
	fill(va, size, c->gen + pad);

	/*
	 * VIRT_GET_PHYS of a word inside the mapping: the vendor's bit 0 of
	 * phys_addr says cached; an address not 4-byte aligned is EINVAL
	 */
	op_init(&o);
	o.mapped = (uintptr_t)(va + PAGE + 8);
	if (RET(mmb_call(c, fd, C_V2P, &o, pad), 0)) {
		EQ(o.phys, phys + PAGE + 8);
		EQ(o.size, size);
		EQ(o.flags & 1, 0);
		EQ(o.w32 >> 20, W32_HIGH >> 20);
	}
	op_init(&o);
	o.mapped = (uintptr_t)(va + PAGE + 7);
	RET(mmb_call(c, fd, C_V2P, &o, pad), -EINVAL);

	/* FLUSH_DCACHE_DIRTY of the second page; a wrong phys is refused */
	RET(dirty_call(c, fd, phys + PAGE, va + PAGE, PAGE, pad), 0);
	RET(dirty_call(c, fd, phys + 2 * PAGE, va + PAGE, PAGE, pad), -EINVAL);
	/* generation 3's SYS_FLUSH_CACHE: the same range in a mmb_info */
	op_init(&o);
	o.phys = phys + PAGE;
	o.mapped = (uintptr_t)(va + PAGE);
	o.size = PAGE;
	RET(mmb_call(c, fd, C_SYS_FLUSH, &o, pad), c->gen == 3 ? 0 : -ENOTTY);
	o.phys = phys + 2 * PAGE;
	RET(mmb_call(c, fd, C_SYS_FLUSH, &o, pad),
	    c->gen == 3 ? -EINVAL : -ENOTTY);

	op_init(&o);
	o.phys = phys;
	RET(mmb_call(c, fd, C_UNMAP, &o, pad), 0);

	/* USER_REMAP_CACHED: the data is there, VIRT_GET_PHYS says cached */
	op_init(&o);
	o.phys = phys;
	if (!RET(mmb_call(c, fd, C_REMAP_CACHED, &o, pad), 0))
		goto out_free;
	va2 = (unsigned char *)o.mapped;
	r = verify(va2, size, c->gen + pad);
	CHECK(r < 0, "pattern differs at byte %d of the cached mapping", r);
	op_init(&o);
	o.mapped = (uintptr_t)(va2 + size - 4);
	if (RET(mmb_call(c, fd, C_V2P, &o, pad), 0)) {
		EQ(o.phys, (phys + size - 4) | 1);
		EQ(o.flags & 1, 1);
	}

	/* FLUSH_DCACHE by phys, the reference counts, TEST_CACHE */
	RET(val_call(fd, IOC_MMB_FLUSH_DCACHE, phys + PAGE), 0);
	if (c->gen < 3) {
		RET(val_call(fd, IOC_MMB_ADD_REF, phys), 0);
		RET(val_call(fd, IOC_MMB_DEC_REF, phys), 0);
	}
	if (c->gen == 2) {
		op_init(&o);
		o.phys = phys;
		RET(mmb_call(c, fd, C_TEST_CACHE, &o, pad), 0);
	}

	op_init(&o);
	o.phys = phys;
	RET(mmb_call(c, fd, C_UNMAP, &o, pad), 0);
out_free:
	op_init(&o);
	o.phys = phys;
	RET(mmb_call(c, fd, C_FREE, &o, pad), 0);
	RET(mmb_call(c, fd, C_FREE, &o, pad), -ENOENT);
	if (lo) {
		op_init(&o);
		o.phys = lo;
		RET(mmb_call(c, fd, C_FREE, &o, pad), 0);
	}
	if (hi) {
		op_init(&o);
		o.phys = hi;
		RET(mmb_call(c, fd, C_FREE, &o, pad), 0);
	}
}

/* x86_64 or aarch64, also as seen by a 32-bit program */
static int kernel_is_64bit(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.machine, "64");
}

static int run_cell(const struct cell *c)
{
	static const unsigned char pads[] = { 0x00, 0xa5 };
	char *before, *after, label[64];
	unsigned int i;
	int fd;

	/* that SDK build exists for 64-bit kernels only (the vendor's too) */
	if (strstr(c->name, "sdk32on64") && !kernel_is_64bit()) {
		printf("skip: %s is for 64-bit kernels, this one is 32-bit\n",
		       c->name);
		return 77;
	}
	fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "skip: %s: %s\n", DEV, strerror(errno));
		return errno == ENOENT || errno == ENODEV || errno == ENXIO ?
		       77 : 1;
	}
	before = read_file(MEDIA_MEM);
	for (i = 0; i < sizeof(pads); i++) {
		snprintf(label, sizeof(label), "%s, padding %#x", c->name,
			 pads[i]);
		where = label;
		run_pass(c, fd, pads[i]);
	}
	close(fd);
	/* the zones as found: the same /proc/media-mem */
	after = read_file(MEDIA_MEM);
	where = c->name;
	CHECK(before && after && !strcmp(before, after),
	      "%s differs after the cell\n--- before:\n%s--- after:\n%s",
	      MEDIA_MEM, before ? before : "?\n", after ? after : "?\n");
	free(before);
	free(after);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc > 1 && !strcmp(argv[1], "--list")) {
		int bits = argc > 2 ? atoi(argv[2]) : LP64 ? 64 : 32;
		const char *const *n = bits == 64 ? names64 : names32;
		size_t cnt = bits == 64 ? sizeof(names64) / sizeof(*n) :
			     sizeof(names32) / sizeof(*n);

		for (i = 0; i < cnt; i++)
			printf("%s\n", n[i]);
		return 0;
	}
	/* the names run-tests counts are the cells this build has */
	for (i = 0; i < NCELLS; i++)
		if (strcmp(cells[i].name, LP64 ? names64[i] : names32[i])) {
			fprintf(stderr, "cell %u: name list out of date\n", i);
			return 1;
		}
	if (argc > 1) {
		for (i = 0; i < NCELLS; i++)
			if (!strcmp(argv[1], cells[i].name))
				return run_cell(&cells[i]);
		fprintf(stderr, "no cell \"%s\" in this build (--list)\n",
			argv[1]);
		return 1;
	}
	for (i = 0; i < NCELLS; i++) {
		int before = failures, r = run_cell(&cells[i]);

		if (r == 77)
			return 77;
		printf("%s %s\n", failures > before ? "FAIL" : "pass",
		       cells[i].name);
	}
	return failures ? 1 : 0;
}
