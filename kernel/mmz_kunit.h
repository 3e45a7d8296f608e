/* SPDX-License-Identifier: GPL-2.0 */
/* What the KUnit suites of mmz_test.ko share: the zone they test in. */
#ifndef MMZ_KUNIT_H
#define MMZ_KUNIT_H

#include <kunit/test.h>

struct mmz_test_ctx {
	struct mmz_kzone *kz;		/* mmz.zones[0], or NULL */
	u64 used_before;
};

/* A zone with @need bytes in one free extent, or the test skips. */
struct mmz_kzone *mmz_test_zone(struct kunit *test, u64 need);
/* .init and .exit: the exit checks the zone is left as it was found */
int mmz_test_init(struct kunit *test);
void mmz_test_exit(struct kunit *test);

#endif /* MMZ_KUNIT_H */
