// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/mmz_userdev (docs/ABI.md). The handlers work on
 * kernel copies in an ABI-neutral form (struct mmz_mmb_req); the entry
 * points at the bottom (native and compat) let mmz_layout.c convert the
 * vendor structs of every generation and word size to and from it.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "mmz_priv.h"

static bool mmz_phys_ok(u64 phys)
{
	return (phys_addr_t)phys == phys;
}

static int mmz_ioc_alloc(struct mmz_file *mf, struct mmz_mmb_req *req,
			 bool v2)
{
	struct mmz_alloc_req ar = {
		.name = req->mmb_name, .zone = req->mmz_name,
		.align = req->align, .gfp = req->gfp, .v2 = v2,
		.order = v2 ? req->order : MMZ_ALLOC_LOW_TO_HIGH,
	};
	struct mmz_mmb *mmb;
	int ret;

	/* the rounded size must fit the caller's unsigned long */
	if (!req->size || req->size > req->ulong_max - PAGE_SIZE + 1)
		return -EINVAL;
	ar.size = PAGE_ALIGN(req->size);
	/* any align: mmz_block_alloc() rounds it up, as the vendor does */
	if (ar.order != MMZ_ALLOC_LOW_TO_HIGH &&
	    ar.order != MMZ_ALLOC_HIGH_TO_LOW)
		return -EINVAL;

	mutex_lock(&mmz.lock);
	ret = mmz_block_alloc(&ar, &mmb);
	if (!ret) {
		mmz_access_init(mf, mmb);
		list_add_tail(&mmb->owner_node, &mf->blocks);
		req->phys = mmz_mmb_phys(mmb);
	}
	mutex_unlock(&mmz.lock);
	return ret;
}

static int mmz_ioc_attr(struct mmz_file *mf, struct mmz_mmb_req *req)
{
	struct mmz_mmb *mmb;
	struct mmz_vma *mv;

	if (!mmz_phys_ok(req->phys))
		return -ENOENT;
	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(req->phys);
	if (!mmb) {
		mutex_unlock(&mmz.lock);
		return -ENOENT;
	}
	mv = mmz_file_find_vma(mf, mmb);
	req->phys = mmz_mmb_phys(mmb);
	req->size = mmz_mmb_size(mmb);
	req->align = mmb->align;
	req->order = mmb->order;
	req->mapped = mv ? mv->start : 0;
	req->prot = mv ? PROT_READ | PROT_WRITE : PROT_NONE;
	req->flags = mmb->blk->flags & 0xfff;
	strscpy(req->mmb_name, mmb->blk->name, sizeof(req->mmb_name));
	strscpy(req->mmz_name, mmb->zone->z.name, sizeof(req->mmz_name));
	mutex_unlock(&mmz.lock);
	return 0;
}

static struct mmz_ref *mmz_ref_find(struct mmz_file *mf,
				    struct mmz_mmb *mmb)
{
	struct mmz_ref *ref;

	list_for_each_entry(ref, &mf->refs, node)
		if (ref->mmb == mmb)
			return ref;
	return NULL;
}

static int mmz_ioc_free(struct mmz_file *mf, struct mmz_mmb_req *req)
{
	struct mmz_mmb *mmb;
	int ret;

	if (!mmz_phys_ok(req->phys))
		return -ENOENT;
	mutex_lock(&mmz.lock);
	/* any byte of the block, as the vendor looks blocks up */
	mmb = mmz_block_find_containing(req->phys);
	if (!mmb)
		ret = -ENOENT;
	else if (mmb->delayed_free)
		ret = -EALREADY;
	else if (mmb->owner != mf)
		ret = -EPERM;
	else
		ret = mmz_block_free(mmb);
	/*
	 * The vendor answers EBUSY only while the caller's fd holds REMAPs or
	 * references; other mappings (plain mmap, other processes) still
	 * keep the memory until they go, but the caller sees a free.
	 */
	if (ret == -EBUSY && !mmz_file_remaps(mf, mmb) && !mmz_ref_find(mf, mmb))
		ret = 0;
	mutex_unlock(&mmz.lock);
	return ret;
}

/*
 * As the vendor's: a 4-byte aligned address, and bit 0 of the physical
 * address it gives back says "cached" (flags bit 0 too, mmz's).
 */
static int mmz_ioc_virt_get_phys(struct mmz_mmb_req *req)
{
	struct mm_struct *mm = current->mm;
	struct mmz_mmb *mmb;
	struct mmz_vma *mv;
	int ret = 0;

	if (req->mapped & 3)
		return -EINVAL;
	mmap_read_lock(mm);
	mv = mmz_vma_at(req->mapped, 1);
	if (!mv) {
		ret = -ENOENT;
		goto out;
	}
	mutex_lock(&mmz.lock);
	mmb = mv->mmb;
	req->phys = (mv->phys + (req->mapped - mv->start)) | mv->cached;
	req->flags = mv->cached ? 1 : 0;
	if (mmb) {
		req->size = mmz_mmb_size(mmb);
		strscpy(req->mmb_name, mmb->blk->name, sizeof(req->mmb_name));
		strscpy(req->mmz_name, mmb->zone->z.name,
			sizeof(req->mmz_name));
	} else {
		req->size = mv->len;	/* a map_mmz= range: no block */
		memset(req->mmb_name, 0, sizeof(req->mmb_name));
		memset(req->mmz_name, 0, sizeof(req->mmz_name));
	}
	mutex_unlock(&mmz.lock);
out:
	mmap_read_unlock(mm);
	return ret;
}

static int mmz_ioc_test_cache(struct mmz_file *mf, struct mmz_mmb_req *req)
{
	struct mmz_mmb *mmb;
	int ret;

	if (!mmz_phys_ok(req->phys))
		return -ENOENT;
	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(req->phys);
	if (!mmb)
		ret = -ENOENT;
	else if (!mmz_may_use(mf, mmb))
		ret = -EACCES;
	else
		ret = mmz_phys_flush(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
	mutex_unlock(&mmz.lock);
	return ret;
}

/*
 * Generation 3's SYS_FLUSH_CACHE: write back [mapped, mapped + size), the
 * caller's mapping of phys; the checks of FLUSH_DCACHE_DIRTY (the vendor
 * answers -1, EPERM, where they answer EINVAL).
 */
static int mmz_ioc_sys_flush(struct file *file,
			     const struct mmz_mmb_req *req)
{
	struct mmz_dirty_req d = {
		.phys = req->phys, .virt = req->mapped, .size = req->size,
	};

	return mmz_dirty_ioctl(file, &d);
}

/**
 * mmz_mmb_ioctl() - the struct mmb_info ioctls
 * @file: the caller's fd
 * @cmd: the native command number
 * @req: the request, updated in place with the results
 *
 * Return: 0 or a negative errno (docs/ABI.md).
 */
long mmz_mmb_ioctl(struct file *file, unsigned int cmd,
		   struct mmz_mmb_req *req)
{
	struct mmz_file *mf = file->private_data;

	/*
	 * The vendor ends both names at their last byte for every command:
	 * a name filled with strncpy(n, src, sizeof(n)) is cut, not refused.
	 */
	req->mmb_name[sizeof(req->mmb_name) - 1] = '\0';
	req->mmz_name[sizeof(req->mmz_name) - 1] = '\0';

	switch (cmd) {
	case IOC_MMB_ALLOC:
		return mmz_ioc_alloc(mf, req, false);
	case IOC_MMB_ALLOC_V2:
		return mmz_ioc_alloc(mf, req, true);
	case IOC_MMB_ATTR:
		return mmz_ioc_attr(mf, req);
	case IOC_MMB_FREE:
		return mmz_ioc_free(mf, req);
	case IOC_MMB_USER_REMAP:
		return mmz_user_remap(file, req, false);
	case IOC_MMB_USER_REMAP_CACHED:
		return mmz_user_remap(file, req, true);
	case IOC_MMB_USER_UNMAP:
		if (!mmz_phys_ok(req->phys))
			return -ENOENT;
		return mmz_user_unmap(file, req->phys);
	case IOC_MMB_VIRT_GET_PHYS:
		return mmz_ioc_virt_get_phys(req);
	case IOC_MMB_TEST_CACHE:
		return mmz_ioc_test_cache(mf, req);
	case MMZ_GEN3_SYS_FLUSH_CACHE:
		return mmz_ioc_sys_flush(file, req);
	case MMZ_GEN3_BASE_CHECK_ADDR: {
		bool in;

		/* the vendor answers -1 (EPERM) for memory of no zone */
		mutex_lock(&mmz.lock);
		in = mmz_in_zone(req->phys, req->size) ||
		     (mmz_phys_ok(req->phys) &&
		      mmz_in_map_range(req->phys, req->size));
		mutex_unlock(&mmz.lock);
		return in ? 0 : -EPERM;
	}
	}
	return -ENOTTY;
}

/**
 * mmz_dirty_ioctl() - IOC_MMB_FLUSH_DCACHE_DIRTY
 * @file: the caller's fd
 * @req: the dirty range
 *
 * The virtual range must lie in one mmz mapping of the caller and be the
 * mapping of exactly @req->phys, inside one block.
 *
 * Return: 0 or -EINVAL.
 */
long mmz_dirty_ioctl(struct file *file, const struct mmz_dirty_req *req)
{
	struct mm_struct *mm = current->mm;
	struct mmz_vma *mv;
	int ret = -EINVAL;

	if (!req->size)
		return -EINVAL;
	mmap_read_lock(mm);
	mv = mmz_vma_at(req->virt, req->size);
	if (!mv || !mv->mmb)
		goto out;
	if (mv->phys + (req->virt - mv->start) != req->phys)
		goto out;
	mutex_lock(&mmz.lock);
	/* the VMA lies inside the block, so the range does too */
	ret = mmz_phys_flush(req->phys, req->size);
	mutex_unlock(&mmz.lock);
out:
	mmap_read_unlock(mm);
	return ret;
}

static int mmz_ioc_add_ref(struct mmz_file *mf, struct mmz_mmb *mmb)
{
	struct mmz_ref *ref;

	if (mmb->delayed_free)
		return -ENOENT;
	if (mmb->ref_count == UINT_MAX)
		return -EOVERFLOW;
	ref = mmz_ref_find(mf, mmb);
	if (!ref) {
		ref = kzalloc(sizeof(*ref), GFP_KERNEL);
		if (!ref)
			return -ENOMEM;
		ref->mmb = mmb;
		list_add(&ref->node, &mf->refs);
	}
	ref->count++;
	mmb->ref_count++;
	return 0;
}

static int mmz_ioc_dec_ref(struct mmz_file *mf, struct mmz_mmb *mmb)
{
	struct mmz_ref *ref = mmz_ref_find(mf, mmb);

	if (!ref)
		return -EINVAL;
	mmb->ref_count--;
	if (--ref->count == 0) {
		list_del(&ref->node);
		kfree(ref);
	}
	mmz_block_put(mmb);
	return 0;
}

/**
 * mmz_phys_ioctl() - the ioctls whose argument is a physical address
 * @file: the caller's fd
 * @cmd: IOC_MMB_ADD_REF, IOC_MMB_DEC_REF or IOC_MMB_FLUSH_DCACHE
 * @phys: the argument
 *
 * Return: 0 or a negative errno (docs/ABI.md).
 */
long mmz_phys_ioctl(struct file *file, unsigned int cmd, unsigned long phys)
{
	struct mmz_file *mf = file->private_data;
	struct mmz_mmb *mmb;
	long ret;

	mutex_lock(&mmz.lock);
	if (cmd == IOC_MMB_FLUSH_DCACHE && !phys) {
		ret = mmz_flush_all();
		goto out;
	}
	/* any byte of the block, as the vendor looks blocks up */
	mmb = mmz_block_find_containing(phys);
	if (!mmb) {
		ret = -ENOENT;
		goto out;
	}
	if (cmd != IOC_MMB_DEC_REF && !mmz_may_use(mf, mmb)) {
		ret = -EACCES;
		goto out;
	}
	switch (cmd) {
	case IOC_MMB_ADD_REF:
		ret = mmz_ioc_add_ref(mf, mmb);
		break;
	case IOC_MMB_DEC_REF:
		ret = mmz_ioc_dec_ref(mf, mmb);
		break;
	default:
		ret = mmz_phys_flush(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
		break;
	}
out:
	mutex_unlock(&mmz.lock);
	return ret;
}

/* ---- part 2: the 'z' extensions, one layout for every ABI ---- */

static int mmz_ext_zone_info(struct mmz_zone_info *zi)
{
	struct mmz_pool_stats st;
	struct mmz_kzone *kz;

	mutex_lock(&mmz.lock);
	mmz_prezero_settle();
	if (zi->index >= mmz.nzones) {
		mutex_unlock(&mmz.lock);
		return -ENOENT;
	}
	kz = mmz.zones[zi->index];
	mmz_kzone_stats(kz, &st);
	zi->alloc_type = kz->z.alloc_type;
	zi->phys = kz->z.base;
	zi->size = kz->z.size;
	zi->used = st.used;
	zi->largest_free = st.largest_free;
	zi->gfp = kz->z.gfp;
	zi->blocks = st.blocks;
	zi->free_extents = st.free_extents;
	memset(zi->name, 0, sizeof(zi->name));
	strscpy(zi->name, kz->z.name, sizeof(zi->name));
	mutex_unlock(&mmz.lock);
	return 0;
}

static int mmz_ext_block_info(struct mmz_block_info *bi)
{
	struct mmz_mmb *mmb;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_next(bi->phys);
	if (!mmb) {
		mutex_unlock(&mmz.lock);
		return -ENOENT;
	}
	bi->phys = mmz_mmb_phys(mmb);
	bi->size = mmz_mmb_size(mmb);
	bi->kvirt_mapped = mmb->kvirt ? 1 : 0;
	bi->owner_pid = mmb->owner_pid;
	bi->zone_index = mmb->zone->index;
	bi->map_count = mmb->map_count;
	bi->ref_count = mmb->ref_count;
	bi->flags = 0;
	if (mmb->delayed_free)
		bi->flags |= MMZ_BLOCK_DELAYED_FREE;
	if ((mmb->map_count && mmb->ucached) ||
	    (mmb->kvirt && mmb->kmap_cached))
		bi->flags |= MMZ_BLOCK_CACHED;
	if (mmb->dmabufs)
		bi->flags |= MMZ_BLOCK_EXPORTED;
	bi->reserved = 0;
	memset(bi->name, 0, sizeof(bi->name));
	strscpy(bi->name, mmb->blk->name, sizeof(bi->name));
	mutex_unlock(&mmz.lock);
	return 0;
}

static int mmz_ext_check(struct mmz_check *ck)
{
	struct mmz_pool_stats st;
	int i;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	memset(ck, 0, sizeof(*ck));
	mutex_lock(&mmz.lock);
	mmz_prezero_settle();
	for (i = 0; i < mmz.nzones; i++) {
		ck->violations += mmz_kzone_check(mmz.zones[i]);
		mmz_kzone_stats(mmz.zones[i], &st);
		ck->blocks += st.blocks;
	}
	ck->zones = mmz.nzones;
	mutex_unlock(&mmz.lock);
	if (ck->violations)
		pr_err("consistency check: %u violation(s)\n", ck->violations);
	return 0;
}

/**
 * mmz_ext_ioctl() - MMZ_IOC_* (type 'z')
 * @file: the caller's fd
 * @cmd: the command
 * @arg: user pointer to the command's struct
 *
 * Return: 0 or a negative errno (docs/ABI.md).
 */
long mmz_ext_ioctl(struct file *file, unsigned int cmd, void __user *arg)
{
	union {
		struct mmz_version v;
		struct mmz_zone_info zi;
		struct mmz_block_info bi;
		struct mmz_share sh;
		struct mmz_check ck;
		struct mmz_export ex;
		struct mmz_import im;
	} u;
	int ret;

	switch (cmd) {
	case MMZ_IOC_VERSION:
		memset(&u.v, 0, sizeof(u.v));
		u.v.abi_major = MMZ_ABI_MAJOR;
		u.v.abi_minor = MMZ_ABI_MINOR;
		u.v.features = MMZ_FEAT_ZONE_INFO | MMZ_FEAT_BLOCK_INFO |
			       MMZ_FEAT_SHARE | MMZ_FEAT_CHECK |
			       MMZ_FEAT_DMABUF | mmz.be->features;
		if (mmz_import_ready())
			u.v.features |= MMZ_FEAT_IMPORT;
		return copy_to_user(arg, &u.v, sizeof(u.v)) ? -EFAULT : 0;
	case MMZ_IOC_ZONE_INFO:
		if (copy_from_user(&u.zi, arg, sizeof(u.zi)))
			return -EFAULT;
		ret = mmz_ext_zone_info(&u.zi);
		if (ret)
			return ret;
		return copy_to_user(arg, &u.zi, sizeof(u.zi)) ? -EFAULT : 0;
	case MMZ_IOC_BLOCK_INFO:
		if (copy_from_user(&u.bi, arg, sizeof(u.bi)))
			return -EFAULT;
		ret = mmz_ext_block_info(&u.bi);
		if (ret)
			return ret;
		return copy_to_user(arg, &u.bi, sizeof(u.bi)) ? -EFAULT : 0;
	case MMZ_IOC_SHARE:
		if (copy_from_user(&u.sh, arg, sizeof(u.sh)))
			return -EFAULT;
		return mmz_ext_share(file->private_data, &u.sh);
	case MMZ_IOC_CHECK:
		ret = mmz_ext_check(&u.ck);
		if (ret)
			return ret;
		return copy_to_user(arg, &u.ck, sizeof(u.ck)) ? -EFAULT : 0;
	case MMZ_IOC_EXPORT_DMABUF:
		if (copy_from_user(&u.ex, arg, sizeof(u.ex)))
			return -EFAULT;
		return mmz_ext_export(file->private_data, &u.ex, arg);
	case MMZ_IOC_IMPORT_DMABUF:
		if (copy_from_user(&u.im, arg, sizeof(u.im)))
			return -EFAULT;
		ret = mmz_ext_import(file->private_data, &u.im);
		if (ret)
			return ret;
		if (!copy_to_user(arg, &u.im, sizeof(u.im)))
			return 0;
		mmz_import_undo(file->private_data, u.im.phys);
		return -EFAULT;
	}
	return -ENOTTY;
}

/* ---- entry points ---- */

/**
 * mmz_mmb_undo() - take back a command whose results the caller cannot get
 * @file: the caller's fd
 * @cmd: the native command, which succeeded
 * @req: its request and results
 *
 * A failed ioctl has no effect: a block allocated for a caller that cannot
 * be told about it goes away, and so does the map count a REMAP took (and
 * with the last one the mapping).
 */
void mmz_mmb_undo(struct file *file, unsigned int cmd,
		  const struct mmz_mmb_req *req)
{
	struct mmz_file *mf = file->private_data;
	struct mmz_mmb *mmb;

	switch (cmd) {
	case IOC_MMB_ALLOC:
	case IOC_MMB_ALLOC_V2:
		mutex_lock(&mmz.lock);
		mmb = mmz_block_find(req->phys);
		if (mmb && mmb->owner == mf)
			mmz_block_free(mmb);
		mutex_unlock(&mmz.lock);
		break;
	case IOC_MMB_USER_REMAP:
	case IOC_MMB_USER_REMAP_CACHED:
		mmz_user_unmap(file, req->phys);
		break;
	}
}

/* The commands whose argument is the same for every caller. */
static long mmz_common_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg, void __user *argp)
{
	switch (cmd) {
	case IOC_MMB_ADD_REF:
	case IOC_MMB_DEC_REF:
	case IOC_MMB_FLUSH_DCACHE:
		return mmz_phys_ioctl(file, cmd, arg);	/* a number */
	case MMZ_IOC_VERSION:
	case MMZ_IOC_ZONE_INFO:
	case MMZ_IOC_BLOCK_INFO:
	case MMZ_IOC_EXPORT_DMABUF:
	case MMZ_IOC_IMPORT_DMABUF:
	case MMZ_IOC_SHARE:
	case MMZ_IOC_CHECK:
		return mmz_ext_ioctl(file, cmd, argp);
	}
	return -ENOTTY;
}

/**
 * mmz_ioctl() - unlocked_ioctl of /dev/mmz_userdev
 * @file: the fd
 * @cmd: command (docs/ABI.md)
 * @arg: argument
 *
 * Return: 0 or a negative errno; -ENOTTY for an unknown command.
 */
long mmz_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	long ret;

	ret = mmz_layout_ioctl(file, cmd, argp, false);
	if (ret != -ENOIOCTLCMD)
		return ret;
	return mmz_common_ioctl(file, cmd, arg, argp);
}

#ifdef CONFIG_COMPAT
/**
 * mmz_compat_ioctl() - compat_ioctl of /dev/mmz_userdev
 * @file: the fd
 * @cmd: a 32-bit process's command number
 * @arg: argument
 *
 * The struct commands have 32-bit layouts of their own (mmz_layout.c);
 * the others are the same for every caller.
 *
 * Return: as mmz_ioctl().
 */
long mmz_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = compat_ptr(arg);
	long ret;

	ret = mmz_layout_ioctl(file, cmd, argp, true);
	if (ret != -ENOIOCTLCMD)
		return ret;
	return mmz_common_ioctl(file, cmd, arg, argp);
}
#endif
