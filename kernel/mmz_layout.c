// SPDX-License-Identifier: GPL-2.0
/*
 * The user layouts of struct mmb_info, struct dirty_area and generation
 * 3's struct mmb_share_info: every vendor SDK generation in every word
 * size (docs/ABI.md, "Vendor compatibility"). The struct's size is part
 * of the ioctl number and the sizes differ, so one module serves them all
 * at once: an ioctl is found by type, number and size, its argument
 * converted into an ABI-neutral request (struct mmz_mmb_req, ...) by one
 * engine driven by a descriptor, and the results converted back.
 *
 * Each layout is declared as a C struct below and its descriptor is built
 * from offsetof()/sizeof_field() of that struct, with every size and
 * offset checked at compile time.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/build_bug.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/byteorder.h>

#include "mmz_priv.h"

/*
 * The structs. u64 fields are aligned_u64: that is their alignment
 * wherever the layout exists (natural on LP64, the vendor's attribute in
 * the 32-bit SDK for 64-bit kernels), and it keeps every struct the same
 * when a 32-bit kernel compiles this file. w32_stuf holds the prot:8 and
 * flags:12 bit-fields (see MMZ_W32_*).
 */

/* generation 1, ILP32: natural alignment, no aligned(8) */
struct mmz_mmb_info_gen1_ilp32 {
	u32 phys_addr;
	u32 align;
	u32 size;
	u32 order;
	u32 mapped;
	u32 w32_stuf;
	char mmb_name[16];
	char mmz_name[32];
	u32 gfp;
};

/* generation 2, ILP32: the same fields, the struct aligned(8) */
struct mmz_mmb_info_gen2_ilp32 {
	u32 phys_addr;
	u32 align;
	u32 size;
	u32 order;
	u32 mapped;
	u32 w32_stuf;
	char mmb_name[16];
	char mmz_name[32];
	u32 gfp;
} __aligned(8);

/* generation 3, ILP32: 32-byte block name */
struct mmz_mmb_info_gen3_ilp32 {
	u32 phys_addr;
	u32 align;
	u32 size;
	u32 order;
	u32 mapped;
	u32 w32_stuf;
	char mmb_name[32];
	char mmz_name[32];
	u32 gfp;
} __aligned(8);

/* generations 1 and 2, LP64: the same layout */
struct mmz_mmb_info_gen12_lp64 {
	aligned_u64 phys_addr;
	aligned_u64 align;
	aligned_u64 size;
	u32 order;
	aligned_u64 mapped;
	aligned_u64 w32_stuf;
	char mmb_name[16];
	char mmz_name[32];
	aligned_u64 gfp;
} __aligned(8);

/* generation 3, LP64 */
struct mmz_mmb_info_gen3_lp64 {
	aligned_u64 phys_addr;
	aligned_u64 align;
	aligned_u64 size;
	u32 order;
	aligned_u64 mapped;
	aligned_u64 w32_stuf;
	char mmb_name[32];
	char mmz_name[32];
	aligned_u64 gfp;
} __aligned(8);

/*
 * The 32-bit SDK build for 64-bit kernels (KERNEL_BIT_64 + USER_BIT_32),
 * sent by a 32-bit process: u64 phys_addr/align/size, every field
 * aligned(8). mapped, w32_stuf and gfp are 4-byte fields followed by 4
 * bytes of padding that may hold anything: never read.
 */
struct mmz_mmb_info_gen2_sdk32 {
	aligned_u64 phys_addr;
	aligned_u64 align;
	aligned_u64 size;
	u32 __aligned(8) order;
	u32 __aligned(8) mapped;
	u32 __aligned(8) w32_stuf;
	u32 w32_pad;			/* the vendor's union is aligned(8) */
	char mmb_name[16];
	char mmz_name[32];
	u32 __aligned(8) gfp;
} __aligned(8);

struct mmz_mmb_info_gen3_sdk32 {
	aligned_u64 phys_addr;
	aligned_u64 align;
	aligned_u64 size;
	u32 __aligned(8) order;
	u32 __aligned(8) mapped;
	u32 __aligned(8) w32_stuf;
	u32 w32_pad;			/* the vendor's union is aligned(8) */
	char mmb_name[32];
	char mmz_name[32];
	u32 __aligned(8) gfp;
} __aligned(8);

struct mmz_dirty_area_ilp32 {
	u32 dirty_phys_start;
	u32 dirty_virt_start;
	u32 dirty_size;
};

struct mmz_dirty_area_lp64 {
	aligned_u64 dirty_phys_start;
	aligned_u64 dirty_virt_start;
	aligned_u64 dirty_size;
};

/* the 32-bit SDK for 64-bit kernels: a 4-byte pointer, aligned(8) */
struct mmz_dirty_area_sdk32 {
	aligned_u64 dirty_phys_start;
	u32 __aligned(8) dirty_virt_start;
	aligned_u64 dirty_size;
} __aligned(8);

/*
 * generation 3's struct mmb_share_info: unsigned long, two pointers,
 * unsigned long, int; no aligned(8), so a 32-bit SDK build sends the
 * ILP32 layout to a 64-bit kernel too
 */
struct mmz_share_info_ilp32 {
	u32 phys_addr;
	u32 virt_addr;
	u32 mem_handle;
	u32 offset;
	s32 shared_pid;
};

struct mmz_share_info_lp64 {
	aligned_u64 phys_addr;
	aligned_u64 virt_addr;
	aligned_u64 mem_handle;
	aligned_u64 offset;
	s32 shared_pid;
};

/* the vendor's numbers, checked where the structs are declared */
#define MMZ_CHECK_MMB(t, bytes, align_, size_, order_, mapped_, w32_,	\
		      mmb_, mmz_, gfp_, name_len)			\
	static_assert(sizeof(struct t) == (bytes));			\
	static_assert((bytes) <= MMZ_LAYOUT_MAX);			\
	static_assert(offsetof(struct t, phys_addr) == 0);		\
	static_assert(offsetof(struct t, align) == (align_));		\
	static_assert(offsetof(struct t, size) == (size_));		\
	static_assert(offsetof(struct t, order) == (order_));		\
	static_assert(offsetof(struct t, mapped) == (mapped_));		\
	static_assert(offsetof(struct t, w32_stuf) == (w32_));		\
	static_assert(offsetof(struct t, mmb_name) == (mmb_));		\
	static_assert(offsetof(struct t, mmz_name) == (mmz_));		\
	static_assert(offsetof(struct t, gfp) == (gfp_));		\
	static_assert(sizeof_field(struct t, mmb_name) == (name_len));	\
	static_assert(sizeof_field(struct t, mmz_name) == HIL_MMZ_NAME_LEN)

MMZ_CHECK_MMB(mmz_mmb_info_gen1_ilp32, 76, 4, 8, 12, 16, 20, 24, 40, 72, 16);
MMZ_CHECK_MMB(mmz_mmb_info_gen2_ilp32, 80, 4, 8, 12, 16, 20, 24, 40, 72, 16);
MMZ_CHECK_MMB(mmz_mmb_info_gen3_ilp32, 96, 4, 8, 12, 16, 20, 24, 56, 88, 32);
MMZ_CHECK_MMB(mmz_mmb_info_gen12_lp64, 104, 8, 16, 24, 32, 40, 48, 64, 96,
	      16);
MMZ_CHECK_MMB(mmz_mmb_info_gen3_lp64, 120, 8, 16, 24, 32, 40, 48, 80, 112,
	      32);
MMZ_CHECK_MMB(mmz_mmb_info_gen2_sdk32, 104, 8, 16, 24, 32, 40, 48, 64, 96,
	      16);
MMZ_CHECK_MMB(mmz_mmb_info_gen3_sdk32, 120, 8, 16, 24, 32, 40, 48, 80, 112,
	      32);

#define MMZ_CHECK_DIRTY(t, bytes, virt_, size_)				\
	static_assert(sizeof(struct t) == (bytes));			\
	static_assert(offsetof(struct t, dirty_phys_start) == 0);	\
	static_assert(offsetof(struct t, dirty_virt_start) == (virt_));	\
	static_assert(offsetof(struct t, dirty_size) == (size_))

MMZ_CHECK_DIRTY(mmz_dirty_area_ilp32, 12, 4, 8);
MMZ_CHECK_DIRTY(mmz_dirty_area_lp64, 24, 8, 16);
MMZ_CHECK_DIRTY(mmz_dirty_area_sdk32, 24, 8, 16);

#define MMZ_CHECK_SHARE(t, bytes, w)					\
	static_assert(sizeof(struct t) == (bytes));			\
	static_assert(offsetof(struct t, phys_addr) == 0);		\
	static_assert(offsetof(struct t, virt_addr) == (w));		\
	static_assert(offsetof(struct t, mem_handle) == 2 * (w));	\
	static_assert(offsetof(struct t, offset) == 3 * (w));		\
	static_assert(offsetof(struct t, shared_pid) == 4 * (w))

MMZ_CHECK_SHARE(mmz_share_info_ilp32, 20, 4);
MMZ_CHECK_SHARE(mmz_share_info_lp64, 40, 8);

/* the 4-byte pointers of the 32-on-64 layouts, as the vendor declares */
static_assert(sizeof_field(struct mmz_mmb_info_gen2_sdk32, mapped) == 4);
static_assert(sizeof_field(struct mmz_mmb_info_gen3_sdk32, gfp) == 4);
static_assert(sizeof_field(struct mmz_dirty_area_sdk32,
			   dirty_virt_start) == 4);

/* ---- the descriptors ---- */

#define MMZ_LF(t, m)	{ offsetof(struct t, m), sizeof_field(struct t, m) }

#define MMZ_LAYOUT_MMB(t, v2_) {					\
	.bytes = sizeof(struct t),					\
	.v2 = (v2_),							\
	.phys = MMZ_LF(t, phys_addr),					\
	.align = MMZ_LF(t, align),					\
	.size = MMZ_LF(t, size),					\
	.order = MMZ_LF(t, order),					\
	.mapped = MMZ_LF(t, mapped),					\
	.w32 = MMZ_LF(t, w32_stuf),					\
	.mmb_name = MMZ_LF(t, mmb_name),				\
	.mmz_name = MMZ_LF(t, mmz_name),				\
	.gfp = MMZ_LF(t, gfp),						\
}

#define MMZ_LAYOUT_DIRTY(t) {						\
	.bytes = sizeof(struct t),					\
	.phys = MMZ_LF(t, dirty_phys_start),				\
	.virt = MMZ_LF(t, dirty_virt_start),				\
	.size = MMZ_LF(t, dirty_size),					\
}

#define MMZ_LAYOUT_SHARE(t) {						\
	.bytes = sizeof(struct t),					\
	.phys = MMZ_LF(t, phys_addr),					\
	.virt = MMZ_LF(t, virt_addr),					\
	.handle = MMZ_LF(t, mem_handle),				\
	.offset = MMZ_LF(t, offset),					\
	.pid = MMZ_LF(t, shared_pid),					\
}

/*
 * Not every kernel serves every layout (the sets below); all are
 * compiled, so every build checks the whole table.
 */
static const struct mmz_layout_mmb mmz_layout_gen1_ilp32 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen1_ilp32, true);
static const struct mmz_layout_mmb mmz_layout_gen2_ilp32 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen2_ilp32, true);
static const struct mmz_layout_mmb mmz_layout_gen3_ilp32 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen3_ilp32, false);
static const struct mmz_layout_mmb mmz_layout_gen12_lp64 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen12_lp64, true);
static const struct mmz_layout_mmb mmz_layout_gen3_lp64 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen3_lp64, false);
static const struct mmz_layout_mmb mmz_layout_gen2_sdk32 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen2_sdk32, true);
static const struct mmz_layout_mmb mmz_layout_gen3_sdk32 __maybe_unused =
	MMZ_LAYOUT_MMB(mmz_mmb_info_gen3_sdk32, false);

static const struct mmz_layout_dirty mmz_layout_dirty_ilp32 __maybe_unused =
	MMZ_LAYOUT_DIRTY(mmz_dirty_area_ilp32);
static const struct mmz_layout_dirty mmz_layout_dirty_lp64 __maybe_unused =
	MMZ_LAYOUT_DIRTY(mmz_dirty_area_lp64);
static const struct mmz_layout_dirty mmz_layout_dirty_sdk32 __maybe_unused =
	MMZ_LAYOUT_DIRTY(mmz_dirty_area_sdk32);

static const struct mmz_layout_share mmz_layout_share_ilp32 __maybe_unused =
	MMZ_LAYOUT_SHARE(mmz_share_info_ilp32);
static const struct mmz_layout_share mmz_layout_share_lp64 __maybe_unused =
	MMZ_LAYOUT_SHARE(mmz_share_info_lp64);

/*
 * What each entry point serves. Within one set every size is different,
 * so (type, number, size) names one layout.
 */
struct mmz_layout_set {
	const struct mmz_layout_mmb *const *mmb;
	unsigned int nmmb;
	const struct mmz_layout_dirty *const *dirty;
	unsigned int ndirty;
	const struct mmz_layout_share *share;	/* one per word size */
};

#define MMZ_LAYOUT_SET(m, d, s) { m, ARRAY_SIZE(m), d, ARRAY_SIZE(d), s }

#ifdef CONFIG_64BIT
static const struct mmz_layout_mmb *const mmz_native_mmb[] = {
	&mmz_layout_gen12_lp64, &mmz_layout_gen3_lp64,
};
static const struct mmz_layout_dirty *const mmz_native_dirty[] = {
	&mmz_layout_dirty_lp64,
};
#else
static const struct mmz_layout_mmb *const mmz_native_mmb[] = {
	&mmz_layout_gen1_ilp32, &mmz_layout_gen2_ilp32, &mmz_layout_gen3_ilp32,
};
static const struct mmz_layout_dirty *const mmz_native_dirty[] = {
	&mmz_layout_dirty_ilp32,
};
#endif
static const struct mmz_layout_set mmz_layout_native =
	MMZ_LAYOUT_SET(mmz_native_mmb, mmz_native_dirty,
		       IS_ENABLED(CONFIG_64BIT) ? &mmz_layout_share_lp64 :
						  &mmz_layout_share_ilp32);

#ifdef CONFIG_COMPAT
/* a 32-bit process on a 64-bit kernel: plain ILP32 or the SDK32 build */
static const struct mmz_layout_mmb *const mmz_compat_mmb[] = {
	&mmz_layout_gen1_ilp32, &mmz_layout_gen2_ilp32, &mmz_layout_gen3_ilp32,
	&mmz_layout_gen2_sdk32, &mmz_layout_gen3_sdk32,
};
static const struct mmz_layout_dirty *const mmz_compat_dirty[] = {
	&mmz_layout_dirty_ilp32, &mmz_layout_dirty_sdk32,
};
static const struct mmz_layout_set mmz_layout_compat =
	MMZ_LAYOUT_SET(mmz_compat_mmb, mmz_compat_dirty,
		       &mmz_layout_share_ilp32);
#endif

/*
 * The struct mmb_info commands by their native numbers (type, number and
 * direction count, the size is the layout's), and the layouts they exist
 * in. ALLOC_V2 and TEST_CACHE exist in generation 2; they are served at
 * the generation-1 sizes too (harmless), not at generation 3's. 'm' 24
 * and 25 are generation 3's only.
 */
#define MMZ_GEN12	1
#define MMZ_GEN3	2
#define MMZ_GEN_ALL	(MMZ_GEN12 | MMZ_GEN3)

static const struct {
	unsigned int cmd;
	unsigned int gens;
} mmz_layout_cmds[] = {
	{ IOC_MMB_ALLOC, MMZ_GEN_ALL },
	{ IOC_MMB_ATTR, MMZ_GEN_ALL },
	{ IOC_MMB_FREE, MMZ_GEN_ALL },
	{ IOC_MMB_ALLOC_V2, MMZ_GEN12 },
	{ IOC_MMB_USER_REMAP, MMZ_GEN_ALL },
	{ IOC_MMB_USER_REMAP_CACHED, MMZ_GEN_ALL },
	{ IOC_MMB_USER_UNMAP, MMZ_GEN_ALL },
	{ IOC_MMB_VIRT_GET_PHYS, MMZ_GEN_ALL },
	{ IOC_MMB_TEST_CACHE, MMZ_GEN12 },
	{ MMZ_GEN3_SYS_FLUSH_CACHE, MMZ_GEN3 },
	{ MMZ_GEN3_BASE_CHECK_ADDR, MMZ_GEN3 },
};

/* generation 3's struct mmb_share_info commands */
static const unsigned int mmz_layout_share_cmds[] = {
	MMZ_GEN3_MEM_SHARE, MMZ_GEN3_MEM_UNSHARE, MMZ_GEN3_MEM_SHARE_ALL,
	MMZ_GEN3_MEM_UNSHARE_ALL, MMZ_GEN3_VIRT_GET_SYS_MEM,
	MMZ_GEN3_PHYS_GET_SYS_MEM, MMZ_GEN3_HANDLE_GET_SYS_MEM,
};

#define MMZ_RESIZED(cmd, bytes) \
	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), (bytes))

/*
 * prot:8 and flags:12 inside w32_stuf as the compiler lays bit-fields out
 * in a unit of @w bytes: from bit 0 on little-endian, from the most
 * significant bit on big-endian.
 */
#if defined(__LITTLE_ENDIAN_BITFIELD)
#define MMZ_W32_PROT_SHIFT(w)	0
#define MMZ_W32_FLAGS_SHIFT(w)	8
#else
#define MMZ_W32_PROT_SHIFT(w)	((w) * 8 - 8)
#define MMZ_W32_FLAGS_SHIFT(w)	((w) * 8 - 20)
#endif

/* ---- the conversion engine ---- */

/* The caller's struct, copied in: the largest layout, 8-byte aligned. */
union mmz_layout_buf {
	u8 b[MMZ_LAYOUT_MAX];
	u64 align;
};

static u64 mmz_layout_get(const u8 *buf, struct mmz_layout_field f)
{
	u32 v32;
	u64 v64;

	if (f.width == 8) {
		memcpy(&v64, buf + f.off, sizeof(v64));
		return v64;
	}
	memcpy(&v32, buf + f.off, sizeof(v32));
	return v32;
}

/* Only after mmz_layout_fits(): a 4-byte field takes the low half. */
static void mmz_layout_put(u8 *buf, struct mmz_layout_field f, u64 v)
{
	u32 v32 = v;

	if (f.width == 8)
		memcpy(buf + f.off, &v, sizeof(v));
	else
		memcpy(buf + f.off, &v32, sizeof(v32));
}

static bool mmz_layout_fits(struct mmz_layout_field f, u64 v)
{
	return f.width == 8 || v <= U32_MAX;
}

/* A user pointer of the caller's width as a native one. */
static unsigned long mmz_layout_uptr(u64 v, bool compat)
{
#ifdef CONFIG_COMPAT
	if (compat)
		return (unsigned long)compat_ptr((compat_uptr_t)v);
#endif
	return (unsigned long)v;
}

/*
 * A user name field into the request's name buffer, NUL-ended at the
 * field's last byte as the vendor ends it, so none is refused.
 */
static void mmz_layout_name_in(char *dst, size_t dlen, const u8 *buf,
			       struct mmz_layout_field f)
{
	size_t n = min(strnlen((const char *)buf + f.off, f.width - 1),
		       dlen - 1);

	memcpy(dst, buf + f.off, n);
	memset(dst + n, 0, dlen - n);
}

/* A name result into the user field, NUL-padded to its end. */
static void mmz_layout_name_out(u8 *buf, struct mmz_layout_field f,
				const char *src, size_t slen)
{
	size_t n = min_t(size_t, strnlen(src, slen), f.width - 1);

	memcpy(buf + f.off, src, n);
	memset(buf + f.off + n, 0, f.width - n);
}

static void mmz_layout_to_req(const struct mmz_layout_mmb *l, const u8 *buf,
			      struct mmz_mmb_req *req, bool compat)
{
	u64 w32 = mmz_layout_get(buf, l->w32);

	req->phys = mmz_layout_get(buf, l->phys);
	req->align = mmz_layout_get(buf, l->align);
	req->size = mmz_layout_get(buf, l->size);
	req->order = mmz_layout_get(buf, l->order);
	req->mapped = mmz_layout_uptr(mmz_layout_get(buf, l->mapped), compat);
	req->prot = (w32 >> MMZ_W32_PROT_SHIFT(l->w32.width)) & 0xff;
	req->flags = (w32 >> MMZ_W32_FLAGS_SHIFT(l->w32.width)) & 0xfff;
	req->gfp = mmz_layout_get(buf, l->gfp);
	mmz_layout_name_in(req->mmb_name, sizeof(req->mmb_name), buf,
			   l->mmb_name);
	mmz_layout_name_in(req->mmz_name, sizeof(req->mmz_name), buf,
			   l->mmz_name);
	/* the caller's unsigned long, as far as sizes go */
	req->ulong_max = l->size.width == 8 ? U64_MAX : U32_MAX;
}

/*
 * The results into the user's bytes: everything that fits first, then
 * the writes. Fields a command leaves alone go back as they came; names
 * are results of ATTR and VIRT_GET_PHYS, other commands only end them at
 * their last byte as the vendor does; gfp and the padding of the
 * 32-on-64 layouts are never touched.
 */
static int mmz_layout_from_req(const struct mmz_layout_mmb *l, u8 *buf,
			       const struct mmz_mmb_req *req,
			       unsigned int cmd)
{
	unsigned int ps = MMZ_W32_PROT_SHIFT(l->w32.width);
	unsigned int fs = MMZ_W32_FLAGS_SHIFT(l->w32.width);
	u64 mask = (0xffULL << ps) | (0xfffULL << fs);
	u64 w32 = mmz_layout_get(buf, l->w32);

	if (!mmz_layout_fits(l->phys, req->phys) ||
	    !mmz_layout_fits(l->size, req->size) ||
	    !mmz_layout_fits(l->align, req->align) ||
	    !mmz_layout_fits(l->mapped, req->mapped))
		return -EOVERFLOW;
	mmz_layout_put(buf, l->phys, req->phys);
	mmz_layout_put(buf, l->align, req->align);
	mmz_layout_put(buf, l->size, req->size);
	mmz_layout_put(buf, l->order, req->order);
	mmz_layout_put(buf, l->mapped, req->mapped);
	w32 = (w32 & ~mask) | ((u64)(req->prot & 0xff) << ps) |
	      ((u64)(req->flags & 0xfff) << fs);
	mmz_layout_put(buf, l->w32, w32);
	if (cmd == IOC_MMB_ATTR || cmd == IOC_MMB_VIRT_GET_PHYS) {
		mmz_layout_name_out(buf, l->mmb_name, req->mmb_name,
				    sizeof(req->mmb_name));
		mmz_layout_name_out(buf, l->mmz_name, req->mmz_name,
				    sizeof(req->mmz_name));
	} else {
		/* the vendor writes back the names it ended at the last byte */
		buf[l->mmb_name.off + l->mmb_name.width - 1] = 0;
		buf[l->mmz_name.off + l->mmz_name.width - 1] = 0;
	}
	return 0;
}

static long mmz_layout_mmb_ioctl(struct file *file, unsigned int cmd,
				 const struct mmz_layout_mmb *l,
				 void __user *argp, bool compat)
{
	union mmz_layout_buf u;
	struct mmz_mmb_req req;
	long ret;

	if (copy_from_user(u.b, argp, l->bytes))
		return -EFAULT;
	mmz_layout_to_req(l, u.b, &req, compat);
	ret = mmz_mmb_ioctl(file, cmd, &req);
	if (ret || !mmz_cmd_writes_back(cmd))
		return ret;
	ret = mmz_layout_from_req(l, u.b, &req, cmd);
	if (!ret && copy_to_user(argp, u.b, l->bytes))
		ret = -EFAULT;
	if (ret)
		mmz_mmb_undo(file, cmd, &req);
	return ret;
}

static long mmz_layout_dirty_ioctl(struct file *file,
				   const struct mmz_layout_dirty *l,
				   void __user *argp, bool compat)
{
	union mmz_layout_buf u;
	struct mmz_dirty_req req;

	if (copy_from_user(u.b, argp, l->bytes))
		return -EFAULT;
	req.phys = mmz_layout_get(u.b, l->phys);
	req.virt = mmz_layout_uptr(mmz_layout_get(u.b, l->virt), compat);
	req.size = mmz_layout_get(u.b, l->size);
	return mmz_dirty_ioctl(file, &req);
}

/*
 * The share commands: results are the block's start, the offset and the
 * handle (written back only by the _IOWR ones); the rest goes back as it
 * came.
 */
static long mmz_layout_share_ioctl(struct file *file, unsigned int cmd,
				   const struct mmz_layout_share *l,
				   void __user *argp, bool compat)
{
	union mmz_layout_buf u;
	struct mmz_share_req req;
	long ret;

	if (copy_from_user(u.b, argp, l->bytes))
		return -EFAULT;
	req.phys = mmz_layout_get(u.b, l->phys);
	req.virt = mmz_layout_uptr(mmz_layout_get(u.b, l->virt), compat);
	req.handle = mmz_layout_get(u.b, l->handle);
	req.offset = mmz_layout_get(u.b, l->offset);
	req.pid = (s32)mmz_layout_get(u.b, l->pid);
	ret = mmz_memshare_ioctl(file, cmd, &req);
	if (ret || !(_IOC_DIR(cmd) & _IOC_READ))
		return ret;
	if (!mmz_layout_fits(l->phys, req.phys) ||
	    !mmz_layout_fits(l->offset, req.offset))
		return -EOVERFLOW;
	mmz_layout_put(u.b, l->phys, req.phys);
	mmz_layout_put(u.b, l->offset, req.offset);
	mmz_layout_put(u.b, l->handle, req.handle);
	if (copy_to_user(argp, u.b, l->bytes))
		return -EFAULT;
	return 0;
}

/**
 * mmz_layout_ioctl() - the ioctls whose argument is a vendor struct
 * @file: the caller's fd
 * @cmd: the command number as the caller sent it
 * @argp: the argument, a pointer in the kernel's format
 * @compat: a 32-bit process on a 64-bit kernel (compat_ioctl)
 *
 * Finds the layout by the command's type, number and size among those
 * this entry point serves, converts and runs the command.
 *
 * Return: 0 or a negative errno (docs/ABI.md); -ENOIOCTLCMD when @cmd is
 * none of these commands.
 */
long mmz_layout_ioctl(struct file *file, unsigned int cmd,
		      void __user *argp, bool compat)
{
	const struct mmz_layout_set *set = &mmz_layout_native;
	unsigned int size = _IOC_SIZE(cmd), i, j;

#ifdef CONFIG_COMPAT
	if (compat)
		set = &mmz_layout_compat;
#endif
	for (i = 0; i < set->nmmb; i++) {
		const struct mmz_layout_mmb *l = set->mmb[i];

		if (l->bytes != size)
			continue;
		for (j = 0; j < ARRAY_SIZE(mmz_layout_cmds); j++) {
			if (!(mmz_layout_cmds[j].gens &
			      (l->v2 ? MMZ_GEN12 : MMZ_GEN3)))
				continue;
			if (cmd == MMZ_RESIZED(mmz_layout_cmds[j].cmd, size))
				return mmz_layout_mmb_ioctl(file,
						mmz_layout_cmds[j].cmd, l,
						argp, compat);
		}
	}
	for (i = 0; i < set->ndirty; i++) {
		const struct mmz_layout_dirty *l = set->dirty[i];

		if (l->bytes == size &&
		    cmd == MMZ_RESIZED(IOC_MMB_FLUSH_DCACHE_DIRTY, size))
			return mmz_layout_dirty_ioctl(file, l, argp, compat);
	}
	for (i = 0; i < ARRAY_SIZE(mmz_layout_share_cmds); i++)
		if (cmd == MMZ_RESIZED(mmz_layout_share_cmds[i],
				       set->share->bytes))
			return mmz_layout_share_ioctl(file,
					mmz_layout_share_cmds[i], set->share,
					argp, compat);
	return -ENOIOCTLCMD;
}
