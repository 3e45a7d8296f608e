// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Intrusive AVL tree with parent pointers. A zone keeps its free extents
 * too big for a size bin in one, keyed by (size, address); the caller
 * searches and links, this file balances. The size bins themselves are
 * pairing heaps by address (mmz_heap.h).
 */
#include "mmz_internal.h"

typedef struct mmz_avl_node node_t;

static inline int height(const node_t *n)
{
	return n ? n->height : 0;
}

static inline void fix_height(node_t *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = 1 + (l > r ? l : r);
}

static void replace_child(struct mmz_avl *t, node_t *parent, node_t *old,
			  node_t *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

static node_t *rotate_left(struct mmz_avl *t, node_t *x)
{
	node_t *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	fix_height(x);
	fix_height(y);
	return y;
}

static node_t *rotate_right(struct mmz_avl *t, node_t *x)
{
	node_t *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	y->parent = x->parent;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	fix_height(x);
	fix_height(y);
	return y;
}

/* Restore balance from @n up; stop where a subtree height is unchanged. */
static void rebalance(struct mmz_avl *t, node_t *n)
{
	while (n) {
		int old = n->height;
		int bal = height(n->left) - height(n->right);

		if (bal > 1) {
			if (height(n->left->left) < height(n->left->right))
				rotate_left(t, n->left);
			n = rotate_right(t, n);
		} else if (bal < -1) {
			if (height(n->right->right) < height(n->right->left))
				rotate_right(t, n->right);
			n = rotate_left(t, n);
		} else {
			fix_height(n);
		}
		if (n->height == old)
			return;
		n = n->parent;
	}
}

void mmz_avl_link(struct mmz_avl *t, node_t *n, node_t *parent,
		  node_t **link)
{
	n->left = NULL;
	n->right = NULL;
	n->parent = parent;
	n->height = 1;
	*link = n;
	rebalance(t, parent);
}

void mmz_avl_erase(struct mmz_avl *t, node_t *n)
{
	node_t *from;

	if (n->left && n->right) {
		/* The successor s (no left child) takes n's place. */
		node_t *s = n->right;

		while (s->left)
			s = s->left;
		if (s->parent == n) {
			from = s;
		} else {
			from = s->parent;
			from->left = s->right;
			if (s->right)
				s->right->parent = from;
			s->right = n->right;
			n->right->parent = s;
		}
		s->left = n->left;
		n->left->parent = s;
		s->parent = n->parent;
		s->height = n->height;
		replace_child(t, n->parent, n, s);
	} else {
		node_t *child = n->left ? n->left : n->right;

		from = n->parent;
		if (child)
			child->parent = from;
		replace_child(t, from, n, child);
	}
	rebalance(t, from);
}

struct mmz_avl_node *mmz_avl_first(const struct mmz_avl *t)
{
	node_t *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct mmz_avl_node *mmz_avl_last(const struct mmz_avl *t)
{
	node_t *n = t->root;

	while (n && n->right)
		n = n->right;
	return n;
}

struct mmz_avl_node *mmz_avl_next(const node_t *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (node_t *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

struct mmz_avl_node *mmz_avl_prev(const node_t *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (node_t *)n;
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent;
}

static int check_node(const node_t *n, const node_t *parent, int *h,
		      unsigned long *count)
{
	int bad = 0, hl = 0, hr = 0, d;

	if (!n) {
		*h = 0;
		return 0;
	}
	if (n->parent != parent)
		bad++;
	bad += check_node(n->left, n, &hl, count);
	bad += check_node(n->right, n, &hr, count);
	d = hl - hr;
	if (d > 1 || d < -1)
		bad++;
	*h = 1 + (hl > hr ? hl : hr);
	if (n->height != *h)
		bad++;
	(*count)++;
	return bad;
}

/* Structure only (links, heights, balance); key order is the caller's. */
int mmz_avl_check(const struct mmz_avl *t, unsigned long *count)
{
	int h;

	*count = 0;
	return check_node(t->root, NULL, &h, count);
}
