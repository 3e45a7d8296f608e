// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/media-mem: the vendor text, written by the allocator core. Zones
 * print last first, as the vendor module adds each at its list's head;
 * blocks in address order. The body is the back end's (proc_show): the
 * carve-out one is here, CMA's (blocks in chunks) in mmz_cma.c. Blocks
 * outside the load's zones (imports) follow the vendor's text.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "mmz_priv.h"

static void mmz_proc_emit(void *ctx, const char *line, size_t len)
{
	seq_write(ctx, line, len);
}

/* Carve-out: each zone's core holds its blocks */
void mmz_proc_show_zones(struct seq_file *m)
{
	struct mmz_pool *zones[MMZ_MAX_ZONES];
	int i;

	for (i = 0; i < mmz.nzones; i++)
		zones[i] = &mmz.zones[mmz.nzones - 1 - i]->z;
	mmz_format_media_mem(zones, mmz.nzones, mmz_proc_emit, m);
}

/* Blocks of the loose zones (imports), after the vendor's text */
static void mmz_proc_show_loose(struct seq_file *m)
{
	struct mmz_pool_stats st;
	unsigned long n = 0;
	struct mmz_kzone *kz;
	u64 bytes = 0;

	list_for_each_entry(kz, &mmz.loose_zones, node) {
		mmz_pool_stats(&kz->z, &st);
		n += st.blocks;
		bytes += st.used;
	}
	if (!n)
		return;
	mmz_format_loose_header(n, bytes, mmz_proc_emit, m);
	list_for_each_entry(kz, &mmz.loose_zones, node)
		mmz_format_zone_blocks(&kz->z, mmz_proc_emit, m);
}

static int mmz_proc_show(struct seq_file *m, void *v)
{
	mutex_lock(&mmz.lock);
	mmz_prezero_settle();
	mmz.be->proc_show(m);
	mmz_proc_show_loose(m);
	mutex_unlock(&mmz.lock);
	return 0;
}

int mmz_proc_register(void)
{
	return proc_create_single("media-mem", 0444, NULL, mmz_proc_show) ?
		0 : -ENOMEM;
}

void mmz_proc_unregister(void)
{
	remove_proc_entry("media-mem", NULL);
}
