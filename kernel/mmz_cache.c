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
#include <linux/string.h>

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

/* Clean + invalidate the CPU cache lines of [@phys, @phys + @size). */
int mmz_phys_flush(phys_addr_t phys, u64 size)
{
	return mmz_phys_walk(phys, size, false);
}

static int mmz_flush_block_cb(void *ctx, struct mmz_extent *b)
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
