// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit processes on a 64-bit kernel. They send the ILP32 struct mmb_info
 * (80 bytes) and struct dirty_area (12 bytes); the size is encoded in the
 * command, so their command numbers differ from the native ones. The
 * structs are converted field by field, both ways. The 'r', 'c' and 'z'
 * commands have one layout and are passed on.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/build_bug.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/byteorder.h>

#include "mmz_priv.h"

struct mmz_compat_mmb_info {
	compat_ulong_t phys_addr;
	compat_ulong_t align;
	compat_ulong_t size;
	compat_uint_t order;
	compat_uptr_t mapped;
	compat_ulong_t w32_stuf;	/* prot:8, flags:12 bit-fields */
	char mmb_name[HIL_MMB_NAME_LEN];
	char mmz_name[HIL_MMZ_NAME_LEN];
	compat_ulong_t gfp;
} __aligned(8);

struct mmz_compat_dirty_area {
	compat_ulong_t dirty_phys_start;
	compat_uptr_t dirty_virt_start;
	compat_ulong_t dirty_size;
};

static_assert(sizeof(struct mmz_compat_mmb_info) == 80);
static_assert(offsetof(struct mmz_compat_mmb_info, order) == 12);
static_assert(offsetof(struct mmz_compat_mmb_info, mapped) == 16);
static_assert(offsetof(struct mmz_compat_mmb_info, w32_stuf) == 20);
static_assert(offsetof(struct mmz_compat_mmb_info, mmb_name) == 24);
static_assert(offsetof(struct mmz_compat_mmb_info, mmz_name) == 40);
static_assert(offsetof(struct mmz_compat_mmb_info, gfp) == 72);
static_assert(sizeof(struct mmz_compat_dirty_area) == 12);

/* The 32-bit command number of a native struct mmb_info command. */
#define MMZ_COMPAT_CMD(cmd) \
	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), \
	     sizeof(struct mmz_compat_mmb_info))

static const unsigned int mmz_mmb_cmds[] = {
	IOC_MMB_ALLOC, IOC_MMB_ATTR, IOC_MMB_FREE, IOC_MMB_ALLOC_V2,
	IOC_MMB_USER_REMAP, IOC_MMB_USER_REMAP_CACHED, IOC_MMB_USER_UNMAP,
	IOC_MMB_VIRT_GET_PHYS, IOC_MMB_TEST_CACHE,
};

#define MMZ_COMPAT_FLUSH_DCACHE_DIRTY \
	_IOW('d', 50, struct mmz_compat_dirty_area)

/* prot:8 and flags:12 as the 32-bit compiler lays the bit-fields out */
#if defined(__LITTLE_ENDIAN_BITFIELD)
#define MMZ_W32_PROT_SHIFT	0
#define MMZ_W32_FLAGS_SHIFT	8
#else
#define MMZ_W32_PROT_SHIFT	24
#define MMZ_W32_FLAGS_SHIFT	12
#endif
#define MMZ_W32_MASK	((0xffU << MMZ_W32_PROT_SHIFT) | \
			 (0xfffU << MMZ_W32_FLAGS_SHIFT))

static void mmz_req_from_compat(struct mmz_mmb_req *req,
				const struct mmz_compat_mmb_info *ci)
{
	req->phys = ci->phys_addr;
	req->align = ci->align;
	req->size = ci->size;
	req->order = ci->order;
	req->mapped = (unsigned long)compat_ptr(ci->mapped);
	req->prot = (ci->w32_stuf >> MMZ_W32_PROT_SHIFT) & 0xff;
	req->flags = (ci->w32_stuf >> MMZ_W32_FLAGS_SHIFT) & 0xfff;
	memcpy(req->mmb_name, ci->mmb_name, sizeof(req->mmb_name));
	memcpy(req->mmz_name, ci->mmz_name, sizeof(req->mmz_name));
	req->ulong_max = U32_MAX;
}

static int mmz_req_to_compat(struct mmz_compat_mmb_info *ci,
			     const struct mmz_mmb_req *req)
{
	if (req->phys > U32_MAX || req->size > U32_MAX ||
	    req->align > U32_MAX || req->mapped > U32_MAX)
		return -EOVERFLOW;
	ci->phys_addr = req->phys;
	ci->align = req->align;
	ci->size = req->size;
	ci->order = req->order;
	ci->mapped = ptr_to_compat((void __user *)req->mapped);
	ci->w32_stuf = (ci->w32_stuf & ~MMZ_W32_MASK) |
		       ((req->prot & 0xff) << MMZ_W32_PROT_SHIFT) |
		       ((req->flags & 0xfff) << MMZ_W32_FLAGS_SHIFT);
	memcpy(ci->mmb_name, req->mmb_name, sizeof(ci->mmb_name));
	memcpy(ci->mmz_name, req->mmz_name, sizeof(ci->mmz_name));
	return 0;
}

static long mmz_compat_mmb(struct file *file, unsigned int cmd,
			   void __user *argp)
{
	struct mmz_compat_mmb_info ci;
	struct mmz_mmb_req req;
	long ret;

	if (copy_from_user(&ci, argp, sizeof(ci)))
		return -EFAULT;
	mmz_req_from_compat(&req, &ci);
	ret = mmz_mmb_ioctl(file, cmd, &req);
	if (ret || !mmz_cmd_writes_back(cmd))
		return ret;
	ret = mmz_req_to_compat(&ci, &req);
	if (!ret && copy_to_user(argp, &ci, sizeof(ci)))
		ret = -EFAULT;
	if (ret)
		mmz_mmb_undo(file, cmd, &req);
	return ret;
}

static long mmz_compat_dirty(struct file *file, void __user *argp)
{
	struct mmz_compat_dirty_area da;
	struct mmz_dirty_req req;

	if (copy_from_user(&da, argp, sizeof(da)))
		return -EFAULT;
	req.phys = da.dirty_phys_start;
	req.virt = (unsigned long)compat_ptr(da.dirty_virt_start);
	req.size = da.dirty_size;
	return mmz_dirty_ioctl(file, &req);
}

/**
 * mmz_compat_ioctl() - compat_ioctl of /dev/mmz_userdev
 * @file: the fd
 * @cmd: a 32-bit command number
 * @arg: argument
 *
 * Return: as mmz_ioctl().
 */
long mmz_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = compat_ptr(arg);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mmz_mmb_cmds); i++)
		if (cmd == MMZ_COMPAT_CMD(mmz_mmb_cmds[i]))
			return mmz_compat_mmb(file, mmz_mmb_cmds[i], argp);

	switch (cmd) {
	case MMZ_COMPAT_FLUSH_DCACHE_DIRTY:
		return mmz_compat_dirty(file, argp);
	case IOC_MMB_ADD_REF:
	case IOC_MMB_DEC_REF:
	case IOC_MMB_FLUSH_DCACHE:
		return mmz_phys_ioctl(file, cmd, arg);	/* a number */
	case MMZ_IOC_VERSION:
	case MMZ_IOC_ZONE_INFO:
	case MMZ_IOC_BLOCK_INFO:
	case MMZ_IOC_EXPORT_DMABUF:
	case MMZ_IOC_SHARE:
	case MMZ_IOC_CHECK:
		return mmz_ext_ioctl(file, cmd, argp);
	}
	return -ENOTTY;
}
