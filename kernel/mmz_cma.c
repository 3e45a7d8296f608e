// SPDX-License-Identifier: GPL-2.0
/*
 * The CMA back end (mmz_allocator=cma): zone memory comes from the
 * kernel's contiguous memory allocator, reached through the DMA API.
 *
 * Mainline exports none of cma_alloc(), cma_release(),
 * dma_alloc_from_contiguous() or dma_contiguous_default_area. What a module
 * can do is allocate with dma_alloc_attrs() on a device: dma-direct takes
 * the device's CMA area (dev->cma_area; NULL means the default area of
 * cma= on the command line) for every request bigger than a page. Each zone
 * gets such a device ("mmz-cma.<n>", a 64-bit DMA mask, no IOMMU).
 *
 * The kernel pays a large fixed cost per CMA allocation (page-block
 * isolation, an LRU drain on every CPU, migration), so mmz takes CMA memory
 * in chunks and places blocks inside them with the allocator core:
 *
 *   zone (mmz=, inside the CMA area)
 *   |.....|chunk 8M: blk blk ...|......|chunk 8M: blk|...|chunk 40M: one blk|
 *          core zone over chunk         core zone       (block > chunk)
 *
 *  - a chunk is one CMA allocation of MMZ_CMA_CHUNK bytes, or more when a
 *    block (plus its alignment) does not fit in one; each is a core zone
 *    over its real physical range, so /proc/media-mem shows real addresses;
 *  - a block goes into the first chunk where the core places it (lowest
 *    chunk first for LOW_TO_HIGH, highest first for HIGH_TO_LOW); only when
 *    none fits is a new chunk taken;
 *  - an empty chunk goes back to the kernel, except one spare of the
 *    standard size per zone (allocation churn would otherwise pay the CMA
 *    cost every time);
 *  - CMA, not mmz, decides where a chunk lies. A chunk outside the zone
 *    (the default area is shared by all zones and the dma-buf heap) is held
 *    while the next one is tried, then given back: CMA searches from the
 *    bottom of its area, so this walks up to the zone.
 *
 * Chunks are bigger than the largest buddy allocation, so dma-direct's
 * fall-back to the page allocator (it has one when CMA fails) can never
 * serve them; every chunk is still checked to be CMA memory inside its zone.
 *
 * On device-tree systems a zone can take its memory from a CMA area of its
 * own: mmz_cma_dt.c.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

/* Standard chunk: above the buddy limit (4 MiB with 4 KiB pages). */
#define MMZ_CMA_CHUNK	max_t(u64, SZ_8M, 2 * (u64)MMZ_BUDDY_MAX_BYTES)

#ifdef CONFIG_CMA_ALIGNMENT
#define MMZ_CMA_ALIGN_ORDER	CONFIG_CMA_ALIGNMENT
#else
#define MMZ_CMA_ALIGN_ORDER	0
#endif

static void *mmz_chunk_meta_alloc(void *ctx, size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void mmz_chunk_meta_free(void *ctx, void *ptr)
{
	kfree(ptr);
}

static const struct mmz_ops mmz_chunk_ops = {
	.alloc = mmz_chunk_meta_alloc,
	.free = mmz_chunk_meta_free,
};

static struct device *mmz_cma_dev(struct mmz_kzone *kz)
{
	return &kz->pdev->dev;
}

/* Is [@phys, @phys + @size) CMA memory, every pageblock of it? */
static bool mmz_range_in_cma(phys_addr_t phys, u64 size)
{
	unsigned long pfn = PHYS_PFN(phys), end = PHYS_PFN(phys + size);

	for (; pfn < end; pfn = ALIGN(pfn + 1, pageblock_nr_pages))
		if (!mmz_pfn_in_cma(pfn))
			return false;
	return true;
}

/* The alignment CMA gives an allocation of @size bytes. */
static u64 mmz_cma_natural_align(u64 size)
{
	return PAGE_SIZE << min_t(unsigned int, get_order(size),
				  MMZ_CMA_ALIGN_ORDER);
}

struct mmz_raw {
	struct list_head node;
	void *cookie;
	dma_addr_t handle;
	phys_addr_t phys;
	u64 size;
};

/* One CMA allocation for @kz; 0, -ENOMEM, or -EIO for memory not CMA's. */
static int mmz_raw_alloc(struct mmz_kzone *kz, u64 size, struct mmz_raw *r)
{
	struct device *dev = mmz_cma_dev(kz);
	struct page *page;

	r->size = size;
	r->cookie = dma_alloc_attrs(dev, size, &r->handle,
				    GFP_KERNEL | __GFP_NOWARN,
				    DMA_ATTR_NO_KERNEL_MAPPING |
				    DMA_ATTR_NO_WARN);
	if (!r->cookie)
		return -ENOMEM;
	/* dma-direct: the cookie is the first page (checked at load) */
	page = r->cookie;
	r->phys = page_to_phys(page);
	if (!mmz_range_in_cma(r->phys, size)) {
		pr_warn_ratelimited("zone \"%s\": dma_alloc_attrs() gave [mem 0x%llx-0x%llx], not CMA memory\n",
				    kz->z.name, (u64)r->phys,
				    (u64)r->phys + size - 1);
		dma_free_attrs(dev, size, r->cookie, r->handle,
			       DMA_ATTR_NO_KERNEL_MAPPING);
		return -EIO;
	}
	return 0;
}

static void mmz_raw_free(struct mmz_kzone *kz, struct mmz_raw *r)
{
	dma_free_attrs(mmz_cma_dev(kz), r->size, r->cookie, r->handle,
		       DMA_ATTR_NO_KERNEL_MAPPING);
}

static bool mmz_raw_in_zone(struct mmz_kzone *kz, const struct mmz_raw *r)
{
	return r->phys >= kz->z.base &&
	       r->phys - kz->z.base <= kz->z.size - r->size;
}

/*
 * A CMA allocation of @size bytes inside @kz. Misses (outside the zone)
 * are held until a hit or a failure, then given back.
 */
static int mmz_raw_alloc_in_zone(struct mmz_kzone *kz, u64 size,
				 struct mmz_raw *out)
{
	struct mmz_raw *r, *tmp;
	unsigned int misses = 0;
	LIST_HEAD(held);
	int ret;

	for (;;) {
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r) {
			ret = -ENOMEM;
			break;
		}
		ret = mmz_raw_alloc(kz, size, r);
		if (ret) {
			kfree(r);
			break;
		}
		if (mmz_raw_in_zone(kz, r)) {
			*out = *r;
			kfree(r);
			break;
		}
		list_add(&r->node, &held);
		misses++;
	}
	list_for_each_entry_safe(r, tmp, &held, node) {
		mmz_raw_free(kz, r);
		kfree(r);
	}
	if (misses)
		pr_debug("zone \"%s\": %u CMA allocation(s) of %llu bytes outside the zone skipped\n",
			 kz->z.name, misses, size);
	return ret ? -ENOMEM : 0;
}

static void mmz_chunk_insert(struct mmz_kzone *kz, struct mmz_chunk *c)
{
	struct mmz_chunk *pos;

	list_for_each_entry(pos, &kz->chunks, node)
		if (pos->z.base > c->z.base)
			break;
	list_add_tail(&c->node, &pos->node);
	kz->held += c->z.size;
}

static void mmz_chunk_release(struct mmz_kzone *kz, struct mmz_chunk *c)
{
	struct mmz_raw r = {
		.cookie = c->cookie, .handle = c->handle,
		.phys = c->z.base, .size = c->z.size,
	};

	list_del(&c->node);
	kz->held -= c->z.size;
	mmz_pool_destroy(&c->z);
	mmz_raw_free(kz, &r);
	kfree(c);
}

/* A new chunk of at least @size bytes in @kz, or NULL. */
static struct mmz_chunk *mmz_chunk_new(struct mmz_kzone *kz, u64 size)
{
	struct mmz_chunk *c;
	struct mmz_raw r;

	if (size > kz->z.size - kz->held)
		return NULL;	/* cannot lie inside the zone */
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	if (mmz_raw_alloc_in_zone(kz, size, &r))
		goto err_free;
	if (mmz_pool_init(&c->z, kz->z.name, r.phys, r.size, PAGE_SHIFT,
			  &mmz_chunk_ops))
		goto err_raw;
	c->cookie = r.cookie;
	c->handle = r.handle;
	mmz_chunk_insert(kz, c);
	return c;

err_raw:
	mmz_raw_free(kz, &r);
err_free:
	kfree(c);
	return NULL;
}

/* Empty chunks of @kz except @keep go back to the kernel. */
static void mmz_chunks_trim(struct mmz_kzone *kz, struct mmz_chunk *keep)
{
	struct mmz_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &kz->chunks, node)
		if (c != keep && !c->z.nblocks)
			mmz_chunk_release(kz, c);
}

/**
 * mmz_cma_place() - place a block in a CMA zone
 * @kz: the zone
 * @req: its name and order (MMZ_LOW_TO_HIGH or MMZ_HIGH_TO_LOW)
 * @size: bytes, a multiple of PAGE_SIZE
 * @align: a multiple of PAGE_SIZE (not always a power of two)
 * @mmb: gets the core block and the chunk holding it
 *
 * Return: 0 or -ENOMEM.
 */
static int mmz_cma_place(struct mmz_kzone *kz,
			 const struct mmz_alloc_req *req, u64 size, u64 align,
			 struct mmz_mmb *mmb)
{
	struct mmz_extent **blk = &mmb->blk;
	unsigned int order = req->order;
	const char *name = req->name;
	u64 need, want, nat, empty = 0;
	struct mmz_chunk *c;

	lockdep_assert_held(&mmz.lock);
	if (order == MMZ_HIGH_TO_LOW) {
		list_for_each_entry_reverse(c, &kz->chunks, node)
			if (!mmz_pool_alloc(&c->z, size, align, order, name, blk))
				goto found;
	} else {
		list_for_each_entry(c, &kz->chunks, node)
			if (!mmz_pool_alloc(&c->z, size, align, order, name, blk))
				goto found;
	}

	want = max_t(u64, MMZ_CMA_CHUNK, size);
	nat = mmz_cma_natural_align(want);
	/*
	 * The chunk starts at a multiple of nat (a power of two), so its first
	 * multiple of @align lies at most align - gcd(align, nat) in.
	 */
	need = size + (align - min(align & -align, nat));
	if (need < size)
		return -ENOMEM;
	/* more than the zone could hold without its empty chunks: keep them */
	list_for_each_entry(c, &kz->chunks, node)
		if (!c->z.nblocks)
			empty += c->z.size;
	if (need > kz->z.size - (kz->held - empty))
		return -ENOMEM;

	/* a new chunk; the spare did not fit, give it back first */
	mmz_chunks_trim(kz, NULL);
	want = max(want, PAGE_ALIGN(need));
	if (want > kz->z.size - kz->held && need <= kz->z.size - kz->held)
		want = max_t(u64, need, min_t(u64, kz->z.size - kz->held,
					     MMZ_CMA_CHUNK));
	c = mmz_chunk_new(kz, want);
	if (!c)
		return -ENOMEM;
	if (mmz_pool_alloc(&c->z, size, align, order, name, blk)) {
		mmz_chunk_release(kz, c);
		return -ENOMEM;	/* CMA gave a badly aligned chunk */
	}
found:
	mmb->chunk = c;
	return 0;
}

/* CMA memory comes zeroed from nowhere: each block is zeroed when placed */
static bool mmz_cma_placed_zero(const struct mmz_mmb *mmb)
{
	return false;
}

/* Frees a block of a CMA zone; an empty chunk may go back to the kernel. */
static void mmz_cma_unplace(struct mmz_mmb *mmb)
{
	struct mmz_kzone *kz = mmb->zone;
	struct mmz_chunk *c = mmb->chunk, *o;

	lockdep_assert_held(&mmz.lock);
	mmz_pool_free(&c->z, mmb->blk);
	if (c->z.nblocks)
		return;
	if (c->z.size == MMZ_CMA_CHUNK) {
		list_for_each_entry(o, &kz->chunks, node)
			if (o != c && !o->z.nblocks && o->z.size == c->z.size)
				goto release;
		return;		/* the zone's spare */
	}
release:
	mmz_chunk_release(kz, c);
}

/* The block of @kz starting at (or, @containing, holding) @phys. */
static struct mmz_extent *mmz_cma_find(struct mmz_kzone *kz, phys_addr_t phys,
			       bool containing)
{
	struct mmz_chunk *c;

	list_for_each_entry(c, &kz->chunks, node) {
		if (!mmz_pool_contains(&c->z, phys))
			continue;
		return containing ? mmz_pool_find_containing(&c->z, phys) :
				    mmz_pool_find(&c->z, phys);
	}
	return NULL;
}

/* Every block of @kz in address order; stops at a non-zero return. */
static int mmz_cma_for_each_block(struct mmz_kzone *kz, mmz_extent_fn fn, void *ctx)
{
	struct mmz_chunk *c, *tmp;
	int ret;

	/* _safe: @fn may free the last block of a chunk */
	list_for_each_entry_safe(c, tmp, &kz->chunks, node) {
		ret = mmz_pool_for_each_block(&c->z, fn, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Zone statistics: used and blocks are exact; free is the zone size less
 * the blocks; largest_free is the larger of the biggest free extent inside
 * a chunk and the part of the zone not taken from CMA (an upper bound:
 * CMA decides what it can give); free_extents counts extents in chunks.
 */
static void mmz_cma_stats(struct mmz_kzone *kz, struct mmz_pool_stats *st)
{
	struct mmz_pool_stats cs;
	struct mmz_chunk *c;

	memset(st, 0, sizeof(*st));
	st->total = kz->z.size;
	list_for_each_entry(c, &kz->chunks, node) {
		mmz_pool_stats(&c->z, &cs);
		st->used += cs.used;
		st->blocks += cs.blocks;
		st->free_extents += cs.free_extents;
		st->largest_free = max(st->largest_free, cs.largest_free);
	}
	st->free = st->total - st->used;
	st->largest_free = max(st->largest_free, kz->z.size - kz->held);
}

/* Violated invariants of every chunk, plus chunks outside or overlapping. */
static int mmz_cma_check(struct mmz_kzone *kz)
{
	struct mmz_chunk *c, *prev = NULL;
	u64 held = 0;
	int bad = 0;

	list_for_each_entry(c, &kz->chunks, node) {
		bad += mmz_pool_check(&c->z);
		if (c->z.base < kz->z.base ||
		    c->z.base + c->z.size > kz->z.base + kz->z.size)
			bad++;
		if (prev && prev->z.base + prev->z.size > c->z.base)
			bad++;
		held += c->z.size;
		prev = c;
	}
	return bad + (held != kz->held);
}

/*
 * The zone's pages must all be CMA memory (of any area), as System RAM, and
 * all low or all high memory: a CMA area never spans both (mm/cma.c refuses
 * such an area or leaves it inactive), so say so before "not CMA memory".
 */
static int mmz_cma_zone_check(struct mmz_kzone *kz)
{
	u64 base = kz->z.base, last = kz->z.base + kz->z.size - 1;
	unsigned long pfn;
	u64 border;

	if (region_intersects(base, kz->z.size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS) {
		pr_err("zone %u \"%s\": [mem 0x%llx-0x%llx] is not all System RAM; with mmz_allocator=cma the zone must lie inside a CMA area (cma=<size>@<base> on the kernel command line)\n",
		       kz->index + 1, kz->z.name, base, last);
		return -EINVAL;
	}
	border = mmz_lowmem_end();
	if (base < border && last >= border) {
		pr_err("zone %u \"%s\": [mem 0x%llx-0x%llx] straddles the end of low memory at 0x%llx: a CMA zone lies wholly in low or wholly in high memory (vmalloc= moves the border)\n",
		       kz->index + 1, kz->z.name, base, last, border);
		return -EINVAL;
	}
	for (pfn = PHYS_PFN(base); pfn <= PHYS_PFN(last);
	     pfn = ALIGN(pfn + 1, pageblock_nr_pages)) {
		if (!mmz_pfn_in_cma(pfn)) {
			pr_err("zone %u \"%s\": [mem 0x%llx-0x%llx] is not inside a CMA area (0x%llx is not CMA memory): reserve one with cma=<size>@<base> covering it\n",
			       kz->index + 1, kz->z.name, base, last,
			       (u64)PFN_PHYS(pfn));
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Tries one allocation on the zone's device; it is kept as the zone's spare
 * chunk when it lies inside the zone.
 */
static int mmz_cma_zone_probe(struct mmz_kzone *kz, struct device_node *np)
{
	struct mmz_chunk *c;
	struct mmz_raw r;

	if (mmz_raw_alloc(kz, MMZ_CMA_CHUNK, &r)) {
		if (np)
			pr_err("zone %u \"%s\": the CMA area of DT node %pOF gave no %llu MiB to the zone's device: it is used up\n",
			       kz->index + 1, kz->z.name, np,
			       MMZ_CMA_CHUNK >> 20);
		else
			pr_err("zone %u \"%s\": the kernel's CMA gave no %llu MiB to the zone's device: no default CMA area (cma=) or it is used up\n",
			       kz->index + 1, kz->z.name, MMZ_CMA_CHUNK >> 20);
		return -ENOMEM;
	}
	if (r.handle != r.phys) {
		mmz_raw_free(kz, &r);
		pr_err("zone %u \"%s\": DMA addresses are not physical addresses here; CMA mode needs plain dma-direct\n",
		       kz->index + 1, kz->z.name);
		return -ENODEV;
	}
	if (mmz_raw_in_zone(kz, &r)) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (c && !mmz_pool_init(&c->z, kz->z.name, r.phys, r.size,
					PAGE_SHIFT, &mmz_chunk_ops)) {
			c->cookie = r.cookie;
			c->handle = r.handle;
			mmz_chunk_insert(kz, c);
			return 0;
		}
		kfree(c);
	}
	mmz_raw_free(kz, &r);
	return 0;
}

/* Creates the zone's DMA device, bound to @np's @rmem when @np is set. */
static int mmz_cma_zone_dev(struct mmz_kzone *kz, struct device_node *np,
			    const struct reserved_mem *rmem)
{
	struct platform_device_info pi = {
		.name = "mmz-cma",
		.id = kz->dev_id,
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct device *dev;
	int ret;

	kz->pdev = platform_device_register_full(&pi);
	if (IS_ERR(kz->pdev)) {
		ret = PTR_ERR(kz->pdev);
		kz->pdev = NULL;
		pr_err("zone %u \"%s\": cannot create its DMA device (%d)\n",
		       kz->index + 1, kz->z.name, ret);
		return ret;
	}
	dev = mmz_cma_dev(kz);
	if (!mmz_dev_dma_direct(dev)) {
		pr_err("zone %u \"%s\": DMA allocations go through an IOMMU or bounce-buffer ops here, not dma-direct, so CMA is out of reach\n",
		       kz->index + 1, kz->z.name);
		ret = -ENODEV;
		goto err_dev;
	}
	ret = np ? mmz_dt_bind(kz, np) : 0;
	if (!ret)
		ret = mmz_cma_zone_probe(kz, np);
	if (ret)
		goto err_dev;
	if (np)
		pr_info("zone %u \"%s\": CMA area of DT memory-region %s [mem 0x%llx-0x%llx] (node %pOF)\n",
			kz->index + 1, kz->z.name, rmem->name,
			(u64)rmem->base, (u64)rmem->base + rmem->size - 1,
			np);
	else
		pr_info("zone %u \"%s\": default CMA area\n",
			kz->index + 1, kz->z.name);
	return 0;

err_dev:
	of_reserved_mem_device_release(dev);
	platform_device_unregister(kz->pdev);
	kz->pdev = NULL;
	return ret;
}

/**
 * mmz_cma_zone_setup() - give a zone its DMA device and check its range
 * @kz: a zone whose z is set up
 *
 * The zone must be System RAM whose every pageblock belongs to a CMA area,
 * and the device must reach CMA through dma-direct: one allocation is
 * tried. A zone named by an "mmz,zone" DT node allocates from that node's
 * memory-region, which must hold it; other zones use the default area.
 * Each refusal is one log line.
 *
 * Return: 0 or -EINVAL / -ENODEV / -ENOMEM.
 */
static int mmz_cma_zone_setup(struct mmz_kzone *kz)
{
	struct reserved_mem *rmem = NULL;
	struct device_node *np;
	int ret;

	INIT_LIST_HEAD(&kz->chunks);
	np = mmz_dt_zone_node(kz->z.name);
	ret = np ? mmz_dt_check(kz, np, &rmem) : 0;
	if (!ret)
		ret = mmz_cma_zone_check(kz);
	if (!ret)
		ret = mmz_cma_zone_dev(kz, np, rmem);
	of_node_put(np);
	return ret;
}

/* Gives every chunk back and removes the device; blocks must be gone. */
static void mmz_cma_zone_teardown(struct mmz_kzone *kz)
{
	struct mmz_chunk *c, *tmp;

	if (!kz->pdev)
		return;
	list_for_each_entry_safe(c, tmp, &kz->chunks, node) {
		WARN_ON(c->z.nblocks);
		mmz_chunk_release(kz, c);
	}
	/* after the chunks: dma_free_attrs() returns them to dev->cma_area */
	of_reserved_mem_device_release(mmz_cma_dev(kz));
	platform_device_unregister(kz->pdev);
	kz->pdev = NULL;
}

/*
 * CMA mode: a zone's blocks live in its chunks (one core zone each), so
 * the zone line comes from the zone and the block lines from the chunks.
 * The core formats each piece: the ZONE line of a zone without blocks is
 * its first line, the MMB lines of a chunk follow its ZONE line, and the
 * summary is that of a single core zone standing for all of them.
 */
struct mmz_proc_cma {
	struct seq_file *m;
	u64 used_kb;
	unsigned long blocks;
	bool first;		/* the next emitted line is a ZONE line */
	bool zone_line;		/* keep the ZONE line */
};

static void mmz_proc_cma_emit(void *ctx, const char *line, size_t len)
{
	struct mmz_proc_cma *pc = ctx;
	bool is_zone = pc->first;

	pc->first = false;
	if (is_zone ? pc->zone_line : !strncmp(line, "   |-MMB:", 9))
		seq_write(pc->m, line, len);
}

static int mmz_proc_cma_count(void *ctx, struct mmz_extent *b)
{
	struct mmz_proc_cma *pc = ctx;

	pc->used_kb += b->size / 1024;
	pc->blocks++;
	return 0;
}

/* CMA: blocks live in chunks */
static void mmz_cma_proc_show(struct seq_file *m)
{
	struct mmz_proc_cma pc = { .m = m };
	u64 total_kb = 0, free_kb;
	struct mmz_chunk *c;
	int i;

	for (i = mmz.nzones - 1; i >= 0; i--) {
		struct mmz_kzone *kz = mmz.zones[i];
		struct mmz_pool *z = &kz->z;

		pc.first = true;
		pc.zone_line = true;
		mmz_format_media_mem(&z, 1, mmz_proc_cma_emit, &pc);
		list_for_each_entry(c, &kz->chunks, node) {
			struct mmz_pool *cz = &c->z;

			pc.first = true;
			pc.zone_line = false;
			mmz_format_media_mem(&cz, 1, mmz_proc_cma_emit, &pc);
		}
		mmz_kzone_for_each_block(kz, mmz_proc_cma_count, &pc);
		total_kb += z->size / 1024;
	}
	if (!total_kb)
		return;
	free_kb = total_kb - pc.used_kb;
	seq_printf(m, "\n---MMZ_USE_INFO:\n total size=%lluKB(%lluMB),used=%lluKB(%lluMB + %lluKB),remain=%lluKB(%lluMB + %lluKB),zone_number=%u,block_number=%lu\n",
		   total_kb, total_kb / 1024, pc.used_kb, pc.used_kb / 1024,
		   pc.used_kb % 1024, free_kb, free_kb / 1024, free_kb % 1024,
		   mmz.nzones, pc.blocks);
}

const struct mmz_backend mmz_cma_backend = {
	.name = "cma",
	.parse_flags = MMZ_PARSE_CMA,
	.features = MMZ_FEAT_CMA,
	.ram = true,
	.example = "mmz=anonymous,0,0x88000000,384M mmz_allocator=cma (and cma=384M@0x88000000 on the kernel command line)",
	.zone_setup = mmz_cma_zone_setup,
	.zone_teardown = mmz_cma_zone_teardown,
	.place = mmz_cma_place,
	.placed_zero = mmz_cma_placed_zero,
	.unplace = mmz_cma_unplace,
	.find = mmz_cma_find,
	.for_each_block = mmz_cma_for_each_block,
	.stats = mmz_cma_stats,
	.check = mmz_cma_check,
	.proc_show = mmz_cma_proc_show,
};
