// SPDX-License-Identifier: GPL-2.0
/*
 * dma-buf export (MMZ_IOC_EXPORT_DMABUF): a block becomes a dma-buf that
 * V4L2, DRM and other importers take by fd.
 *
 *  - Each export makes a dma-buf of its own, with the access mode asked;
 *    every dma-buf holds the block (mmb->dmabufs counts them), so FREE,
 *    closing the device fd or the owner's death leave the block alive
 *    until the last dma-buf reference goes; then the delayed free runs,
 *    once. A dma-buf also holds mmz.ko (its owner), so the module stays.
 *  - Importers get one contiguous range. A CMA block (System RAM) is
 *    mapped by its pages (dma_map_sgtable(): the DMA API does the cache
 *    work); a carve-out block has no page the kernel manages, so the
 *    importer gets the DMA address of the range only (dma_map_resource(),
 *    no struct page in the scatter list) and mmz cleans the CPU caches.
 *  - The CPU: mmap of the dma-buf maps the block cached, as a plain mmap
 *    of /dev/mmz_userdev; DMA_BUF_IOCTL_SYNC (begin/end_cpu_access) cleans
 *    and invalidates the block's lines. vmap gives the block's kernel
 *    mapping (write-combine, or the mode it is mapped in already).
 *  - Whoever holds the fd may map the block: passing the fd (SCM_RIGHTS)
 *    shares the block with that process, beside MMZ_IOC_SHARE.
 *
 * Lock order: a dma-buf's reservation lock (held by the callers of map,
 * mmap and vmap) before mmz.lock; nothing here takes a reservation lock.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

MMZ_IMPORT_DMA_BUF_NS();

/* A CPU mapping of a dma-buf: its VMAs (fork copies) share this record. */
struct mmz_dmabuf_vma {
	struct mmz_mmb *mmb;
	bool cached;
	unsigned int vmas;
};

static struct sg_table *mmz_dmabuf_map(struct dma_buf_attachment *at,
				       enum dma_data_direction dir)
{
	struct mmz_mmb *mmb = at->dmabuf->priv;
	phys_addr_t phys = mmz_mmb_phys(mmb);
	size_t size = mmz_mmb_size(mmb);
	struct sg_table *sgt;
	dma_addr_t addr;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret)
		goto err_free;
	if (mmb->zone->be->ram) {
		sg_set_page(sgt->sgl, pfn_to_page(PHYS_PFN(phys)), size, 0);
		ret = dma_map_sgtable(at->dev, sgt, dir, 0);
		if (ret)
			goto err_table;
		return sgt;
	}
	/* the device reads what CPU caches hold, and none is left stale */
	ret = mmz_phys_flush(phys, size);
	if (ret)
		goto err_table;
	addr = dma_map_resource(at->dev, phys, size, dir, 0);
	if (dma_mapping_error(at->dev, addr)) {
		ret = -ENOMEM;
		goto err_table;
	}
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = size;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void mmz_dmabuf_unmap(struct dma_buf_attachment *at,
			     struct sg_table *sgt,
			     enum dma_data_direction dir)
{
	struct mmz_mmb *mmb = at->dmabuf->priv;

	if (mmb->zone->be->ram) {
		dma_unmap_sgtable(at->dev, sgt, dir, 0);
	} else {
		dma_unmap_resource(at->dev, sg_dma_address(sgt->sgl),
				   sg_dma_len(sgt->sgl), dir, 0);
		/* no line the CPU may read was filled before the device wrote */
		if (dir != DMA_TO_DEVICE)
			mmz_phys_flush(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
	}
	sg_free_table(sgt);
	kfree(sgt);
}

/* The last reference: the block loses this hold and may go now. */
static void mmz_dmabuf_release(struct dma_buf *dmabuf)
{
	struct mmz_mmb *mmb = dmabuf->priv;

	mutex_lock(&mmz.lock);
	mmb->dmabufs--;
	mmz_block_put(mmb);
	mutex_unlock(&mmz.lock);
}

static int mmz_dmabuf_cpu_access(struct dma_buf *dmabuf,
				 enum dma_data_direction dir)
{
	struct mmz_mmb *mmb = dmabuf->priv;

	return mmz_phys_flush(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
}

static void mmz_dmabuf_vm_open(struct vm_area_struct *vma)
{
	struct mmz_dmabuf_vma *dv = vma->vm_private_data;

	mutex_lock(&mmz.lock);
	dv->vmas++;
	mmz_block_use(dv->mmb, &dv->cached);	/* the same mode: no error */
	dv->mmb->map_count++;
	mutex_unlock(&mmz.lock);
}

static void mmz_dmabuf_vm_close(struct vm_area_struct *vma)
{
	struct mmz_dmabuf_vma *dv = vma->vm_private_data;
	bool last;

	mutex_lock(&mmz.lock);
	mmz_block_unuse(dv->mmb, dv->cached);
	dv->mmb->map_count--;
	mmz_block_put(dv->mmb);
	last = !--dv->vmas;
	mutex_unlock(&mmz.lock);
	if (last)
		kfree(dv);
}

static const struct vm_operations_struct mmz_dmabuf_vm_ops = {
	.open = mmz_dmabuf_vm_open,
	.close = mmz_dmabuf_vm_close,
	.may_split = mmz_vm_may_split,
	.mremap = mmz_vm_mremap,
};

/* dma_buf_mmap_internal() checked that the VMA lies inside the buffer */
static int mmz_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct mmz_mmb *mmb = dmabuf->priv;
	struct mmz_dmabuf_vma *dv;
	int ret;

	/* MAYSHARE: do_mmap() drops VM_SHARED for a read-only dma-buf */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	dv = kzalloc(sizeof(*dv), GFP_KERNEL);
	if (!dv)
		return -ENOMEM;
	dv->mmb = mmb;
	dv->cached = true;
	dv->vmas = 1;
	mutex_lock(&mmz.lock);
	ret = mmz_block_use(mmb, &dv->cached);
	if (!ret) {
		ret = mmz_mmap_fill(vma, mmb, mmz_mmb_phys(mmb) +
				    ((phys_addr_t)vma->vm_pgoff << PAGE_SHIFT),
				    dv->cached);
		if (ret)
			mmz_block_unuse(mmb, dv->cached);
	}
	if (!ret)
		mmb->map_count++;
	mutex_unlock(&mmz.lock);
	if (ret) {
		kfree(dv);
		return ret;
	}
	vma->vm_private_data = dv;
	vma->vm_ops = &mmz_dmabuf_vm_ops;
	return 0;
}

static int mmz_dmabuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct mmz_mmb *mmb = dmabuf->priv;
	void *va;

	mutex_lock(&mmz.lock);
	va = mmz_block_kmap(mmb, mmb->kvirt && mmb->kmap_cached);
	mutex_unlock(&mmz.lock);
	if (IS_ERR(va))
		return PTR_ERR(va);
	iosys_map_set_vaddr(map, va);
	return 0;
}

static void mmz_dmabuf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct mmz_mmb *mmb = dmabuf->priv;

	mutex_lock(&mmz.lock);
	mmz_block_kunmap(mmb);
	mutex_unlock(&mmz.lock);
}

static const struct dma_buf_ops mmz_dmabuf_ops = {
	.map_dma_buf = mmz_dmabuf_map,
	.unmap_dma_buf = mmz_dmabuf_unmap,
	.release = mmz_dmabuf_release,
	.begin_cpu_access = mmz_dmabuf_cpu_access,
	.end_cpu_access = mmz_dmabuf_cpu_access,
	.mmap = mmz_dmabuf_mmap,
	.vmap = mmz_dmabuf_vmap,
	.vunmap = mmz_dmabuf_vunmap,
};

/**
 * mmz_ext_export() - MMZ_IOC_EXPORT_DMABUF
 * @mf: the caller's fd
 * @ex: any address inside a block; O_CLOEXEC and the access mode
 *	(O_RDONLY, O_WRONLY, O_RDWR) in @ex->flags; @ex->fd out
 * @arg: where @ex goes back to; the fd exists only once it is there
 *
 * Return: 0; -EINVAL other flags; -ENOENT no live block there; -EACCES the
 * caller may not use the block; -EFBIG 4 GiB or more (one scatter entry);
 * -EMFILE, -ENOMEM, -EFAULT.
 */
int mmz_ext_export(struct mmz_file *mf, struct mmz_export *ex,
		   void __user *arg)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *dmabuf;
	struct mmz_mmb *mmb;
	int fd, ret = 0;

	if (ex->flags & ~(O_CLOEXEC | O_ACCMODE) ||
	    (ex->flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	mutex_lock(&mmz.lock);
	mmb = (phys_addr_t)ex->phys == ex->phys ?
	      mmz_block_find_containing(ex->phys) : NULL;
	if (!mmb || mmb->delayed_free)
		ret = -ENOENT;
	else if (!mmz_may_use(mf, mmb))
		ret = -EACCES;
	else if (mmz_mmb_size(mmb) > UINT_MAX)
		ret = -EFBIG;
	if (!ret)
		mmb->dmabufs++;	/* the dma-buf's hold, taken before it exists */
	mutex_unlock(&mmz.lock);
	if (ret)
		return ret;

	/* outside mmz.lock: the dma-buf core has locks of its own */
	info.ops = &mmz_dmabuf_ops;
	info.size = mmz_mmb_size(mmb);
	info.flags = ex->flags & O_ACCMODE;
	info.priv = mmb;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		mutex_lock(&mmz.lock);
		mmb->dmabufs--;
		mmz_block_put(mmb);
		mutex_unlock(&mmz.lock);
		return PTR_ERR(dmabuf);
	}
	/* from here a failure puts the dma-buf, whose release drops the hold */
	fd = get_unused_fd_flags(ex->flags & O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_put;
	}
	ex->fd = fd;
	if (copy_to_user(arg, ex, sizeof(*ex))) {
		put_unused_fd(fd);
		ret = -EFAULT;
		goto err_put;
	}
	fd_install(fd, dmabuf->file);
	return 0;

err_put:
	dma_buf_put(dmabuf);
	return ret;
}
