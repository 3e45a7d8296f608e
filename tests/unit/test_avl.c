// SPDX-License-Identifier: MIT
/* The AVL tree alone: random inserts and erases keep it sorted and balanced. */
#include <stdlib.h>
#include "check.h"
#include "../../core/mmz_internal.h"

struct item {
	struct mmz_avl_node node;
	unsigned int key;
	int in;
};

#define N 2000

static struct item items[N];

static void insert(struct mmz_avl *t, struct item *it)
{
	struct mmz_avl_node **link = &t->root, *parent = NULL;

	while (*link) {
		struct item *o = mmz_container_of(*link, struct item, node);

		parent = *link;
		link = it->key < o->key ? &parent->left : &parent->right;
	}
	mmz_avl_link(t, &it->node, parent, link);
}

static int sorted(const struct mmz_avl *t, unsigned long *n)
{
	const struct mmz_avl_node *p;
	unsigned int last = 0;
	int bad = 0;

	*n = 0;
	for (p = mmz_avl_first(t); p; p = mmz_avl_next(p)) {
		const struct item *it = mmz_container_of(p, struct item, node);

		if (it->key < last)
			bad++;
		last = it->key;
		(*n)++;
	}
	return bad;
}

int main(void)
{
	struct mmz_avl t = { NULL };
	unsigned long count, walked, expect = 0;
	int i, round, bad = 0, unsorted = 0, miscount = 0;

	srand(7);
	for (i = 0; i < N; i++)
		items[i].key = (unsigned int)rand() % 500;	/* duplicates too */
	for (round = 0; round < 60000; round++) {
		struct item *it = &items[rand() % N];

		if (it->in) {
			mmz_avl_erase(&t, &it->node);
			expect--;
		} else {
			insert(&t, it);
			expect++;
		}
		it->in = !it->in;
		if (round % 97 == 0) {
			bad += mmz_avl_check(&t, &count);
			unsorted += sorted(&t, &walked);
			miscount += count != expect || walked != expect;
		}
	}
	CHECK_EQ(bad, 0, "links, heights and balance");
	CHECK_EQ(unsorted, 0, "in-order walk sorted");
	CHECK_EQ(miscount, 0, "node count");
	for (i = 0; i < N; i++)
		if (items[i].in)
			mmz_avl_erase(&t, &items[i].node);
	CHECK(t.root == NULL, "empty after erasing all");
	CHECK(mmz_avl_last(&t) == NULL, "no last in an empty tree");
	return check_done("test_avl");
}
