/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Declarations shared by the core's own files; not part of the API. */
#ifndef MMZ_INTERNAL_H
#define MMZ_INTERNAL_H

#include "mmz_core.h"

/* Keeps rare paths out of line so the hot ones need no stack frame. */
#define MMZ_COLD __attribute__((__noinline__, __cold__))
#define MMZ_NOINLINE __attribute__((__noinline__))

#define mmz_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline unsigned int mmz_ctz64(mmz_u64 x)
{
	return (unsigned int)__builtin_ctzll(x);
}

static inline unsigned int mmz_fls64(mmz_u64 x)	/* index of the top bit */
{
	return 63 - (unsigned int)__builtin_clzll(x);
}

/* mmz_avl.c: an intrusive AVL tree; callers do their own key search. */
void mmz_avl_link(struct mmz_avl *t, struct mmz_avl_node *n,
		  struct mmz_avl_node *parent, struct mmz_avl_node **link);
void mmz_avl_erase(struct mmz_avl *t, struct mmz_avl_node *n);
struct mmz_avl_node *mmz_avl_first(const struct mmz_avl *t);
struct mmz_avl_node *mmz_avl_last(const struct mmz_avl *t);
struct mmz_avl_node *mmz_avl_next(const struct mmz_avl_node *n);
struct mmz_avl_node *mmz_avl_prev(const struct mmz_avl_node *n);
int mmz_avl_check(const struct mmz_avl *t, unsigned long *count);

/* mmz_index.c: blocks by start grain, a radix tree of 64-way nodes. */
#define MMZ_RADIX_BITS	6
#define MMZ_RADIX_SLOTS	(1U << MMZ_RADIX_BITS)
#define MMZ_RADIX_MAX_H	11		/* ceil(64 / 6) */

struct mmz_radix_node {
	mmz_u64 bitmap;			/* which slots are used */
	void *slot[MMZ_RADIX_SLOTS];
};

int mmz_index_init(struct mmz_pool *z);
void mmz_index_destroy(struct mmz_pool *z);
int mmz_index_insert(struct mmz_pool *z, struct mmz_extent *b);
void mmz_index_erase(struct mmz_pool *z, struct mmz_extent *b);
int mmz_index_check(const struct mmz_pool *z, unsigned long *count);

static inline mmz_u64 mmz_key(const struct mmz_pool *z, mmz_addr_t phys)
{
	return (phys - z->base) >> z->grain_shift;
}

#endif /* MMZ_INTERNAL_H */
