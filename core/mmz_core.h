/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * mmz allocator core: pools, placement, block index, statistics, the
 * /proc/media-mem formatter and a consistency check. No OS code: the
 * environment is reached only through mmz_os.h and struct mmz_ops.
 *
 * A pool (struct mmz_pool, mmz_pool_*) is the allocator state of one
 * zone's address range; its segments are extents (struct mmz_extent),
 * each a block (used) or free. The names are the core's own: libmmz's
 * struct mmz_zone and struct mmz_block are the user-space results.
 *
 * Locking is the caller's job: a zone is not safe for concurrent use.
 */
#ifndef MMZ_CORE_H
#define MMZ_CORE_H

#include "mmz_os.h"

typedef mmz_u64 mmz_addr_t;

#define MMZ_BLOCK_NAME_LEN	32	/* generation 3's mmb_name, NUL included */
#define MMZ_ZONE_NAME_LEN	32	/* HIL_MMZ_NAME_LEN, NUL included */
#define MMZ_MAX_ZONES		32

/* Free extents up to this many grains live in exact-size bins. */
#ifndef MMZ_SMALL_BINS
#define MMZ_SMALL_BINS		1024	/* a multiple of 64, at most 4096 */
#endif

/* ALLOC_V2 "order": where in the chosen gap the block is placed. */
enum mmz_dir {
	MMZ_LOW_TO_HIGH = 0,
	MMZ_HIGH_TO_LOW = 1,
};

/* Memory for the core's own metadata; may return NULL. */
struct mmz_ops {
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr);
	void *ctx;
};

struct mmz_avl_node {
	struct mmz_avl_node *left, *right, *parent;
	int height;
};

struct mmz_avl {
	struct mmz_avl_node *root;
};

/*
 * A segment of a zone: either a block (allocated) or a free extent. The
 * public part describes a block; the rest is private to the core.
 */
struct mmz_extent {
	mmz_addr_t phys;		/* first byte */
	mmz_addr_t size;		/* bytes, a multiple of the zone grain */
	unsigned long flags;		/* shown in /proc/media-mem */
	unsigned long kvirt;		/* kernel mapping or 0, shown too */
	void *priv;			/* the owner's data */
	char name[MMZ_BLOCK_NAME_LEN];

	/* private */
	struct mmz_extent *prev, *next;	/* address order, all segments */
	union {
		struct {		/* small free extent: its bin's heap */
			struct mmz_extent *child, *sibling, *hprev;
		} heap;
		struct mmz_avl_node tnode; /* large free extent */
	};
	unsigned int is_free;
};

struct mmz_radix_node;

struct mmz_pool {
	char name[MMZ_ZONE_NAME_LEN];
	unsigned long gfp;
	mmz_addr_t base;
	mmz_addr_t size;
	unsigned int grain_shift;
	unsigned int alloc_type;	/* MMZ_ALLOC_TYPE_*, from the spec */
	mmz_addr_t block_align;		/* alloc_type 2's size multiple */

	/* private */
	struct mmz_ops ops;
	struct mmz_extent *first;	/* lowest segment */
	struct mmz_extent *spare;	/* recycled segments */
	unsigned int nspare;
	struct mmz_radix_node *index;	/* blocks by start grain */
	struct mmz_radix_node *spare_rnode;
	unsigned int index_height;
	mmz_u64 bitmap_top;
	mmz_u64 bitmap[MMZ_SMALL_BINS / 64];
	struct mmz_extent *bins[MMZ_SMALL_BINS];	/* [n]: heap of n+1-grain extents */
	struct mmz_avl large;		/* bigger extents by (size, phys) */
	mmz_addr_t used;
	unsigned long nblocks;
	unsigned long nfree;
};

struct mmz_pool_stats {
	mmz_addr_t total;
	mmz_addr_t used;
	mmz_addr_t free;
	mmz_addr_t largest_free;
	unsigned long blocks;
	unsigned long free_extents;
};

/**
 * mmz_pool_init() - set up an empty zone
 * @z: zone storage (caller-owned, may be embedded)
 * @name: zone name, fewer than MMZ_ZONE_NAME_LEN bytes
 * @base: first physical byte, a multiple of the grain
 * @size: bytes, a non-zero multiple of the grain; base + size must not wrap
 * @grain_shift: log2 of the placement grain (12 for 4 KiB pages)
 * @ops: metadata allocator, copied
 *
 * Return: 0, -EINVAL for bad geometry, -ENOMEM.
 */
int mmz_pool_init(struct mmz_pool *z, const char *name, mmz_addr_t base,
		  mmz_addr_t size, unsigned int grain_shift,
		  const struct mmz_ops *ops);

/* Frees all metadata, blocks included. The zone must be re-inited to reuse. */
void mmz_pool_destroy(struct mmz_pool *z);

/**
 * mmz_pool_alloc() - place a block
 * @size: bytes, rounded up to the grain
 * @align: any value; 0 or less than the grain means the grain, anything
 *	else is rounded up to a multiple of the grain (as the vendor does:
 *	3 pages places at multiples of 3 pages). Alignment is of the
 *	physical address.
 * @dir: MMZ_LOW_TO_HIGH or MMZ_HIGH_TO_LOW
 * @name: block name (truncated to MMZ_BLOCK_NAME_LEN - 1), may be NULL
 * @out: the new block
 *
 * Exact best fit: the block goes into the smallest free extent that can
 * hold it at the alignment, at that extent's low end (LOW_TO_HIGH) or its
 * highest aligned position (HIGH_TO_LOW). Never fails while such an extent
 * exists.
 *
 * Return: 0, -EINVAL (size 0, bad dir), -ENOMEM (no extent fits, the
 * rounded align does not fit in 64 bits, or no metadata memory).
 */
int mmz_pool_alloc(struct mmz_pool *z, mmz_addr_t size, mmz_addr_t align,
		   int dir, const char *name, struct mmz_extent **out);

/*
 * The vendor's zone alloc_type: how an ALLOC_V2 block's size grows in the
 * zone (any other value leaves it alone, as the vendor does).
 */
#define MMZ_ALLOC_TYPE_POW2	1	/* the vendor's SLAB_ALLOC */
#define MMZ_ALLOC_TYPE_BLOCK	2	/* EQ_BLOCK_ALLOC: block_align */

/**
 * mmz_pool_v2_size() - the size an ALLOC_V2 block of @size bytes gets
 * @z: the zone, its alloc_type and block_align
 * @size: bytes, not 0
 *
 * Type 1 rounds up to a power of two, type 2 to a multiple of block_align
 * (any value; 0 leaves it); then to the grain.
 *
 * Return: the size, or 0 when it does not fit in 64 bits.
 */
mmz_addr_t mmz_pool_v2_size(const struct mmz_pool *z, mmz_addr_t size);

/* Returns the block's range to the zone; @b must be a live block of @z. */
void mmz_pool_free(struct mmz_pool *z, struct mmz_extent *b);

/* The block starting exactly at @phys, or NULL. */
struct mmz_extent *mmz_pool_find(const struct mmz_pool *z, mmz_addr_t phys);

/* The block holding byte @addr, or NULL. */
struct mmz_extent *mmz_pool_find_containing(const struct mmz_pool *z,
					   mmz_addr_t addr);

static inline int mmz_pool_contains(const struct mmz_pool *z, mmz_addr_t a)
{
	return a >= z->base && a - z->base < z->size;
}

void mmz_pool_stats(const struct mmz_pool *z, struct mmz_pool_stats *s);

/*
 * Calls @fn for every segment in address order; @is_free tells a free
 * extent (only phys and size are meaningful then) from a block. A non-zero
 * return from @fn stops the walk and is returned.
 */
typedef int (*mmz_walk_fn)(void *ctx, const struct mmz_extent *seg, int is_free);
int mmz_pool_walk(const struct mmz_pool *z, mmz_walk_fn fn, void *ctx);

/* Blocks only, in address order; same contract as mmz_pool_walk(). */
typedef int (*mmz_extent_fn)(void *ctx, struct mmz_extent *b);
int mmz_pool_for_each_block(struct mmz_pool *z, mmz_extent_fn fn, void *ctx);

/* Number of violated invariants; 0 means the zone is consistent. */
int mmz_pool_check(const struct mmz_pool *z);

/* ---- zone specs: mmz= and map_mmz= (mmz_parse.c) ---- */

struct mmz_zone_spec {
	char name[MMZ_ZONE_NAME_LEN];
	unsigned long gfp;
	mmz_addr_t phys;
	mmz_addr_t size;
	unsigned int alloc_type;
	mmz_addr_t block_align;
};

struct mmz_range {
	mmz_addr_t phys;
	mmz_addr_t size;
};

#define MMZ_PARSE_CMA	0x1	/* zones must be 4 MiB aligned */
#define MMZ_CMA_ALIGN	(4ULL << 20)

/**
 * mmz_parse_zones() - parse an mmz= string
 * @spec: "<name>,<gfp>,<phys>,<size>[,<alloc_type>[,<block_align>]][:...]"
 * @out: room for @max zones
 * @flags: MMZ_PARSE_CMA to require 4 MiB alignment
 * @err: on failure, one line naming the zone and field, NUL-terminated
 *
 * Return: number of zones (0 for an empty string), or -EINVAL / -E2BIG.
 */
int mmz_parse_zones(const char *spec, struct mmz_zone_spec *out, int max,
		    unsigned int flags, char *err, size_t errlen);

/* map_mmz=: "<phys>,<size>[:...]". Same return and @err contract. */
int mmz_parse_ranges(const char *spec, struct mmz_range *out, int max,
		     char *err, size_t errlen);

/* "384M", "0x1000", "4k", "12": bytes in *val; 0 or -EINVAL. */
int mmz_parse_size(const char *s, size_t len, mmz_addr_t *val);

/* ---- /proc/media-mem (mmz_format.c) ---- */

/* Receives one complete line, '\n' included. */
typedef void (*mmz_emit_fn)(void *ctx, const char *line, size_t len);

/*
 * Writes the vendor /proc/media-mem text for @zones: a ZONE line per zone,
 * an MMB line per block, then the MMZ_USE_INFO summary (only when the total
 * is non-zero, as the vendor does).
 */
void mmz_format_media_mem(struct mmz_pool *const *zones, int nzones,
			  mmz_emit_fn emit, void *ctx);

/*
 * Blocks outside the load's zones (imported dma-bufs) follow the summary,
 * only when there are any: the header (their number and size), then
 * mmz_format_zone_blocks() for each zone that holds them: an MMB line per
 * block, as under a ZONE line.
 */
void mmz_format_loose_header(unsigned long nblocks, mmz_u64 bytes,
			     mmz_emit_fn emit, void *ctx);
void mmz_format_zone_blocks(struct mmz_pool *z, mmz_emit_fn emit, void *ctx);

#endif /* MMZ_CORE_H */
