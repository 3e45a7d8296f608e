/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Pairing heap of free extents ordered by address: one per size bin, so
 * the lowest-addressed extent of a size is the root. Insert is O(1);
 * removing the root or any member is O(log n) amortized. Links: child is
 * the first child, sibling the next sibling, hprev the previous sibling or,
 * for a first child, the parent.
 */
#ifndef MMZ_HEAP_H
#define MMZ_HEAP_H

#include "mmz_internal.h"

/* Joins two roots; the lower address stays root. */
static inline struct mmz_extent *heap_meld(struct mmz_extent *a,
					  struct mmz_extent *b)
{
	struct mmz_extent *t;

	if (!a)
		return b;
	if (!b)
		return a;
	if (b->phys < a->phys) {
		t = a;
		a = b;
		b = t;
	}
	b->heap.sibling = a->heap.child;
	if (b->heap.sibling)
		b->heap.sibling->heap.hprev = b;
	b->heap.hprev = a;
	a->heap.child = b;
	return a;
}

/* Two-pass pairing of a sibling list into one root. */
static inline struct mmz_extent *heap_pair(struct mmz_extent *first)
{
	struct mmz_extent *acc = NULL, *a, *b, *res;

	while (first) {
		a = first;
		b = a->heap.sibling;
		if (b) {
			first = b->heap.sibling;
			a->heap.sibling = NULL;
			b->heap.sibling = NULL;
			a = heap_meld(a, b);
		} else {
			first = NULL;
		}
		a->heap.sibling = acc;	/* pairs kept in reverse order */
		acc = a;
	}
	if (!acc)
		return NULL;
	res = acc;
	acc = acc->heap.sibling;
	res->heap.sibling = NULL;
	while (acc) {
		b = acc;
		acc = acc->heap.sibling;
		b->heap.sibling = NULL;
		res = heap_meld(res, b);
	}
	res->heap.hprev = NULL;
	return res;
}

static inline void heap_insert(struct mmz_extent **root, struct mmz_extent *b)
{
	b->heap.child = NULL;
	b->heap.sibling = NULL;
	b->heap.hprev = NULL;
	*root = heap_meld(*root, b);
	(*root)->heap.hprev = NULL;
}

static inline void heap_erase(struct mmz_extent **root, struct mmz_extent *b)
{
	struct mmz_extent *sub = heap_pair(b->heap.child);

	if (b == *root) {
		*root = sub;
		return;
	}
	if (b->heap.hprev->heap.child == b)
		b->heap.hprev->heap.child = b->heap.sibling;
	else
		b->heap.hprev->heap.sibling = b->heap.sibling;
	if (b->heap.sibling)
		b->heap.sibling->heap.hprev = b->heap.hprev;
	if (sub)
		sub->heap.hprev = NULL;
	*root = heap_meld(*root, sub);
}

/* Pre-order successor within the heap of @root, or NULL: for full walks. */
static inline struct mmz_extent *heap_next(const struct mmz_extent *b)
{
	if (b->heap.child)
		return b->heap.child;
	for (;;) {
		const struct mmz_extent *p;

		if (b->heap.sibling)
			return b->heap.sibling;
		/* climb to the parent: the node whose child starts our list */
		for (p = b->heap.hprev; p && p->heap.child != b; p = p->heap.hprev)
			b = p;
		if (!p)
			return NULL;
		b = p;
	}
}

#endif /* MMZ_HEAP_H */
