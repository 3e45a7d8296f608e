// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The block index: blocks keyed by their start grain in a radix tree of
 * 64-way nodes with occupancy bitmaps. A zone of 2^k grains needs
 * ceil(k / 6) levels (3 for 1 GiB of 4 KiB pages), so find, insert, erase
 * and predecessor ("which block holds this address") cost a few word
 * operations per level, independent of the number of blocks.
 *
 * Interior slots point to child nodes, leaf slots to blocks. The root
 * always exists; other nodes are freed when they empty.
 */
#include "mmz_internal.h"

static inline unsigned int digit(mmz_u64 key, unsigned int level)
{
	return (unsigned int)(key >> (level * MMZ_RADIX_BITS)) &
	       (MMZ_RADIX_SLOTS - 1);
}

static inline mmz_u64 bit(unsigned int d)
{
	return 1ULL << d;
}

static struct mmz_radix_node *node_new(struct mmz_pool *z)
{
	struct mmz_radix_node *n = z->spare_rnode;

	if (n)
		z->spare_rnode = NULL;
	else
		n = z->ops.alloc(z->ops.ctx, sizeof(*n));
	if (n)
		memset(n, 0, sizeof(*n));
	return n;
}

static void node_put(struct mmz_pool *z, struct mmz_radix_node *n)
{
	if (!z->spare_rnode)
		z->spare_rnode = n;
	else
		z->ops.free(z->ops.ctx, n);
}

int mmz_index_init(struct mmz_pool *z)
{
	mmz_u64 last = (z->size >> z->grain_shift) - 1;
	unsigned int h = 1;

	while (h < MMZ_RADIX_MAX_H && (last >> (h * MMZ_RADIX_BITS)))
		h++;
	z->index_height = h;
	z->spare_rnode = NULL;
	z->index = node_new(z);
	return z->index ? 0 : -ENOMEM;
}

static void free_subtree(struct mmz_pool *z, struct mmz_radix_node *n,
			 unsigned int level)
{
	mmz_u64 m = n->bitmap;

	if (level)
		while (m) {
			unsigned int d = mmz_ctz64(m);

			free_subtree(z, n->slot[d], level - 1);
			m &= m - 1;
		}
	z->ops.free(z->ops.ctx, n);
}

/* Frees the index nodes only; blocks belong to the segment list. */
void mmz_index_destroy(struct mmz_pool *z)
{
	if (z->index)
		free_subtree(z, z->index, z->index_height - 1);
	if (z->spare_rnode)
		z->ops.free(z->ops.ctx, z->spare_rnode);
	z->index = NULL;
	z->spare_rnode = NULL;
}

/* Allocates the missing path nodes first: a failure changes nothing. */
static MMZ_COLD int insert_slow(struct mmz_pool *z, struct mmz_radix_node *n,
		       unsigned int level, mmz_u64 key, struct mmz_extent *b)
{
	struct mmz_radix_node *fresh[MMZ_RADIX_MAX_H];
	unsigned int i;

	for (i = 0; i < level; i++) {
		fresh[i] = node_new(z);
		if (!fresh[i]) {
			while (i--)
				node_put(z, fresh[i]);
			return -ENOMEM;
		}
	}
	for (i = 0; level; level--, i++) {
		unsigned int d = digit(key, level);

		n->slot[d] = fresh[i];
		n->bitmap |= bit(d);
		n = fresh[i];
	}
	n->slot[digit(key, 0)] = b;
	n->bitmap |= bit(digit(key, 0));
	return 0;
}

int mmz_index_insert(struct mmz_pool *z, struct mmz_extent *b)
{
	struct mmz_radix_node *n = z->index, *c;
	mmz_u64 key = mmz_key(z, b->phys);
	unsigned int shift, d;

	for (shift = (z->index_height - 1) * MMZ_RADIX_BITS; shift;
	     shift -= MMZ_RADIX_BITS) {
		c = n->slot[(key >> shift) & (MMZ_RADIX_SLOTS - 1)];
		if (!c)
			return insert_slow(z, n, shift / MMZ_RADIX_BITS, key, b);
		n = c;
	}
	d = digit(key, 0);
	n->slot[d] = b;
	n->bitmap |= bit(d);
	return 0;
}

/* Frees the nodes that @key's removal emptied, bottom up; the root stays. */
static MMZ_COLD void erase_empty(struct mmz_pool *z, mmz_u64 key)
{
	struct mmz_radix_node *path[MMZ_RADIX_MAX_H];
	struct mmz_radix_node *n = z->index;
	unsigned int h = z->index_height, level, d;

	for (level = h - 1; level; level--) {
		path[level] = n;
		n = n->slot[digit(key, level)];
	}
	for (level = 1; !n->bitmap && level < h; level++) {
		node_put(z, n);
		n = path[level];
		d = digit(key, level);
		n->slot[d] = NULL;
		n->bitmap &= ~bit(d);
	}
}

void mmz_index_erase(struct mmz_pool *z, struct mmz_extent *b)
{
	struct mmz_radix_node *n = z->index;
	mmz_u64 key = mmz_key(z, b->phys);
	unsigned int shift, d;

	for (shift = (z->index_height - 1) * MMZ_RADIX_BITS; shift;
	     shift -= MMZ_RADIX_BITS)
		n = n->slot[(key >> shift) & (MMZ_RADIX_SLOTS - 1)];
	d = digit(key, 0);
	n->slot[d] = NULL;
	n->bitmap &= ~bit(d);
	if (!n->bitmap && n != z->index)
		erase_empty(z, key);
}

static struct mmz_extent *index_find(const struct mmz_pool *z, mmz_u64 key)
{
	const struct mmz_radix_node *n = z->index;
	unsigned int shift;

	for (shift = (z->index_height - 1) * MMZ_RADIX_BITS; shift;
	     shift -= MMZ_RADIX_BITS) {
		n = n->slot[(key >> shift) & (MMZ_RADIX_SLOTS - 1)];
		if (!n)
			return NULL;
	}
	return n->slot[digit(key, 0)];
}

/* The block with the largest key in the subtree of @n at @level. */
static struct mmz_extent *subtree_max(const struct mmz_radix_node *n,
				     unsigned int level)
{
	for (; level; level--)
		n = n->slot[mmz_fls64(n->bitmap)];
	return n->slot[mmz_fls64(n->bitmap)];
}

/* The block with the largest key <= @key, or NULL. */
static struct mmz_extent *index_pred(const struct mmz_pool *z, mmz_u64 key)
{
	const struct mmz_radix_node *path[MMZ_RADIX_MAX_H];
	const struct mmz_radix_node *n = z->index;
	unsigned int h = z->index_height, level = h - 1, d;
	mmz_u64 m;

	for (;;) {
		d = digit(key, level);
		path[level] = n;
		if (!level) {
			/* slots 0..d inclusive */
			m = n->bitmap & (d == 63 ? ~0ULL : bit(d + 1) - 1);
			if (m)
				return n->slot[mmz_fls64(m)];
			break;
		}
		if (!(n->bitmap & bit(d)))
			break;
		n = n->slot[d];
		level--;
	}
	/* Nothing at or below key on this path: the nearest lower subtree. */
	for (; level < h; level++) {
		n = path[level];
		m = n->bitmap & (bit(digit(key, level)) - 1);
		if (m) {
			d = mmz_fls64(m);
			if (!level)
				return n->slot[d];
			return subtree_max(n->slot[d], level - 1);
		}
	}
	return NULL;
}

struct mmz_extent *mmz_pool_find(const struct mmz_pool *z, mmz_addr_t phys)
{
	struct mmz_extent *b;

	if (!mmz_pool_contains(z, phys))
		return NULL;
	b = index_find(z, mmz_key(z, phys));
	return b && b->phys == phys ? b : NULL;
}

struct mmz_extent *mmz_pool_find_containing(const struct mmz_pool *z,
					   mmz_addr_t addr)
{
	struct mmz_extent *b;

	if (!mmz_pool_contains(z, addr))
		return NULL;
	b = index_pred(z, mmz_key(z, addr));
	return b && addr - b->phys < b->size ? b : NULL;
}

static int check_subtree(const struct mmz_pool *z,
			 const struct mmz_radix_node *n, unsigned int level,
			 mmz_u64 prefix, unsigned long *count)
{
	unsigned int d;
	int bad = 0;

	for (d = 0; d < MMZ_RADIX_SLOTS; d++) {
		mmz_u64 key = (prefix << MMZ_RADIX_BITS) | d;
		int used = !!(n->bitmap & bit(d));

		if (used != !!n->slot[d]) {
			bad++;
			continue;
		}
		if (!used)
			continue;
		if (level) {
			const struct mmz_radix_node *c = n->slot[d];

			if (!c->bitmap)
				bad++;	/* empty nodes must be freed */
			bad += check_subtree(z, c, level - 1, key, count);
		} else {
			const struct mmz_extent *b = n->slot[d];

			if (b->is_free || mmz_key(z, b->phys) != key)
				bad++;
			(*count)++;
		}
	}
	return bad;
}

/* Counts entries into *count; returns violated invariants. */
int mmz_index_check(const struct mmz_pool *z, unsigned long *count)
{
	*count = 0;
	if (!z->index)
		return 1;
	return check_subtree(z, z->index, z->index_height - 1, 0, count);
}
