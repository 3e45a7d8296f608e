// SPDX-License-Identifier: GPL-2.0
/* The exported kernel API (mmz_kapi.h). */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/overflow.h>

#include "mmz_priv.h"
#include "mmz_kapi.h"

static struct mmz_mmb *mmz_kapi_alloc(struct mmz_alloc_req *req,
				      size_t size)
{
	struct mmz_mmb *mmb;
	size_t rounded;
	int ret;

	if (!size || check_add_overflow(size, PAGE_SIZE - 1, &rounded))
		return ERR_PTR(-EINVAL);
	req->size = rounded & PAGE_MASK;
	if (req->order != MMZ_ALLOC_LOW_TO_HIGH &&
	    req->order != MMZ_ALLOC_HIGH_TO_LOW)
		return ERR_PTR(-EINVAL);

	mutex_lock(&mmz.lock);
	ret = mmz_block_alloc(req, &mmb);
	mutex_unlock(&mmz.lock);
	return ret ? ERR_PTR(ret) : mmb;
}

/**
 * mmz_alloc_v2() - allocate a zeroed block
 * @name: block name (up to 31 characters are kept), may be NULL
 * @size: bytes, rounded up to the page size, and as the zone's alloc_type
 *	says (1: a power of two, 2: a multiple of block_align); not 0
 * @align: any value, rounded up to a page multiple (0: a page), as the
 *	vendor's hil_mmb_alloc() does; the block's address is a multiple of it
 * @zone_name: the zone; NULL or "" for the default ("anonymous" with
 *	anony=1 if it exists, else the first zone with room)
 * @order: MMZ_ALLOC_LOW_TO_HIGH or MMZ_ALLOC_HIGH_TO_LOW
 *
 * The block has no owning fd: user space may map it and take references,
 * but only mmz_free() frees it.
 *
 * Return: the block, or ERR_PTR(-EINVAL / -ENOENT / -ENOMEM).
 */
struct mmz_mmb *mmz_alloc_v2(const char *name, size_t size, size_t align,
			     const char *zone_name, unsigned int order)
{
	struct mmz_alloc_req req = {
		.name = name, .zone = zone_name, .align = align,
		.order = order, .v2 = true,
	};

	return mmz_kapi_alloc(&req, size);
}
EXPORT_SYMBOL_GPL(mmz_alloc_v2);

/**
 * mmz_alloc() - allocate a zeroed block, low addresses first
 * @name: block name, may be NULL
 * @size: bytes, rounded up to the page size; not 0
 * @align: as for mmz_alloc_v2()
 * @zone_name: the zone, NULL or "" for the default
 *
 * The zone's alloc_type does not apply, as to the vendor's
 * hil_mmb_alloc().
 *
 * Return: as mmz_alloc_v2().
 */
struct mmz_mmb *mmz_alloc(const char *name, size_t size, size_t align,
			  const char *zone_name)
{
	struct mmz_alloc_req req = {
		.name = name, .zone = zone_name, .align = align,
		.order = MMZ_ALLOC_LOW_TO_HIGH,
	};

	return mmz_kapi_alloc(&req, size);
}
EXPORT_SYMBOL_GPL(mmz_alloc);

/**
 * mmz_free() - free a block from mmz_alloc()
 * @mmb: the block
 *
 * A kernel mapping goes with the block. While user space still maps or
 * references it the free is delayed until the last of them goes away;
 * @mmb must not be used after this call either way.
 *
 * Return: 0 when freed, -EBUSY when delayed, -EALREADY when already
 * freed-but-delayed, -EPERM for a block owned by a user fd.
 */
int mmz_free(struct mmz_mmb *mmb)
{
	int ret;

	mutex_lock(&mmz.lock);
	if (mmb->owner)
		ret = -EPERM;
	else
		ret = mmz_block_free(mmb);
	mutex_unlock(&mmz.lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mmz_free);

/**
 * mmz_phys() - physical address of a block
 * @mmb: the block
 *
 * Return: the address of its first byte.
 */
phys_addr_t mmz_phys(const struct mmz_mmb *mmb)
{
	return mmz_mmb_phys(mmb);
}
EXPORT_SYMBOL_GPL(mmz_phys);

/**
 * mmz_size() - size of a block
 * @mmb: the block
 *
 * Return: bytes, a multiple of the page size.
 */
size_t mmz_size(const struct mmz_mmb *mmb)
{
	return mmz_mmb_size(mmb);
}
EXPORT_SYMBOL_GPL(mmz_size);

/**
 * mmz_map_kernel() - map a block into the kernel
 * @mmb: the block
 * @cached: write-back (true) or write-combine (false)
 *
 * Mappings are counted: a block has at most one kernel mapping, shared by
 * every caller that asks for the same mode. /proc/media-mem shows it.
 *
 * Return: the kernel address, or ERR_PTR(-EBUSY) when mapped in the other
 * mode, ERR_PTR(-ENOMEM).
 */
void *mmz_map_kernel(struct mmz_mmb *mmb, bool cached)
{
	void *va;

	mutex_lock(&mmz.lock);
	va = mmz_block_kmap(mmb, cached);
	mutex_unlock(&mmz.lock);
	return va;
}
EXPORT_SYMBOL_GPL(mmz_map_kernel);

/**
 * mmz_unmap_kernel() - drop one mmz_map_kernel()
 * @mmb: the block
 *
 * The last one cleans the cache (cached mappings) and unmaps.
 */
void mmz_unmap_kernel(struct mmz_mmb *mmb)
{
	mutex_lock(&mmz.lock);
	mmz_block_kunmap(mmb);
	mutex_unlock(&mmz.lock);
}
EXPORT_SYMBOL_GPL(mmz_unmap_kernel);

/**
 * mmz_find_by_phys() - the live block holding a physical address
 * @phys: any byte of the block
 *
 * No reference is taken: the caller must know the block stays allocated
 * (it owns it, or user space holds it through a reference).
 *
 * Return: the block, or NULL (none, or its free is pending).
 */
struct mmz_mmb *mmz_find_by_phys(phys_addr_t phys)
{
	struct mmz_mmb *mmb;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(phys);
	if (mmb && mmb->delayed_free)
		mmb = NULL;
	mutex_unlock(&mmz.lock);
	return mmb;
}
EXPORT_SYMBOL_GPL(mmz_find_by_phys);

struct mmz_kvirt_ctx {
	unsigned long addr;
	struct mmz_extent *found;
};

static int mmz_kvirt_cb(void *ctx, struct mmz_extent *b)
{
	struct mmz_kvirt_ctx *c = ctx;

	if (!b->kvirt || c->addr < b->kvirt || c->addr - b->kvirt >= b->size)
		return 0;
	c->found = b;
	return 1;
}

/**
 * mmz_find_by_kvirt() - the block whose kernel mapping holds an address
 * @kvirt: an address inside a mapping from mmz_map_kernel()
 *
 * Walks every block: meant for debugging and slow paths.
 *
 * Return: the block, or NULL.
 */
struct mmz_mmb *mmz_find_by_kvirt(const void *kvirt)
{
	struct mmz_kvirt_ctx c = { .addr = (unsigned long)kvirt };
	int i;

	mutex_lock(&mmz.lock);
	for (i = 0; i < mmz.nzones && !c.found; i++)
		mmz_kzone_for_each_block(mmz.zones[i], mmz_kvirt_cb, &c);
	mutex_unlock(&mmz.lock);
	return c.found ? c.found->priv : NULL;
}
EXPORT_SYMBOL_GPL(mmz_find_by_kvirt);
