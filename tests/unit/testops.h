/* SPDX-License-Identifier: MIT */
/* Metadata allocator for tests: counts live objects, can fail on demand. */
#ifndef MMZ_TESTOPS_H
#define MMZ_TESTOPS_H

#include <stdlib.h>
#include "../../core/mmz_core.h"

struct testops {
	long live;
	long calls;
	long fail_at;		/* fail the call with this number (1-based) */
};

static void *testops_alloc(void *ctx, size_t size)
{
	struct testops *t = ctx;
	void *p;

	if (++t->calls == t->fail_at)
		return NULL;
	p = malloc(size);
	if (p)
		t->live++;
	return p;
}

static void testops_free(void *ctx, void *ptr)
{
	struct testops *t = ctx;

	if (ptr)
		t->live--;
	free(ptr);
}

static inline struct mmz_ops testops_make(struct testops *t)
{
	struct mmz_ops ops = { testops_alloc, testops_free, t };

	memset(t, 0, sizeof(*t));
	return ops;
}

#define KiB(x) ((mmz_addr_t)(x) << 10)
#define MiB(x) ((mmz_addr_t)(x) << 20)
#define GiB(x) ((mmz_addr_t)(x) << 30)

#endif /* MMZ_TESTOPS_H */
