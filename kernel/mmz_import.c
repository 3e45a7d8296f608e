// SPDX-License-Identifier: GPL-2.0
/*
 * The import back end (MMZ_IOC_IMPORT_DMABUF): a dma-buf from elsewhere (a
 * dma-heap, V4L2 VIDIOC_EXPBUF, DRM PRIME) whose memory is one contiguous
 * range of System RAM becomes an mmz block: it has a physical address,
 * maps through /dev/mmz_userdev, answers VIRT_GET_PHYS, the flush ioctls
 * and the kernel API, and belongs to the importing fd as an allocated
 * block does (FREE, close and the owner's death end it).
 *
 *  - Each import is a zone of its own, outside mmz.zones[] (no allocation
 *    in it, no zone index: mmz.loose_zones), whose core zone lies exactly
 *    over the buffer and holds one block filling it.
 *  - The buffer is attached to mmz's import device (dma-direct without
 *    offset: a DMA address is the physical address) and mapped once; the
 *    import holds the dma-buf until the block dies.
 *  - Lock order: a dma-buf's reservation lock comes before mmz.lock (the
 *    exporter side, mmz_dmabuf.c), so the attachment is made before
 *    mmz.lock is taken and taken down by a worker after it is dropped.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

struct mmz_imp {
	struct mmz_kzone kz;
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *at;
	struct sg_table *sgt;
};

static struct platform_device *mmz_import_pdev;
static LIST_HEAD(mmz_import_dead);	/* mmz.lock; zones to take down */

static void mmz_import_reap(struct work_struct *work);
static DECLARE_WORK(mmz_import_reap_work, mmz_import_reap);

static struct mmz_imp *mmz_import_of(struct mmz_kzone *kz)
{
	return container_of(kz, struct mmz_imp, kz);
}

/* Detach and let the dma-buf go; mmz.lock not held. */
static void mmz_import_put(struct mmz_imp *imp)
{
	if (imp->sgt)
		dma_buf_unmap_attachment_unlocked(imp->at, imp->sgt,
						  DMA_BIDIRECTIONAL);
	if (imp->at)
		dma_buf_detach(imp->dmabuf, imp->at);
	dma_buf_put(imp->dmabuf);
	kfree(imp);
}

static void mmz_import_reap(struct work_struct *work)
{
	struct mmz_kzone *kz, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&mmz.lock);
	list_splice_init(&mmz_import_dead, &dead);
	mutex_unlock(&mmz.lock);
	list_for_each_entry_safe(kz, tmp, &dead, node) {
		list_del(&kz->node);
		mmz_kzone_loose_destroy(kz);
		mmz_import_put(mmz_import_of(kz));
	}
}

/* The one contiguous physical range of @sgt, or -EINVAL. */
static int mmz_import_range(struct sg_table *sgt, phys_addr_t *phys,
			    u64 *size)
{
	struct scatterlist *sg;
	dma_addr_t next = 0;
	u64 len = 0;
	int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (i && sg_dma_address(sg) != next)
			return -EINVAL;
		if (!i)
			*phys = sg_dma_address(sg);
		next = sg_dma_address(sg) + sg_dma_len(sg);
		len += sg_dma_len(sg);
	}
	if (!len || !PAGE_ALIGNED(*phys) || !PAGE_ALIGNED(len) ||
	    (phys_addr_t)(*phys + len - 1) < *phys)
		return -EINVAL;
	*size = len;
	return 0;
}

/* System RAM with struct pages: what the import back end maps */
static bool mmz_import_is_ram(phys_addr_t phys, u64 size)
{
	return region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_INTERSECTS &&
	       pfn_valid(PHYS_PFN(phys)) && pfn_valid(PHYS_PFN(phys + size - 1));
}

/*
 * The range overlaps a block of mmz (one it exported) or an import. Not
 * the zones: a CMA zone shares its CMA area with the dma-buf CMA heap.
 */
static bool mmz_import_overlaps(phys_addr_t phys, u64 size)
{
	struct mmz_mmb *next;

	lockdep_assert_held(&mmz.lock);
	if (mmz_block_find_containing(phys))
		return true;
	next = mmz_block_next(phys);
	return next && mmz_mmb_phys(next) - phys < size;
}

/**
 * mmz_ext_import() - MMZ_IOC_IMPORT_DMABUF
 * @mf: the caller's fd, which owns the new block
 * @im: @im->fd a dma-buf, @im->flags 0; @im->phys and @im->size out
 *
 * Return: 0; -EINVAL flags, not one contiguous range of RAM, or mmz's own
 * memory (import the block, not its dma-buf); -EBADF not a dma-buf;
 * -EEXIST the range is imported already; -ENODEV no import device; -ENOMEM.
 */
int mmz_ext_import(struct mmz_file *mf, struct mmz_import *im)
{
	struct mmz_imp *imp;
	struct mmz_mmb *mmb;
	phys_addr_t phys = 0;
	u64 size = 0;
	int ret;

	if (im->flags)
		return -EINVAL;
	if (!mmz_import_pdev)
		return -ENODEV;
	imp = kzalloc(sizeof(*imp), GFP_KERNEL);
	mmb = kzalloc(sizeof(*mmb), GFP_KERNEL);
	if (!imp || !mmb) {
		ret = -ENOMEM;
		goto err_free;
	}
	imp->dmabuf = dma_buf_get(im->fd);
	if (IS_ERR(imp->dmabuf)) {
		ret = PTR_ERR(imp->dmabuf);
		goto err_free;
	}
	imp->at = dma_buf_attach(imp->dmabuf, &mmz_import_pdev->dev);
	if (IS_ERR(imp->at)) {
		ret = PTR_ERR(imp->at);
		imp->at = NULL;
		goto err_put;
	}
	imp->sgt = dma_buf_map_attachment_unlocked(imp->at, DMA_BIDIRECTIONAL);
	if (IS_ERR(imp->sgt)) {
		ret = PTR_ERR(imp->sgt);
		imp->sgt = NULL;
		goto err_put;
	}
	ret = mmz_import_range(imp->sgt, &phys, &size);
	if (ret) {
		pr_err("import of dma-buf \"%s\" (%zu bytes): not one contiguous range\n",
		       imp->dmabuf->exp_name, imp->dmabuf->size);
		goto err_put;
	}
	ret = mmz_kzone_loose_init(&imp->kz, "dmabuf", phys, size,
				   &mmz_import_backend);
	if (ret)
		goto err_put;
	ret = mmz_pool_alloc(&imp->kz.z, size, PAGE_SIZE, MMZ_LOW_TO_HIGH,
			     imp->dmabuf->exp_name, &mmb->blk);
	if (ret)
		goto err_zone;

	mutex_lock(&mmz.lock);
	if (mmz_import_overlaps(phys, size))
		ret = -EEXIST;
	else if (!mmz_import_is_ram(phys, size))
		ret = -EINVAL;
	if (ret) {
		mutex_unlock(&mmz.lock);
		pr_err("import of dma-buf \"%s\" [mem 0x%llx-0x%llx]: %s\n",
		       imp->dmabuf->exp_name, (u64)phys, (u64)(phys + size - 1),
		       ret == -EEXIST ? "mmz's own memory, or imported already" :
		       "not System RAM with struct pages");
		goto err_zone;
	}
	list_add_tail(&imp->kz.node, &mmz.loose_zones);
	mmb->zone = &imp->kz;
	mmb->align = PAGE_SIZE;
	mmz_block_publish(mmb, MMZ_LOW_TO_HIGH, false);
	mmz_access_init(mf, mmb);
	list_add_tail(&mmb->owner_node, &mf->blocks);
	mutex_unlock(&mmz.lock);
	im->phys = phys;
	im->size = size;
	return 0;

err_zone:
	mmz_kzone_loose_destroy(&imp->kz);
err_put:
	kfree(mmb);
	mmz_import_put(imp);
	return ret;

err_free:
	kfree(mmb);
	kfree(imp);
	return ret;
}

/* The import's result could not reach the caller: it is undone. */
void mmz_import_undo(struct mmz_file *mf, u64 phys)
{
	struct mmz_mmb *mmb;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_find(phys);
	if (mmb && mmb->owner == mf)
		mmz_block_free(mmb);
	mutex_unlock(&mmz.lock);
}

bool mmz_import_ready(void)
{
	return mmz_import_pdev;
}

/* The block dies: its zone goes with it, the dma-buf after mmz.lock. */
static void mmz_import_unplace(struct mmz_mmb *mmb)
{
	struct mmz_kzone *kz = mmb->zone;

	lockdep_assert_held(&mmz.lock);
	mmz_pool_free(&kz->z, mmb->blk);
	list_move_tail(&kz->node, &mmz_import_dead);
	queue_work(system_unbound_wq, &mmz_import_reap_work);
}

static int mmz_import_place(struct mmz_kzone *kz,
			    const struct mmz_alloc_req *req, u64 size,
			    u64 align, struct mmz_mmb *mmb)
{
	return -ENOMEM;		/* nothing is allocated in an import */
}

static bool mmz_import_placed_zero(const struct mmz_mmb *mmb)
{
	return true;		/* never placed: the exporter's data stays */
}

static struct mmz_extent *mmz_import_find(struct mmz_kzone *kz,
					 phys_addr_t phys, bool containing)
{
	return containing ? mmz_pool_find_containing(&kz->z, phys) :
			    mmz_pool_find(&kz->z, phys);
}

static int mmz_import_for_each_block(struct mmz_kzone *kz, mmz_extent_fn fn,
				     void *ctx)
{
	return mmz_pool_for_each_block(&kz->z, fn, ctx);
}

static void mmz_import_stats(struct mmz_kzone *kz, struct mmz_pool_stats *st)
{
	mmz_pool_stats(&kz->z, st);
}

const struct mmz_backend mmz_import_backend = {
	.name = "import",
	.ram = true,
	.place = mmz_import_place,
	.placed_zero = mmz_import_placed_zero,
	.unplace = mmz_import_unplace,
	.find = mmz_import_find,
	.for_each_block = mmz_import_for_each_block,
	.stats = mmz_import_stats,
};

/* The device imports attach to: 64-bit DMA, dma-direct only. */
int mmz_import_init(void)
{
	struct platform_device_info pi = {
		.name = "mmz-import",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct platform_device *pdev;

	pdev = platform_device_register_full(&pi);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (!mmz_dev_dma_direct(&pdev->dev)) {
		pr_warn("dma-buf import off: DMA goes through an IOMMU or bounce ops here, DMA addresses are not physical\n");
		platform_device_unregister(pdev);
		return 0;
	}
	mmz_import_pdev = pdev;
	return 0;
}

/* Module exit, after every fd (and so every import) is gone. */
void mmz_import_exit(void)
{
	flush_work(&mmz_import_reap_work);
	WARN_ON(!list_empty(&mmz.loose_zones));
	if (mmz_import_pdev)
		platform_device_unregister(mmz_import_pdev);
	mmz_import_pdev = NULL;
}
