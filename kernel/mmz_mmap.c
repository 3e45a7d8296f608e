// SPDX-License-Identifier: GPL-2.0
/*
 * User mappings: mmap() with offset = physical address, and the REMAP /
 * UNMAP ioctls that call it on the caller's behalf as the vendor does.
 *
 * A mapping keeps its block alive: each one counts in mmb->map_count and
 * the last munmap completes a delayed free. To keep that count and the
 * recorded address true, an mmz VMA is
 *  - never split (may_split refuses: partial munmap/mprotect fail with
 *    EINVAL), so one VMA is one record;
 *  - copied into a fork() child, as the vendor's ordinary shared mappings
 *    are (programs map buffers, then daemonize or fork workers); the
 *    child's copy gets a record of its own (mmz_vm_open()), as a record
 *    describes the VMAs of one address space. MADV_DONTFORK opts out;
 *  - never moved or resized (mremap refuses, VM_DONTEXPAND).
 *
 * Carve-out memory has no struct page: remap_pfn_range() (VM_PFNMAP).
 * CMA memory has struct pages: they are inserted with vm_insert_pages()
 * (VM_MIXEDMAP, normal PTEs), so get_user_pages() works on the mapping and
 * O_DIRECT file I/O can go straight to and from MMZ buffers. All PTEs are
 * set at mmap time, as remap_pfn_range() does, so no fault handler is
 * needed. A write-combine CMA mapping also turns the block's kernel linear
 * mapping write-combine while it lasts (mmz_block_use()).
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

/*
 * A copy of an mmz VMA: mremap() (same mm; refused by mmz_vm_mremap and
 * closed again), or fork(). The child's copy becomes its own plain
 * mapping (no REMAP count: the REMAPs stay the parent's) with its own
 * record: a record describes the VMAs of one mm, so mv->mm stays the mm
 * of a live VMA.
 */
static void mmz_vm_open(struct vm_area_struct *vma)
{
	struct mmz_vma *mv = vma->vm_private_data, *cv;

	if (vma->vm_mm == mv->mm) {
		mutex_lock(&mmz.lock);
		mv->vma_count++;
		mutex_unlock(&mmz.lock);
		return;
	}
	cv = kmemdup(mv, sizeof(*mv), GFP_KERNEL | __GFP_NOFAIL);
	cv->mm = vma->vm_mm;
	cv->vma_count = 1;
	cv->remap_count = 0;
	mutex_lock(&mmz.lock);
	list_add(&cv->node, &cv->mf->vmas);
	if (cv->mmb) {
		/* same mode as the parent's mapping: cannot conflict */
		mmz_block_use(cv->mmb, &cv->cached);
		cv->mmb->map_count++;
	}
	mutex_unlock(&mmz.lock);
	vma->vm_private_data = cv;
}

static void mmz_vm_close(struct vm_area_struct *vma)
{
	struct mmz_vma *mv = vma->vm_private_data;
	struct mmz_mmb *mmb = mv->mmb;

	mutex_lock(&mmz.lock);
	if (--mv->vma_count == 0) {
		list_del(&mv->node);
		if (mmb) {
			mmz_block_unuse(mmb, mv->cached);
			mmb->map_count--;
			mmz_block_put(mmb);
		}
		kfree(mv);
	}
	mutex_unlock(&mmz.lock);
}

/* One VMA, one record: no split, no move (also for dma-buf mappings) */
int mmz_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

int mmz_vm_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

static const struct vm_operations_struct mmz_vm_ops = {
	.open = mmz_vm_open,
	.close = mmz_vm_close,
	.may_split = mmz_vm_may_split,
	.mremap = mmz_vm_mremap,
};

/* Is this the mapping the current REMAP ioctl of @mf asked for? */
static bool mmz_take_pending(struct mmz_file *mf, phys_addr_t phys,
			     size_t len, bool *cached)
{
	struct mmz_remap_req *p = &mf->pending;

	if (!p->active || p->task != current || p->phys != phys ||
	    p->len != len)
		return false;
	p->active = false;
	*cached = p->cached;
	return true;
}

#define MMZ_INSERT_BATCH	512

/* Inserts the struct pages of [@phys, @phys + len of @vma) into @vma. */
static int mmz_insert_pages(struct vm_area_struct *vma, phys_addr_t phys)
{
	unsigned long pfn = PHYS_PFN(phys), addr = vma->vm_start;
	unsigned long left = vma_pages(vma);
	struct page **pages;
	int ret = 0;

	pages = kmalloc_array(MMZ_INSERT_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (left) {
		unsigned long i, n = min_t(unsigned long, left,
					   MMZ_INSERT_BATCH), rest;

		for (i = 0; i < n; i++)
			pages[i] = pfn_to_page(pfn + i);
		rest = n;
		ret = vm_insert_pages(vma, addr, pages, &rest);
		if (ret)
			break;
		if (WARN_ON_ONCE(rest)) {
			ret = -EFAULT;
			break;
		}
		pfn += n;
		addr += n << PAGE_SHIFT;
		left -= n;
	}
	kfree(pages);
	return ret;
}

/**
 * mmz_mmap_fill() - set every PTE of @vma
 * @vma: the mapping, vm_page_prot as asked by the caller
 * @mmb: the block, or NULL for a map_mmz= range
 * @phys: what the VMA's start maps
 * @cached: write-back, else write-combine
 *
 * Return: 0 or the insert/remap error.
 */
int mmz_mmap_fill(struct vm_area_struct *vma, struct mmz_mmb *mmb,
		  phys_addr_t phys, bool cached)
{
	if (!cached)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	if (mmb && mmb->zone->be->ram) {
		mmz_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND |
				 VM_DONTDUMP);
		return mmz_insert_pages(vma, phys);
	}
	mmz_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(phys),
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

/**
 * mmz_mmap() - map part of a live block or of a map_mmz= range
 * @file: an mmz fd
 * @vma: offset = physical address
 *
 * Cached by default, write-combine when the fd was opened with O_SYNC; a
 * REMAP ioctl's explicit choice wins; the fd that allocated the block
 * gets the type of its last REMAP, write-combine before any, as the
 * vendor's. On x86 a block mapped in the other type already gets that
 * type (mmz_block_use()). Only shared mappings are allowed.
 *
 * Return: 0 or -EINVAL / -ENOMEM / the remap_pfn_range() error.
 */
int mmz_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mmz_file *mf = file->private_data;
	size_t len = vma->vm_end - vma->vm_start;
	struct mmz_mmb *mmb;
	struct mmz_vma *mv;
	phys_addr_t phys;
	bool cached = !mf->sync, asked;
	bool remap;
	int ret;

	/* MAYSHARE: do_mmap() drops VM_SHARED for a read-only fd */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff > (PHYS_ADDR_MAX >> PAGE_SHIFT))
		return -EINVAL;
	phys = (phys_addr_t)vma->vm_pgoff << PAGE_SHIFT;

	mv = kzalloc(sizeof(*mv), GFP_KERNEL);
	if (!mv)
		return -ENOMEM;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(phys);
	if (mmb && !mmb->delayed_free &&
	    len <= mmz_mmb_size(mmb) - (phys - mmz_mmb_phys(mmb))) {
		/* inside one live block */
	} else if (!mmb && mmz_in_map_range(phys, len)) {
		/* inside one map_mmz= range */
	} else {
		ret = -EINVAL;
		goto err_unlock;
	}
	if (mmb && !mmz_may_use(mf, mmb)) {
		ret = -EACCES;
		goto err_unlock;
	}
	remap = mmz_take_pending(mf, phys, len, &cached);
	/*
	 * The vendor's plain mmap through the fd that allocated the block,
	 * while that fd holds no REMAP of it: the type of its last REMAP,
	 * write-combine before any, O_SYNC or not.
	 */
	if (!remap && mmb && mmb->owner == mf && !mmz_file_remaps(mf, mmb))
		cached = mmb->owner_cached;
	asked = cached;

	/* x86: the type the block's other mappings have, maybe */
	if (mmb) {
		ret = mmz_block_use(mmb, &cached);
		if (ret)
			goto err_unlock;
	}
	ret = mmz_mmap_fill(vma, mmb, phys, cached);
	if (ret) {
		if (mmb)
			mmz_block_unuse(mmb, cached);
		goto err_unlock;
	}

	mv->mf = mf;
	mv->mmb = mmb;
	mv->mm = vma->vm_mm;
	mv->start = vma->vm_start;
	mv->len = len;
	mv->phys = phys;
	mv->vma_count = 1;
	mv->remap_count = remap ? 1 : 0;
	mv->cached = cached;
	mv->asked_cached = asked;
	list_add(&mv->node, &mf->vmas);
	if (mmb) {
		mmb->map_count++;
		mmb->ucached = cached;
		if (remap && mmb->owner == mf)
			mmb->owner_cached = asked;
	}
	vma->vm_private_data = mv;
	vma->vm_ops = &mmz_vm_ops;
	mutex_unlock(&mmz.lock);
	return 0;

err_unlock:
	mutex_unlock(&mmz.lock);
	kfree(mv);
	return ret;
}

static struct mmz_vma *mmz_find_remap(struct mmz_file *mf,
				      struct mmz_mmb *mmb)
{
	struct mmz_vma *mv;

	list_for_each_entry(mv, &mf->vmas, node)
		if (mv->mmb == mmb && mv->mm == current->mm &&
		    mv->remap_count)
			return mv;
	return NULL;
}

/**
 * mmz_file_find_vma() - this fd's mapping of a whole block in current->mm
 * @mf: the fd
 * @mmb: the block
 *
 * A REMAP mapping is preferred over a plain mmap() of the block start.
 *
 * Return: the record or NULL. Needs mmz.lock.
 */
struct mmz_vma *mmz_file_find_vma(struct mmz_file *mf, struct mmz_mmb *mmb)
{
	struct mmz_vma *mv, *plain = NULL;

	list_for_each_entry(mv, &mf->vmas, node) {
		if (mv->mmb != mmb || mv->mm != current->mm ||
		    mv->phys != mmz_mmb_phys(mmb))
			continue;
		if (mv->remap_count)
			return mv;
		plain = mv;
	}
	return plain;
}

/* Does this fd hold a REMAP of @mmb, in any process? Needs mmz.lock. */
bool mmz_file_remaps(struct mmz_file *mf, struct mmz_mmb *mmb)
{
	struct mmz_vma *mv;

	lockdep_assert_held(&mmz.lock);
	list_for_each_entry(mv, &mf->vmas, node)
		if (mv->mmb == mmb && mv->remap_count)
			return true;
	return false;
}

/**
 * mmz_vma_at() - the mmz mapping covering [@addr, @addr + @len) in current
 * @addr: user address
 * @len: bytes, at least 1
 *
 * Caller holds mmap_lock of current->mm (read): the record lives as long.
 *
 * Return: the record, or NULL when the range is not inside one mmz VMA.
 */
struct mmz_vma *mmz_vma_at(unsigned long addr, u64 len)
{
	struct vm_area_struct *vma = vma_lookup(current->mm, addr);

	if (!vma || vma->vm_ops != &mmz_vm_ops)
		return NULL;
	if (len > vma->vm_end - addr)
		return NULL;
	return vma->vm_private_data;
}

/**
 * mmz_user_remap() - IOC_MMB_USER_REMAP(_CACHED): map a whole block
 * @file: the caller's mmz fd
 * @req: phys in (any byte of the block), mapped out
 * @cached: write-back or write-combine
 *
 * The whole block is mapped (once per fd and mm, counted); @req->mapped is
 * the address of byte @req->phys in that mapping, as the vendor returns it.
 *
 * Return: 0, -ENOENT (no block, or delayed free pending), -EINVAL (mapped
 * by this fd in the other mode), or the vm_mmap() error.
 */
int mmz_user_remap(struct file *file, struct mmz_mmb_req *req, bool cached)
{
	struct mmz_file *mf = file->private_data;
	struct mmz_mmb *mmb;
	struct mmz_vma *mv;
	unsigned long addr;
	phys_addr_t phys;
	u64 size, off;
	int ret = 0;

	mutex_lock(&mf->remap_lock);
	mutex_lock(&mmz.lock);
	mmb = (phys_addr_t)req->phys == req->phys ?
		mmz_block_find_containing(req->phys) : NULL;
	if (!mmb || mmb->delayed_free) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (!mmz_may_use(mf, mmb)) {
		ret = -EACCES;
		goto out_unlock;
	}
	phys = mmz_mmb_phys(mmb);
	off = req->phys - phys;
	mv = mmz_find_remap(mf, mmb);
	if (mv) {
		if (mv->asked_cached != cached) {
			ret = -EINVAL;	/* the vendor's rule for one fd */
		} else if (mv->remap_count == UINT_MAX) {
			ret = -EOVERFLOW;
		} else {
			mv->remap_count++;
			req->mapped = mv->start + off;
		}
		goto out_unlock;
	}
	size = mmz_mmb_size(mmb);
	if (size > ULONG_MAX || phys > ULONG_MAX) {
		ret = -EOVERFLOW;	/* vm_mmap() takes unsigned long */
		goto out_unlock;
	}
	mf->pending = (struct mmz_remap_req) {
		.phys = phys, .len = size, .task = current,
		.cached = cached, .active = true,
	};
	mutex_unlock(&mmz.lock);

	addr = vm_mmap(file, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       phys);

	mutex_lock(&mmz.lock);
	mf->pending.active = false;
	if (IS_ERR_VALUE(addr))
		ret = (int)addr;
	else
		req->mapped = addr + off;
out_unlock:
	mutex_unlock(&mmz.lock);
	mutex_unlock(&mf->remap_lock);
	return ret;
}

/**
 * mmz_user_unmap() - IOC_MMB_USER_UNMAP: drop one REMAP count
 * @file: the caller's mmz fd
 * @phys: any byte of the block
 *
 * The last count unmaps; a cached mapping's lines are cleaned and
 * invalidated first.
 *
 * Return: 0, -ENOENT (no such block), -EINVAL (not mapped by this fd),
 * or the vm_munmap() error.
 */
int mmz_user_unmap(struct file *file, phys_addr_t phys)
{
	struct mmz_file *mf = file->private_data;
	unsigned long start = 0;
	struct mmz_mmb *mmb;
	struct mmz_vma *mv;
	size_t len = 0;
	int ret = 0;

	mutex_lock(&mf->remap_lock);
	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(phys);
	mv = mmb ? mmz_find_remap(mf, mmb) : NULL;
	if (!mmb)
		ret = -ENOENT;
	else if (!mv)
		ret = -EINVAL;
	else if (--mv->remap_count == 0) {
		start = mv->start;
		len = mv->len;
		/*
		 * As the vendor does: what the program wrote through its
		 * cached mapping reaches memory before the mapping goes.
		 */
		if (mv->cached)
			mmz_phys_flush(mv->phys, len);
	}
	mutex_unlock(&mmz.lock);
	if (len)
		ret = vm_munmap(start, len);
	mutex_unlock(&mf->remap_lock);
	return ret;
}
