// SPDX-License-Identifier: GPL-2.0
/*
 * Generation 3's 's' commands (docs/ABI.md, "Generation 3's share
 * commands"), served on mmz's sharing model (mmz_access.c): MEM_SHARE is a
 * grant to a process, MEM_SHARE_ALL opens the block to every opener, the
 * handle is a number from mmz_handle_get(). The vendor's errors: EINVAL for
 * a handle or address that names no block, EPERM for everything refused.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>

#include "mmz_priv.h"

/*
 * The block a MEM_(UN)SHARE(_ALL) names, and whether the caller may
 * change its sharing: only the allocating process, and not for kernel
 * blocks (the vendor's kernel_only).
 */
static int mmz_memshare_block(const struct mmz_share_req *req,
			      struct mmz_mmb **mmbp)
{
	struct mmz_mmb *mmb = mmz_handle_find(req->handle);

	if (!mmb)
		return -EINVAL;
	*mmbp = mmb;
	return mmb->owner_tgid ? 0 : -EPERM;
}

/*
 * MEM_SHARE: the owner lets @req->pid use the block. A pid with no
 * process is accepted and changes nothing (the vendor records the number).
 */
static int mmz_memshare_share(struct mmz_file *mf,
			      const struct mmz_share_req *req)
{
	struct pid *tgid = mmz_process_get(req->pid);
	struct mmz_grant *g = NULL;
	struct mmz_mmb *mmb;
	int ret;

	if (tgid) {
		g = mmz_grant_new(tgid);
		if (!g) {
			put_pid(tgid);
			return -ENOMEM;
		}
	}
	mutex_lock(&mmz.lock);
	ret = mmz_memshare_block(req, &mmb);
	if (ret)
		goto out;
	if (mmb->shared_all || !mmz_is_owner(mf, mmb) ||
	    (tgid && tgid == mmb->owner_tgid)) {
		ret = -EPERM;
		goto out;
	}
	/* a full list is EPERM to the vendor */
	if (g && mmz_grant_add(mmb, &g))
		ret = -EPERM;
out:
	mutex_unlock(&mmz.lock);
	mmz_grant_free(g);
	return ret;
}

/* MEM_UNSHARE: the owner, or the sharer itself, ends a share. */
static int mmz_memshare_unshare(struct mmz_file *mf,
				const struct mmz_share_req *req)
{
	struct pid *tgid = mmz_process_get(req->pid);
	struct mmz_mmb *mmb;
	int ret;

	mutex_lock(&mmz.lock);
	ret = mmz_memshare_block(req, &mmb);
	if (ret)
		goto out;
	if (mmb->shared_all || !tgid ||
	    (!mmz_is_owner(mf, mmb) && tgid != task_tgid(current)) ||
	    !mmz_grant_del(mmb, tgid))
		ret = -EPERM;
out:
	mutex_unlock(&mmz.lock);
	put_pid(tgid);
	return ret;
}

/* MEM_SHARE_ALL and MEM_UNSHARE_ALL: the owner opens or closes the block. */
static int mmz_memshare_all(struct mmz_file *mf,
			    const struct mmz_share_req *req, bool all)
{
	struct mmz_mmb *mmb;
	int ret;

	mutex_lock(&mmz.lock);
	ret = mmz_memshare_block(req, &mmb);
	if (ret || mmb->shared_all == all)
		goto out;
	if (!mmz_is_owner(mf, mmb))
		ret = -EPERM;
	else {
		mmb->shared_all = all;
		mmz_faces_sync(mmb);
	}
out:
	mutex_unlock(&mmz.lock);
	return ret;
}

/*
 * The GET_SYS_MEM results: block start, @phys's offset, the handle (made
 * on first use, under the lock: the block must not die meanwhile).
 */
static int mmz_memshare_result(struct mmz_mmb *mmb, u64 phys,
			       struct mmz_share_req *req)
{
	int ret = mmz_handle_get(mmb);

	if (ret)
		return ret;
	req->phys = mmz_mmb_phys(mmb);
	req->offset = phys - req->phys;
	req->handle = mmb->handle;
	return 0;
}

/*
 * VIRT_GET_SYS_MEM: the block behind a 4-byte aligned address (as the
 * vendor's VIRT_GET_PHYS) of the caller's mmz mappings, with no share
 * check (the caller maps it already).
 */
static int mmz_memshare_by_virt(struct mmz_share_req *req)
{
	struct mm_struct *mm = current->mm;
	struct mmz_vma *mv;
	int ret = -EINVAL;

	if (req->virt & 3)
		return -EINVAL;
	mmap_read_lock(mm);
	mv = mmz_vma_at(req->virt, 1);
	if (mv && mv->mmb && !mv->mmb->delayed_free) {
		mutex_lock(&mmz.lock);
		ret = mmz_memshare_result(mv->mmb,
					  mv->phys + (req->virt - mv->start),
					  req);
		mutex_unlock(&mmz.lock);
	}
	mmap_read_unlock(mm);
	return ret;
}

/* PHYS_GET_SYS_MEM and HANDLE_GET_SYS_MEM: for callers that may use it. */
static int mmz_memshare_by_phys(struct mmz_file *mf,
				struct mmz_share_req *req, bool by_handle)
{
	struct mmz_mmb *mmb;
	u64 phys = req->phys;
	int ret;

	mutex_lock(&mmz.lock);
	if (by_handle) {
		mmb = mmz_handle_find(req->handle);
		phys = mmb ? mmz_mmb_phys(mmb) : 0;
	} else {
		mmb = (phys_addr_t)phys == phys ?
		      mmz_block_find_containing(phys) : NULL;
		if (mmb && mmb->delayed_free)
			mmb = NULL;
	}
	if (!mmb)
		ret = -EINVAL;
	else if (!mmz_may_use(mf, mmb))
		ret = -EPERM;
	else
		ret = mmz_memshare_result(mmb, phys, req);
	mutex_unlock(&mmz.lock);
	return ret;
}

/**
 * mmz_memshare_ioctl() - generation 3's struct mmb_share_info commands
 * @file: the caller's fd
 * @cmd: MMZ_GEN3_MEM_* or MMZ_GEN3_*_GET_SYS_MEM
 * @req: the request; the GET_SYS_MEM commands fill phys, offset, handle
 *
 * Return: 0, -EINVAL (no such block), -EPERM (refused), -ENOMEM.
 */
long mmz_memshare_ioctl(struct file *file, unsigned int cmd,
			struct mmz_share_req *req)
{
	struct mmz_file *mf = file->private_data;

	switch (cmd) {
	case MMZ_GEN3_MEM_SHARE:
		return mmz_memshare_share(mf, req);
	case MMZ_GEN3_MEM_UNSHARE:
		return mmz_memshare_unshare(mf, req);
	case MMZ_GEN3_MEM_SHARE_ALL:
		return mmz_memshare_all(mf, req, true);
	case MMZ_GEN3_MEM_UNSHARE_ALL:
		return mmz_memshare_all(mf, req, false);
	case MMZ_GEN3_VIRT_GET_SYS_MEM:
		return mmz_memshare_by_virt(req);
	case MMZ_GEN3_PHYS_GET_SYS_MEM:
		return mmz_memshare_by_phys(mf, req, false);
	case MMZ_GEN3_HANDLE_GET_SYS_MEM:
		return mmz_memshare_by_phys(mf, req, true);
	}
	return -ENOTTY;
}
