// SPDX-License-Identifier: MIT
/*
 * /proc/media-mem parser (vendor text format):
 *
 * +---ZONE: PHYS(0x30000000, 0x35FFFFFF), GFP=0, nBYTES=98304KB,    NAME="anonymous"
 *    |-MMB: phys(0x30000000, 0x30007FFF), kvirt=0x00000000, flags=0x00000000, length=32KB,    name="x"
 *
 * PHYS/phys ranges are inclusive. Everything after the first line that is
 * neither a zone nor a block line (the ---MMZ_USE_INFO summary) is ignored.
 * Zones print in the reverse of their mmz= order (the vendor module adds
 * each at the head of its list; mmz.ko prints them the same way): zone
 * indexes here count in mmz= order, as MMZ_IOC_ZONE_INFO's do.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procmem.h"

struct pm_block {
	uint64_t start, end;	/* inclusive end */
	unsigned long flags;
	unsigned int zone;
	char name[MMZ_BLOCK_NAME_MAX];
};

struct pm_zone {
	uint64_t start, end;
	uint64_t gfp;
	char name[MMZ_ZONE_NAME_MAX];
};

struct pm {
	struct pm_zone *zones;
	unsigned int nzones;
	struct pm_block *blocks;
	unsigned int nblocks;
};

/* copy the text between the first '"' after @key and the last '"' of the line */
static void pm_quoted(const char *line, size_t len, const char *key,
		      char *out, size_t outsz)
{
	const char *p = strstr(line, key), *q, *end = line + len;
	size_t n;

	out[0] = '\0';
	if (!p || p >= end)
		return;
	p += strlen(key);
	for (q = end; q > p && q[-1] != '"'; q--)
		;
	if (q <= p)
		return;
	n = (size_t)(q - 1 - p);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void *pm_grow(void *arr, unsigned int n, size_t elsz)
{
	/* capacity: 4, then the next power of two; grow when @n reaches it */
	if (n > 4 && (n & (n - 1)))
		return arr;
	if (n && n < 4)
		return arr;
	return realloc(arr, (n ? 2 * (size_t)n : 4) * elsz);
}

static void pm_free(struct pm *pm)
{
	free(pm->zones);
	free(pm->blocks);
}

/* Zones back into mmz= order (see the top). */
static void pm_reverse_zones(struct pm *pm)
{
	unsigned int i, n = pm->nzones;

	for (i = 0; i < n / 2; i++) {
		struct pm_zone t = pm->zones[i];

		pm->zones[i] = pm->zones[n - 1 - i];
		pm->zones[n - 1 - i] = t;
	}
	for (i = 0; i < pm->nblocks; i++)
		pm->blocks[i].zone = n - 1 - pm->blocks[i].zone;
}

static int pm_parse(const char *text, struct pm *pm)
{
	const char *line = text;

	memset(pm, 0, sizeof(*pm));
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		unsigned long long a, b, c;
		unsigned long kv, fl;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (sscanf(buf, "+---ZONE: PHYS(0x%llx, 0x%llx), GFP=%llu,", &a, &b, &c) == 3) {
			struct pm_zone *z;
			void *n = pm_grow(pm->zones, pm->nzones, sizeof(*z));

			if (!n)
				goto nomem;
			pm->zones = n;
			z = &pm->zones[pm->nzones++];
			z->start = a;
			z->end = b;
			z->gfp = c;
			pm_quoted(buf, len, "NAME=\"", z->name, sizeof(z->name));
			if (b < a)
				goto proto;
		} else if (sscanf(buf, "   |-MMB: phys(0x%llx, 0x%llx), kvirt=0x%lx, flags=0x%lx,",
				  &a, &b, &kv, &fl) == 4) {
			struct pm_block *bl;
			void *n;

			if (!pm->nzones || b < a)
				goto proto;
			n = pm_grow(pm->blocks, pm->nblocks, sizeof(*bl));
			if (!n)
				goto nomem;
			pm->blocks = n;
			bl = &pm->blocks[pm->nblocks++];
			bl->start = a;
			bl->end = b;
			bl->flags = fl;
			bl->zone = pm->nzones - 1;
			pm_quoted(buf, len, "name=\"", bl->name, sizeof(bl->name));
		} else if (len && buf[0] != ' ' && buf[0] != '+' && buf[0] != '|') {
			break;	/* the summary */
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	pm_reverse_zones(pm);
	return 0;
proto:
	pm_free(pm);
	return -EPROTO;
nomem:
	pm_free(pm);
	return -ENOMEM;
}

static int pm_cmp_block(const void *x, const void *y)
{
	const struct pm_block *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

int mmz_procmem_zone(const char *text, unsigned int index,
		     struct mmz_zone *zone)
{
	struct pm pm;
	struct pm_zone *z;
	uint64_t cur, gap;
	unsigned int i;
	int ret = pm_parse(text, &pm);

	if (ret)
		return ret;
	if (index >= pm.nzones) {
		pm_free(&pm);
		return -ENOENT;
	}
	z = &pm.zones[index];
	memset(zone, 0, sizeof(*zone));
	zone->index = index;
	snprintf(zone->name, sizeof(zone->name), "%s", z->name);
	zone->phys = z->start;
	zone->size = z->end - z->start + 1;
	zone->gfp = z->gfp;
	if (pm.nblocks)
		qsort(pm.blocks, pm.nblocks, sizeof(*pm.blocks), pm_cmp_block);
	cur = z->start;
	for (i = 0; i < pm.nblocks; i++) {
		struct pm_block *b = &pm.blocks[i];

		if (b->zone != index)
			continue;
		zone->blocks++;
		zone->used += b->end - b->start + 1;
		if (b->start > cur) {
			gap = b->start - cur;
			zone->free_extents++;
			if (gap > zone->largest_free)
				zone->largest_free = gap;
		}
		if (b->end + 1 > cur)
			cur = b->end + 1;
	}
	if (z->end + 1 > cur) {
		gap = z->end + 1 - cur;
		zone->free_extents++;
		if (gap > zone->largest_free)
			zone->largest_free = gap;
	}
	pm_free(&pm);
	return 0;
}

int mmz_procmem_block(const char *text, uint64_t from, struct mmz_block *block)
{
	struct pm pm;
	struct pm_block *best = NULL;
	unsigned int i;
	int ret = pm_parse(text, &pm);

	if (ret)
		return ret;
	for (i = 0; i < pm.nblocks; i++) {
		struct pm_block *b = &pm.blocks[i];

		if (b->start >= from && (!best || b->start < best->start))
			best = b;
	}
	if (!best) {
		pm_free(&pm);
		return -ENOENT;
	}
	memset(block, 0, sizeof(*block));
	block->phys = best->start;
	block->size = best->end - best->start + 1;
	block->zone_index = best->zone;
	snprintf(block->name, sizeof(block->name), "%s", best->name);
	block->owner_pid = -1;
	block->map_count = -1;
	block->ref_count = -1;
	block->kernel_mapped = (best->flags & 1) ? 1 : 0;
	if (best->flags & 4)
		block->flags |= MMZ_BLK_DELAYED_FREE;
	if (best->flags & 2)
		block->flags |= MMZ_BLK_CACHED;
	pm_free(&pm);
	return 0;
}

int mmz_read_text(const char *path, char **text)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);
	int fd;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(buf);
		return -e;
	}
	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *n = realloc(buf, cap * 2);

			if (!n) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = n;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*text = buf;
	return 0;
}
