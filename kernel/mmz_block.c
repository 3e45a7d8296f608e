// SPDX-License-Identifier: GPL-2.0
/*
 * Blocks: placement through the allocator core, zeroing, delayed free,
 * lookup and kernel mappings. Every function here runs with mmz.lock held
 * (mmz_block_alloc() drops it while it zeroes the new block).
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/io.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

struct mmz_state mmz = {
	.lock = __MUTEX_INITIALIZER(mmz.lock),
	.loose_zones = LIST_HEAD_INIT(mmz.loose_zones),
};
MMZ_EXPORT_FOR_TEST(mmz);

/* The zone called @name, or NULL. */
struct mmz_kzone *mmz_zone_by_name(const char *name)
{
	int i;

	for (i = 0; i < mmz.nzones; i++)
		if (!strcmp(mmz.zones[i]->z.name, name))
			return mmz.zones[i];
	return NULL;
}

/*
 * The alignment a block gets: @align rounded up to a page multiple (any
 * value, as the vendor takes it; 0 = a page). 0 when that passes 2^64.
 */
static u64 mmz_kzone_align(u64 align)
{
	if (align > U64_MAX - (PAGE_SIZE - 1))
		return 0;
	return align > PAGE_SIZE ? round_up(align, (u64)PAGE_SIZE) : PAGE_SIZE;
}

/* The vendor's gfp filter: a gfp not 0 takes only zones of that gfp. */
static bool mmz_zone_matches(const struct mmz_kzone *kz,
			     const struct mmz_alloc_req *req)
{
	return !req->gfp || kz->z.gfp == req->gfp;
}

/* Places a block of @req in @kz through its back end: mmb->blk. */
static int mmz_zone_try(struct mmz_kzone *kz, const struct mmz_alloc_req *req,
			struct mmz_mmb *mmb)
{
	u64 a = mmz_kzone_align(req->align);
	u64 size = req->v2 ? mmz_pool_v2_size(&kz->z, req->size) : req->size;

	mmb->align = a;
	mmb->zone = kz;
	if (!a || !size)
		return -ENOMEM;	/* no address is a multiple, no such size */
	return kz->be->place(kz, req, size, a, mmb);
}

/* Blocks of a zone in address order, any back end. */
int mmz_kzone_for_each_block(struct mmz_kzone *kz, mmz_extent_fn fn,
			     void *ctx)
{
	return kz->be->for_each_block(kz, fn, ctx);
}

void mmz_kzone_stats(struct mmz_kzone *kz, struct mmz_pool_stats *st)
{
	kz->be->stats(kz, st);
}
MMZ_EXPORT_FOR_TEST(mmz_kzone_stats);

/* Violated invariants of the zone's placement state; 0 = consistent. */
int mmz_kzone_check(struct mmz_kzone *kz)
{
	int bad = mmz_pool_check(&kz->z);

	if (kz->be->check)
		bad += kz->be->check(kz);
	return bad;
}
MMZ_EXPORT_FOR_TEST(mmz_kzone_check);

static struct mmz_extent *mmz_kzone_find(struct mmz_kzone *kz,
					phys_addr_t phys, bool containing)
{
	return kz->be->find(kz, phys, containing);
}

static void *mmz_block_linear(struct mmz_mmb *mmb)
{
	return page_address(pfn_to_page(PHYS_PFN(mmz_mmb_phys(mmb))));
}

/**
 * mmz_block_use() - account a mapping of a block in a caching mode
 * @mmb: the block
 * @cached: in: write-back (true) or write-combine asked; out: what the
 *	mapping gets
 *
 * Where the architecture allows one memory type per page (x86 PAT) all
 * mappings of a block get one type: a request for the other gets the type
 * in use (both are coherent for devices on x86), and a CMA block's kernel
 * linear mapping turns write-combine with the first write-combine mapping
 * and back with the last. Elsewhere the alias is tolerated, as the vendor
 * does: cached and write-combine mappings coexist.
 *
 * Return: 0 or the set_memory error.
 */
int mmz_block_use(struct mmz_mmb *mmb, bool *cached)
{
	int ret;

	lockdep_assert_held(&mmz.lock);
	if (mmz_arch_one_memtype() &&
	    (*cached ? mmb->wc_users : mmb->wb_users))
		*cached = !*cached;
	if (mmb->zone->be->ram) {
		if (!*cached && !mmb->wc_users) {
			ret = mmz_arch_linear_wc(mmz_block_linear(mmb),
						 mmz_mmb_size(mmb) >> PAGE_SHIFT);
			if (ret)
				return ret;
			/* no write-back line may be written over WC data */
			mmz_phys_flush(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
		}
	}
	if (*cached)
		mmb->wb_users++;
	else
		mmb->wc_users++;
	return 0;
}

/* Drops what mmz_block_use() accounted. */
void mmz_block_unuse(struct mmz_mmb *mmb, bool cached)
{
	lockdep_assert_held(&mmz.lock);
	if (cached) {
		mmb->wb_users--;
		return;
	}
	if (--mmb->wc_users || !mmb->zone->be->ram)
		return;
	if (mmz_arch_linear_wb(mmz_block_linear(mmb),
			       mmz_mmb_size(mmb) >> PAGE_SHIFT))
		pr_warn("block \"%*pE\" at 0x%llx: cannot make its linear mapping write-back again\n",
			(int)strnlen(mmb->blk->name, MMZ_BLOCK_NAME_LEN),
			mmb->blk->name, (u64)mmz_mmb_phys(mmb));
}

/**
 * mmz_block_alloc() - place, zero and wrap a new block
 * @req: what is asked: @req->align is rounded up to a page multiple (0: a
 *	page); a zone NULL or "" selects "anonymous" when anony=1 and it
 *	exists, else the first zone with room; with @req->gfp only zones of
 *	that gfp take part; ALLOC_V2 sizes grow by the zone's alloc_type
 * @out: the block, without owner
 *
 * Memory the back end places zeroed (carve-out with prezero=1) is used as
 * is; else mmz.lock is dropped while the block is zeroed: it is placed but not yet
 * published (core priv is NULL), so lookups do not find it and nobody can
 * map it before it is zero. Finding room may drop mmz.lock too.
 *
 * Return: 0, -ENOENT (no such zone), -ENOMEM, -EINVAL.
 */
int mmz_block_alloc(const struct mmz_alloc_req *req, struct mmz_mmb **out)
{
	struct mmz_kzone *kz = NULL;
	struct mmz_extent *blk;
	struct mmz_mmb *mmb;
	int i, ret = -ENOENT;

	lockdep_assert_held(&mmz.lock);
	mmb = kzalloc(sizeof(*mmb), GFP_KERNEL);
	if (!mmb)
		return -ENOMEM;

	if (req->zone && *req->zone) {
		kz = mmz_zone_by_name(req->zone);
		if (!kz || !mmz_zone_matches(kz, req))
			goto err_free;
	} else if (mmz.anony) {
		kz = mmz_zone_by_name("anonymous");
		if (kz && !mmz_zone_matches(kz, req))
			goto err_free;
	}
	if (kz) {
		ret = mmz_zone_try(kz, req, mmb);
	} else {
		for (i = 0; i < mmz.nzones && ret; i++) {
			kz = mmz.zones[i];
			if (mmz_zone_matches(kz, req))
				ret = mmz_zone_try(kz, req, mmb);
		}
	}
	if (ret)
		goto err_free;

	kz = mmb->zone;
	blk = mmb->blk;
	if (!kz->be->placed_zero(mmb)) {
		blk->priv = NULL;
		mutex_unlock(&mmz.lock);
		ret = mmz_phys_zero(blk->phys, blk->size);
		mutex_lock(&mmz.lock);
		if (ret)
			goto err_zone;
	}

	mmz_block_publish(mmb, req->order, req->kernel_only);
	*out = mmb;
	return 0;

err_zone:
	kz->be->unplace(mmb);
err_free:
	kfree(mmb);
	return ret;
}

/* Makes @mmb, placed (zone, blk), a live block lookups find. */
void mmz_block_publish(struct mmz_mmb *mmb, unsigned int order,
		       bool kernel_only)
{
	struct mmz_extent *blk = mmb->blk;

	lockdep_assert_held(&mmz.lock);
	blk->priv = mmb;
	blk->flags = 0;
	blk->kvirt = 0;
	mmb->order = order;
	mmb->kernel_only = kernel_only;
	mmb->alloc_pid = task_tgid_nr(current);
	INIT_LIST_HEAD(&mmb->owner_node);
	INIT_LIST_HEAD(&mmb->grants);
	mmz_faces_init(mmb);
}

/* Gives the block back to its zone; nothing may refer to it any more. */
static void mmz_block_release(struct mmz_mmb *mmb)
{
	if (mmb->kvirt) {
		pr_warn("block \"%*pE\" at 0x%llx freed while mapped in the kernel\n",
			(int)strnlen(mmb->blk->name, MMZ_BLOCK_NAME_LEN),
			mmb->blk->name, (u64)mmz_mmb_phys(mmb));
		mmb->kmap_count = 1;
		mmz_block_kunmap(mmb);
	}
	list_del_init(&mmb->owner_node);
	mmz_access_release(mmb);
	mmb->blk->priv = NULL;
	WARN_ON(mmb->wc_users || mmb->wb_users);
	if (mmb->zone->be->keep_freed && mmb->zone->be->keep_freed(mmb))
		return;
	mmb->zone->be->unplace(mmb);
	kfree(mmb);
}

static bool mmz_block_busy(const struct mmz_mmb *mmb)
{
	return mmb->map_count || mmb->ref_count || mmb->vendor_refs > 0 ||
	       mmb->dmabufs ||
	       (mmb->kmap_holds && mmb->kmap_count);
}

/**
 * mmz_block_free() - free a block, or mark it for delayed free
 * @mmb: a live block
 *
 * The block loses its owner either way. While user mappings or references
 * hold it, it is only marked; mmz_block_put() completes the free.
 *
 * Return: 0 when freed, -EBUSY when delayed, -EALREADY when a delayed
 * free is already pending.
 */
int mmz_block_free(struct mmz_mmb *mmb)
{
	lockdep_assert_held(&mmz.lock);
	if (mmb->delayed_free)
		return -EALREADY;
	list_del_init(&mmb->owner_node);
	mmb->owner = NULL;
	if (mmz_block_busy(mmb)) {
		mmb->delayed_free = true;
		mmb->blk->flags |= MMZ_MMB_RELEASED;
		mmz_faces_sync(mmb);
		return -EBUSY;
	}
	mmz_block_release(mmb);
	return 0;
}

/* Call after dropping a map count or reference: completes a delayed free. */
void mmz_block_put(struct mmz_mmb *mmb)
{
	lockdep_assert_held(&mmz.lock);
	if (mmb->delayed_free && !mmz_block_busy(mmb))
		mmz_block_release(mmb);
}
MMZ_EXPORT_FOR_TEST(mmz_block_put);

static struct mmz_mmb *block_lookup_in(struct mmz_kzone *kz, phys_addr_t phys,
				       bool containing)
{
	struct mmz_extent *b;

	if (!mmz_pool_contains(&kz->z, phys))
		return NULL;
	b = mmz_kzone_find(kz, phys, containing);
	return b ? b->priv : NULL;	/* no priv: still being zeroed */
}

/*
 * The block starting at (or, if @containing, holding) @phys, or NULL.
 * An import's loose zone may lie inside a CMA zone's range: ask each zone
 * that holds @phys.
 */
static struct mmz_mmb *block_lookup(phys_addr_t phys, bool containing)
{
	struct mmz_kzone *kz;
	struct mmz_mmb *mmb;
	int i;

	lockdep_assert_held(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++) {
		mmb = block_lookup_in(mmz.zones[i], phys, containing);
		if (mmb)
			return mmb;
	}
	list_for_each_entry(kz, &mmz.loose_zones, node) {
		mmb = block_lookup_in(kz, phys, containing);
		if (mmb)
			return mmb;
	}
	return NULL;
}

/* The block starting exactly at @phys, or NULL. */
struct mmz_mmb *mmz_block_find(phys_addr_t phys)
{
	return block_lookup(phys, false);
}
MMZ_EXPORT_FOR_TEST(mmz_block_find);

/* The block holding byte @phys, or NULL. */
struct mmz_mmb *mmz_block_find_containing(phys_addr_t phys)
{
	return block_lookup(phys, true);
}

struct mmz_next_ctx {
	u64 phys;
	struct mmz_extent *found;
};

static int mmz_next_cb(void *ctx, struct mmz_extent *b)
{
	struct mmz_next_ctx *c = ctx;

	if (b->phys < c->phys || !b->priv)
		return 0;	/* below, or still being zeroed */
	c->found = b;
	return 1;
}

/* The lowest block of @kz at or above @phys if lower than @best */
static struct mmz_extent *mmz_next_in(struct mmz_kzone *kz, u64 phys,
				     struct mmz_extent *best)
{
	struct mmz_next_ctx c = { .phys = phys };
	struct mmz_pool *z = &kz->z;

	if (phys >= z->base + z->size)
		return best;	/* the zone ends below @phys */
	if (best && best->phys <= z->base)
		return best;
	mmz_kzone_for_each_block(kz, mmz_next_cb, &c);
	return c.found && (!best || c.found->phys < best->phys) ? c.found :
								  best;
}

/* The lowest block starting at or above @phys over all zones, or NULL. */
struct mmz_mmb *mmz_block_next(u64 phys)
{
	struct mmz_extent *best = NULL;
	struct mmz_kzone *kz;
	int i;

	lockdep_assert_held(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++)
		best = mmz_next_in(mmz.zones[i], phys, best);
	list_for_each_entry(kz, &mmz.loose_zones, node)
		best = mmz_next_in(kz, phys, best);
	return best ? best->priv : NULL;
}

/* A kernel mapping of memory with struct pages (CMA): vmap() them. */
static void *mmz_vmap_pages(phys_addr_t phys, size_t size, pgprot_t prot)
{
	unsigned long i, n = size >> PAGE_SHIFT, pfn = PHYS_PFN(phys);
	struct page **pages;
	void *va;

	if (n > UINT_MAX)
		return NULL;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(pfn + i);
	va = vmap(pages, n, VM_MAP, prot);
	kvfree(pages);
	return va;
}

/**
 * mmz_phys_kmap() - map page-aligned physical memory into the kernel
 * @phys: first byte
 * @size: bytes
 * @cached: write-back, else write-combine
 * @pages: the memory is System RAM with struct pages (CMA)
 *
 * A write-combine mapping of RAM is a vmap() of its pages: memremap()
 * refuses RAM in any type but write-back. Undo with mmz_phys_kunmap(va,
 * !@cached && @pages).
 *
 * Return: the address or NULL.
 */
void *mmz_phys_kmap(phys_addr_t phys, size_t size, bool cached, bool pages)
{
	if (!cached && pages)
		return mmz_vmap_pages(phys, size,
				      pgprot_writecombine(PAGE_KERNEL));
	return memremap(phys, size, cached ? MEMREMAP_WB : MEMREMAP_WC);
}

void mmz_phys_kunmap(void *va, bool vmapped)
{
	if (vmapped)
		vunmap(va);
	else
		memunmap(va);
}

/**
 * mmz_block_kmap() - map a block into the kernel
 * @mmb: the block
 * @cached: write-back (true) or write-combine (false)
 *
 * Mappings are counted; a second call in the same mode returns the same
 * address, one in the other mode fails with -EBUSY.
 *
 * Return: the address or an ERR_PTR.
 */
void *mmz_block_kmap(struct mmz_mmb *mmb, bool cached)
{
	void *va;

	lockdep_assert_held(&mmz.lock);
	if (mmb->kvirt) {
		if (mmb->kmap_cached != cached)
			return ERR_PTR(-EBUSY);
		if (mmb->kmap_count == UINT_MAX)
			return ERR_PTR(-EOVERFLOW);
		mmb->kmap_count++;
		mmz_faces_sync(mmb);
		return mmb->kvirt;
	}
	/* on x86 a block's mappings share one type: maybe not @cached */
	if (mmz_block_use(mmb, &cached))
		return ERR_PTR(-ENOMEM);
	va = mmz_phys_kmap(mmz_mmb_phys(mmb), mmz_mmb_size(mmb), cached,
			   mmb->zone->be->ram);
	if (!va) {
		mmz_block_unuse(mmb, cached);
		return ERR_PTR(-ENOMEM);
	}
	mmb->kvirt = va;
	mmb->kmap_cached = cached;
	mmb->kmap_count = 1;
	mmb->blk->kvirt = (unsigned long)va;
	mmb->blk->flags |= MMZ_MMB_MAP2KERN;
	if (cached)
		mmb->blk->flags |= MMZ_MMB_MAP2KERN_CACHED;
	mmz_faces_sync(mmb);
	return va;
}

/* Drops one kernel mapping count; the last one cleans and unmaps. */
void mmz_block_kunmap(struct mmz_mmb *mmb)
{
	lockdep_assert_held(&mmz.lock);
	if (WARN_ON(!mmb->kvirt || !mmb->kmap_count))
		return;
	if (--mmb->kmap_count) {
		mmz_faces_sync(mmb);
		return;
	}
	if (mmb->kmap_cached)
		mmz_arch_clean_inval(mmb->kvirt, mmz_mmb_phys(mmb),
				     mmz_mmb_size(mmb));
	mmz_phys_kunmap(mmb->kvirt, mmb->zone->be->ram && !mmb->kmap_cached);
	mmz_block_unuse(mmb, mmb->kmap_cached);
	mmb->kvirt = NULL;
	mmb->blk->kvirt = 0;
	mmb->blk->flags &= ~(MMZ_MMB_MAP2KERN | MMZ_MMB_MAP2KERN_CACHED);
	mmz_faces_sync(mmb);
}

static int mmz_release_cb(void *ctx, struct mmz_extent *b)
{
	unsigned int *n = ctx;

	if (!b->priv)
		return 0;	/* freed, waiting to be zeroed */
	(*n)++;
	mmz_block_release(b->priv);
	return 0;
}

/* Module unload: frees whatever is left (nothing, if users behaved). */
void mmz_block_free_all(void)
{
	unsigned int n = 0;
	int i;

	lockdep_assert_held(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++)
		mmz_kzone_for_each_block(mmz.zones[i], mmz_release_cb, &n);
	if (n)
		pr_warn("%u block(s) still allocated at unload, freed\n", n);
}
