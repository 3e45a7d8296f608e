// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * /proc/media-mem in the vendor's format, byte for byte, so that tools
 * which parse it keep working. Numbers are printed from 64-bit values:
 * identical to the vendor's unsigned long output where that does not
 * overflow, and still right for zones above 4 GiB.
 */
#include "mmz_internal.h"

#define LINE_MAX_LEN	256

struct totals {
	unsigned long long total_kb;
	unsigned long long used_kb;
	unsigned int zones;
	unsigned long blocks;
	char *line;
	mmz_emit_fn emit;
	void *ctx;
};

static void emit_line(struct totals *t, int len)
{
	if (len < 0)
		return;
	if (len >= LINE_MAX_LEN)
		len = LINE_MAX_LEN - 1;
	t->emit(t->ctx, t->line, (size_t)len);
}

/*
 * A block name is any bytes its allocator chose: control characters
 * (a newline above all) would break the line or forge others, so they
 * are shown as '?'.
 */
static void clean_name(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < MMZ_BLOCK_NAME_LEN - 1 && src[i]; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ?
			 '?' : src[i];
	dst[i] = 0;
}

static int block_line(void *ctx, struct mmz_extent *b)
{
	struct totals *t = ctx;
	unsigned long long kb = b->size / 1024;
	char name[MMZ_BLOCK_NAME_LEN];

	clean_name(name, b->name);
	emit_line(t, snprintf(t->line, LINE_MAX_LEN,
		"   |-MMB: phys(0x%08llX, 0x%08llX), kvirt=0x%08lX, flags=0x%08lX, length=%lluKB,    name=\"%s\"\n",
		(unsigned long long)b->phys,
		(unsigned long long)(b->phys + b->size - 1),
		b->kvirt, b->flags, kb, name));
	t->used_kb += kb;
	t->blocks++;
	return 0;
}

void mmz_format_media_mem(struct mmz_pool *const *zones, int nzones,
			  mmz_emit_fn emit, void *ctx)
{
	char line[LINE_MAX_LEN];
	struct totals t = { .line = line, .emit = emit, .ctx = ctx };
	unsigned long long free_kb;
	int i;

	for (i = 0; i < nzones; i++) {
		const struct mmz_pool *z = zones[i];
		unsigned long long kb = z->size / 1024;

		emit_line(&t, snprintf(line, sizeof(line),
			"+---ZONE: PHYS(0x%08llX, 0x%08llX), GFP=%lu, nBYTES=%lluKB,    NAME=\"%s\"\n",
			(unsigned long long)z->base,
			(unsigned long long)(z->base + z->size - 1),
			z->gfp, kb, z->name));
		mmz_pool_for_each_block(zones[i], block_line, &t);
		t.total_kb += kb;
		t.zones++;
	}
	if (!t.total_kb)
		return;
	free_kb = t.total_kb - t.used_kb;
	emit(ctx, "\n", 1);
	emit_line(&t, snprintf(line, sizeof(line), "---MMZ_USE_INFO:\n"));
	emit_line(&t, snprintf(line, sizeof(line),
		" total size=%lluKB(%lluMB),used=%lluKB(%lluMB + %lluKB),remain=%lluKB(%lluMB + %lluKB),zone_number=%u,block_number=%lu\n",
		t.total_kb, t.total_kb / 1024, t.used_kb, t.used_kb / 1024,
		t.used_kb % 1024, free_kb, free_kb / 1024, free_kb % 1024,
		t.zones, t.blocks));
}

void mmz_format_loose_header(unsigned long nblocks, mmz_u64 bytes,
			     mmz_emit_fn emit, void *ctx)
{
	char line[LINE_MAX_LEN];
	struct totals t = { .line = line, .emit = emit, .ctx = ctx };

	emit(ctx, "\n", 1);
	emit_line(&t, snprintf(line, sizeof(line),
		"---MMZ_IMPORTS: number=%lu, size=%lluKB\n",
		nblocks, (unsigned long long)(bytes / 1024)));
}

void mmz_format_zone_blocks(struct mmz_pool *z, mmz_emit_fn emit, void *ctx)
{
	char line[LINE_MAX_LEN];
	struct totals t = { .line = line, .emit = emit, .ctx = ctx };

	mmz_pool_for_each_block(z, block_line, &t);
}
