// SPDX-License-Identifier: GPL-2.0
/*
 * The carve-out back end (mmz_allocator=hisi, the default): a zone is
 * memory the kernel does not manage (x86 memmap=, ARM no-map or above
 * mem=), claimed with request_mem_region(); the allocator core places
 * blocks in it directly. With prezero=1 freed blocks are zeroed in the
 * background (mmz_prezero.c), so what the core holds free is zero.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/ioport.h>
#include <linux/slab.h>

#include "mmz_priv.h"

static int mmz_carveout_zone_setup(struct mmz_kzone *kz)
{
	int ret;

	kz->res = request_mem_region(kz->z.base, kz->z.size, "mmz");
	if (!kz->res) {
		pr_err("zone %u \"%s\": [mem 0x%llx-0x%llx] is claimed by another driver\n",
		       kz->index + 1, kz->z.name, (u64)kz->z.base,
		       (u64)(kz->z.base + kz->z.size - 1));
		return -EBUSY;
	}
	if (!mmz.prezero)
		return 0;
	ret = mmz_prezero_zone_init(kz);
	if (ret) {
		pr_err("zone %u \"%s\": out of memory for the zone's metadata\n",
		       kz->index + 1, kz->z.name);
		mmz_prezero_zone_drop(kz);
		release_mem_region(kz->z.base, kz->z.size);
		kz->res = NULL;
	}
	return ret;
}

static void mmz_carveout_zone_teardown(struct mmz_kzone *kz)
{
	mmz_prezero_zone_drop(kz);
	if (kz->res)
		release_mem_region(kz->z.base, kz->z.size);
	kz->res = NULL;
}

static int mmz_carveout_place(struct mmz_kzone *kz,
			      const struct mmz_alloc_req *req, u64 size,
			      u64 align, struct mmz_mmb *mmb)
{
	int ret;

	ret = mmz_pool_alloc(&kz->z, size, align, req->order, req->name,
			     &mmb->blk);
	/*
	 * The room may be freed memory still waiting to be zeroed; while
	 * that drops mmz.lock the zone must stay (mmz_zones_remove()).
	 */
	kz->allocating++;
	while (ret == -ENOMEM && mmz.prezero && size <= kz->z.size &&
	       mmz_prezero_one(kz, size))
		ret = mmz_pool_alloc(&kz->z, size, align, req->order,
				     req->name, &mmb->blk);
	kz->allocating--;
	return ret;
}

static bool mmz_carveout_placed_zero(const struct mmz_mmb *mmb)
{
	return mmz.prezero;
}

static void mmz_carveout_unplace(struct mmz_mmb *mmb)
{
	mmz_pool_free(&mmb->zone->z, mmb->blk);
}

/* prezero=1: the block waits on its zone's dirty list to be zeroed */
static bool mmz_carveout_keep_freed(struct mmz_mmb *mmb)
{
	if (!mmz.prezero)
		return false;
	mmz_prezero_queue(mmb);
	return true;
}

static struct mmz_extent *mmz_carveout_find(struct mmz_kzone *kz,
					   phys_addr_t phys, bool containing)
{
	return containing ? mmz_pool_find_containing(&kz->z, phys) :
			    mmz_pool_find(&kz->z, phys);
}

static int mmz_carveout_for_each_block(struct mmz_kzone *kz,
				       mmz_extent_fn fn, void *ctx)
{
	return mmz_pool_for_each_block(&kz->z, fn, ctx);
}

static void mmz_carveout_stats(struct mmz_kzone *kz,
			       struct mmz_pool_stats *st)
{
	mmz_pool_stats(&kz->z, st);
}

const struct mmz_backend mmz_carveout_backend = {
	.name = "hisi",
	.prezero = true,
	.example = "mmz=anonymous,0,0x88000000,384M (and memmap=384M$0x88000000 on the x86 kernel command line)",
	.zone_setup = mmz_carveout_zone_setup,
	.zone_teardown = mmz_carveout_zone_teardown,
	.place = mmz_carveout_place,
	.placed_zero = mmz_carveout_placed_zero,
	.unplace = mmz_carveout_unplace,
	.keep_freed = mmz_carveout_keep_freed,
	.find = mmz_carveout_find,
	.for_each_block = mmz_carveout_for_each_block,
	.stats = mmz_carveout_stats,
	.proc_show = mmz_proc_show_zones,
};
