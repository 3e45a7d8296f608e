// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/media-mem: the vendor text, written by the allocator core. Zones
 * print last first, as the vendor module adds each at its list's head;
 * blocks in address order (CMA chunks are kept sorted).
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

static int mmz_proc_cma_count(void *ctx, struct mmz_block *b)
{
	struct mmz_proc_cma *pc = ctx;

	pc->used_kb += b->size / 1024;
	pc->blocks++;
	return 0;
}

static void mmz_proc_show_cma(struct seq_file *m)
{
	struct mmz_proc_cma pc = { .m = m };
	u64 total_kb = 0, free_kb;
	struct mmz_chunk *c;
	int i;

	for (i = mmz.nzones - 1; i >= 0; i--) {
		struct mmz_kzone *kz = mmz.zones[i];
		struct mmz_zone *z = &kz->z;

		pc.first = true;
		pc.zone_line = true;
		mmz_format_media_mem(&z, 1, mmz_proc_cma_emit, &pc);
		list_for_each_entry(c, &kz->chunks, node) {
			struct mmz_zone *cz = &c->z;

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

static int mmz_proc_show(struct seq_file *m, void *v)
{
	struct mmz_zone *zones[MMZ_MAX_ZONES];
	int i;

	mutex_lock(&mmz.lock);
	mmz_prezero_settle();
	if (mmz.cma) {
		mmz_proc_show_cma(m);
	} else {
		for (i = 0; i < mmz.nzones; i++)
			zones[i] = &mmz.zones[mmz.nzones - 1 - i]->z;
		mmz_format_media_mem(zones, mmz.nzones, mmz_proc_emit, m);
	}
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
