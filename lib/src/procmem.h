/* SPDX-License-Identifier: MIT */
/*
 * Parser of the vendor /proc/media-mem text (the fallback information
 * source when the module has no mmz extension ioctls). Pure: no I/O.
 */
#ifndef MMZ_LIB_PROCMEM_H
#define MMZ_LIB_PROCMEM_H

#include "mmz/mmz.h"

/*
 * Zone @index parsed from @text; used, blocks, largest_free and
 * free_extents computed from the block lines. Return: 0, -ENOENT past the
 * last zone, -EPROTO unreadable text.
 */
int mmz_procmem_zone(const char *text, unsigned int index,
		     struct mmz_zone *zone);

/*
 * The first block with phys >= @from over all zones in address order.
 * Return: 0, -ENOENT none, -EPROTO unreadable text.
 */
int mmz_procmem_block(const char *text, uint64_t from,
		      struct mmz_block *block);

/* Read a whole text file into a malloc'ed NUL-terminated buffer. */
int mmz_read_text(const char *path, char **text);

#endif
