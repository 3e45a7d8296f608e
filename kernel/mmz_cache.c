// SPDX-License-Identifier: GPL-2.0
/*
 * Zeroing and cache maintenance of carve-out memory. The memory has no
 * kernel mapping of its own; it is mapped a chunk at a time just for the
 * job. The architecture's part is in mmz_compat.h.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

static int mmz_phys_walk(phys_addr_t phys, u64 size, bool zero)
{
	while (size) {
		size_t n = min_t(u64, size, MMZ_MAP_CHUNK);
		void *va = memremap(phys, n, MEMREMAP_WB);

		if (!va)
			return -ENOMEM;
		if (zero)
			memset(va, 0, n);
		mmz_arch_clean_inval(va, phys, n);
		memunmap(va);
		phys += n;
		size -= n;
		cond_resched();
	}
	return 0;
}

/*
 * Zero [@phys, @phys + @size) through a cached mapping, then clean and
 * invalidate it: no dirty line of an earlier owner can land on the zeros
 * later, and a write-combine user mapping sees them at once.
 */
int mmz_phys_zero(phys_addr_t phys, u64 size)
{
	return mmz_phys_walk(phys, size, true);
}

/* Blocks of at least two of these are zeroed by several CPUs at once. */
#define MMZ_ZERO_PART_MIN	(2UL << 20)
#define MMZ_ZERO_MAX_PARTS	8

struct mmz_zero_part {
	struct work_struct work;
	phys_addr_t phys;
	u64 size;
	int ret;
};

static void mmz_zero_part_fn(struct work_struct *work)
{
	struct mmz_zero_part *p = container_of(work, struct mmz_zero_part,
					       work);

	p->ret = mmz_phys_zero(p->phys, p->size);
}

/**
 * mmz_block_zero() - zero a new block before anyone sees it
 * @phys: start, page aligned
 * @size: bytes, a multiple of PAGE_SIZE
 *
 * Large blocks are cut into parts zeroed in parallel by unbound workers
 * and the caller: one core rarely saturates the memory bus, and the
 * caller waits for the whole block anyway. Call without mmz.lock.
 *
 * Return: 0 or -ENOMEM (no mapping for the job).
 */
int mmz_block_zero(phys_addr_t phys, u64 size)
{
	struct mmz_zero_part parts[MMZ_ZERO_MAX_PARTS];
	unsigned int n, i;
	u64 part;
	int ret;

	n = min_t(u64, min(num_online_cpus(), MMZ_ZERO_MAX_PARTS),
		  div_u64(size, MMZ_ZERO_PART_MIN));
	if (n < 2)
		return mmz_phys_zero(phys, size);
	part = round_up(div_u64(size, n), PAGE_SIZE);
	for (i = 1; i < n; i++) {
		struct mmz_zero_part *p = &parts[i];

		p->phys = phys + part * i;
		p->size = i == n - 1 ? size - part * i : part;
		INIT_WORK_ONSTACK(&p->work, mmz_zero_part_fn);
		queue_work(system_unbound_wq, &p->work);
	}
	ret = mmz_phys_zero(phys, part);
	for (i = 1; i < n; i++) {
		flush_work(&parts[i].work);
		destroy_work_on_stack(&parts[i].work);
		if (!ret)
			ret = parts[i].ret;
	}
	return ret;
}

/* Clean + invalidate the CPU cache lines of [@phys, @phys + @size). */
int mmz_phys_flush(phys_addr_t phys, u64 size)
{
	return mmz_phys_walk(phys, size, false);
}

static int mmz_flush_block_cb(void *ctx, struct mmz_block *b)
{
	return mmz_phys_flush(b->phys, b->size);
}

/* Clean + invalidate every block (or the whole cache where possible). */
int mmz_flush_all(void)
{
	int i, ret;

	lockdep_assert_held(&mmz.lock);
	if (mmz_arch_clean_inval_all())
		return 0;
	for (i = 0; i < mmz.nzones; i++) {
		ret = mmz_kzone_for_each_block(mmz.zones[i],
					       mmz_flush_block_cb, NULL);
		if (ret)
			return ret;
	}
	return 0;
}
