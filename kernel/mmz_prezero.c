// SPDX-License-Identifier: GPL-2.0
/*
 * Background zeroing of freed carve-out memory (prezero=1, the default in
 * carve-out mode).
 *
 * Blocks are handed out zeroed. Zeroing 8 MiB takes milliseconds, more
 * than everything else an allocation does, so a freed block does not go
 * back to its zone at once: it waits on the zone's dirty list, still
 * placed in the core but hidden (core priv NULL, as for a block being
 * zeroed), until a worker has zeroed it and frees it in the core. Memory
 * free in the core is therefore always zero and an allocation zeroes
 * nothing.
 *
 *  - At load the zone holds unknown data: it starts as dirty pieces of
 *    MMZ_MAP_CHUNK bytes.
 *  - An allocation that finds no room zeroes dirty blocks itself, one at a
 *    time, retrying after each: it fails only when nothing dirty is left,
 *    as it would without prezero.
 *  - Statistics, /proc/media-mem and the consistency check settle the
 *    zones first, so they show what they would show without prezero.
 *
 * What changes: until it is zeroed a freed range is not reused, so the
 * next block lands elsewhere, and the zeroing happens after the free, not
 * at the next allocation. prezero=0 restores zeroing at allocation.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

static void mmz_zero_worker(struct work_struct *work);
static DECLARE_WORK(mmz_zero_work, mmz_zero_worker);
static DECLARE_WAIT_QUEUE_HEAD(mmz_zero_wq);
static unsigned long mmz_zero_seq;	/* bumped when a zeroing ends */
static bool mmz_zero_run;		/* the worker may be queued */

/*
 * Hands a released block's memory to the worker; mmz.lock held. The core
 * block is already unpublished (priv NULL) by mmz_block_release().
 */
void mmz_prezero_queue(struct mmz_mmb *mmb)
{
	struct mmz_kzone *kz = mmb->zone;

	lockdep_assert_held(&mmz.lock);
	list_add_tail(&mmb->owner_node, &kz->dirty);
	if (mmz_zero_run)
		queue_work(system_unbound_wq, &mmz_zero_work);
}

/* The oldest dirty block of at least @want bytes, else the oldest. */
static struct mmz_mmb *mmz_prezero_pick(struct mmz_kzone *kz, u64 want)
{
	struct mmz_mmb *mmb;

	list_for_each_entry(mmb, &kz->dirty, owner_node)
		if (mmz_mmb_size(mmb) >= want)
			return mmb;
	return list_first_entry_or_null(&kz->dirty, struct mmz_mmb,
					owner_node);
}

/**
 * mmz_prezero_one() - make progress on a zone's dirty memory
 * @kz: a carve-out zone
 * @want: bytes an allocation is waiting for, 0 for none
 *
 * Zeroes a dirty block (one that alone may make room for @want bytes, if
 * any) and frees it in the core, or, when the list is empty but someone
 * else is zeroing, waits for that to end. Drops mmz.lock meanwhile.
 *
 * Return: true if the zone may have gained free memory.
 */
bool mmz_prezero_one(struct mmz_kzone *kz, u64 want)
{
	struct mmz_mmb *mmb;
	unsigned long seq;
	int ret;

	lockdep_assert_held(&mmz.lock);
	mmb = mmz_prezero_pick(kz, want);
	if (!mmb) {
		if (!kz->zeroing)
			return false;
		seq = mmz_zero_seq;
		mutex_unlock(&mmz.lock);
		wait_event(mmz_zero_wq, READ_ONCE(mmz_zero_seq) != seq);
		mutex_lock(&mmz.lock);
		return true;
	}
	list_del_init(&mmb->owner_node);
	kz->zeroing++;
	mutex_unlock(&mmz.lock);
	ret = mmz_phys_zero(mmz_mmb_phys(mmb), mmz_mmb_size(mmb));
	mutex_lock(&mmz.lock);
	kz->zeroing--;
	WRITE_ONCE(mmz_zero_seq, mmz_zero_seq + 1);
	if (ret) {
		/* no mapping for it now: it stays dirty */
		list_add(&mmb->owner_node, &kz->dirty);
	} else {
		mmz_pool_free(&kz->z, mmb->blk);
		kfree(mmb);
	}
	wake_up_all(&mmz_zero_wq);
	return !ret;
}

/* Zeroes every dirty block of every zone; mmz.lock held, dropped inside. */
void mmz_prezero_settle(void)
{
	int i;

	lockdep_assert_held(&mmz.lock);
	if (!mmz.prezero)
		return;
	/* zones may come and go while the lock is dropped: i is rechecked */
	for (i = 0; i < mmz.nzones; i++)
		while (i < mmz.nzones && mmz_prezero_one(mmz.zones[i], 0))
			;
}
MMZ_EXPORT_FOR_TEST(mmz_prezero_settle);

static void mmz_zero_worker(struct work_struct *work)
{
	int i;

	mutex_lock(&mmz.lock);
	for (i = 0; i < mmz.nzones && mmz_zero_run; i++)
		while (mmz_zero_run && i < mmz.nzones &&
		       !list_empty(&mmz.zones[i]->dirty) &&
		       mmz_prezero_one(mmz.zones[i], 0))
			;
	mutex_unlock(&mmz.lock);
}

/*
 * A new zone's memory is unknown: place all of it in the core as dirty
 * pieces. Runs at load, before the worker starts.
 */
int mmz_prezero_zone_init(struct mmz_kzone *kz)
{
	u64 left = kz->z.size;
	struct mmz_mmb *mmb;
	int ret;

	while (left) {
		u64 n = min_t(u64, left, MMZ_MAP_CHUNK);

		mmb = kzalloc(sizeof(*mmb), GFP_KERNEL);
		if (!mmb)
			return -ENOMEM;
		ret = mmz_pool_alloc(&kz->z, n, PAGE_SIZE, MMZ_LOW_TO_HIGH,
				     "", &mmb->blk);
		if (ret) {
			kfree(mmb);
			return ret;
		}
		mmb->zone = kz;
		list_add_tail(&mmb->owner_node, &kz->dirty);
		left -= n;
	}
	return 0;
}

/* Lets the worker run and zero the new zones; call once they are set up. */
void mmz_prezero_start(void)
{
	mutex_lock(&mmz.lock);
	mmz_zero_run = mmz.prezero;
	if (mmz_zero_run)
		queue_work(system_unbound_wq, &mmz_zero_work);
	mutex_unlock(&mmz.lock);
}

/* A zone was added at run time: its memory waits to be zeroed. */
void mmz_prezero_kick(void)
{
	lockdep_assert_held(&mmz.lock);
	if (mmz_zero_run)
		queue_work(system_unbound_wq, &mmz_zero_work);
}

/* Stops the worker; mmz.lock not held. */
void mmz_prezero_stop(void)
{
	mutex_lock(&mmz.lock);
	mmz_zero_run = false;
	mutex_unlock(&mmz.lock);
	cancel_work_sync(&mmz_zero_work);
}

/*
 * Unload: gives a zone's dirty blocks back to the core unzeroed (the zone
 * goes away). The worker is stopped; nobody else zeroes.
 */
void mmz_prezero_zone_drop(struct mmz_kzone *kz)
{
	struct mmz_mmb *mmb, *tmp;

	list_for_each_entry_safe(mmb, tmp, &kz->dirty, owner_node) {
		list_del(&mmb->owner_node);
		mmz_pool_free(&kz->z, mmb->blk);
		kfree(mmb);
	}
}
