// SPDX-License-Identifier: GPL-2.0
/* /proc/media-mem: the vendor text, written by the allocator core. */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "mmz_priv.h"

static void mmz_proc_emit(void *ctx, const char *line, size_t len)
{
	seq_write(ctx, line, len);
}

static int mmz_proc_show(struct seq_file *m, void *v)
{
	struct mmz_zone *zones[MMZ_MAX_ZONES];
	int i;

	mutex_lock(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++)
		zones[i] = &mmz.zones[i]->z;
	mmz_format_media_mem(zones, mmz.nzones, mmz_proc_emit, m);
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
