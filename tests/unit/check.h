/* SPDX-License-Identifier: MIT */
/*
 * Minimal assertions for the user-space tests. A passing check prints
 * nothing; a failing one prints one line, "not ok <file>:<line>: ..." with
 * the message and the condition or the two values. check_done(name) prints
 * "<name>: N passed, N failed" and returns 1 when anything failed (the
 * program's exit status). tests/run-unit.sh sums the programs' lines.
 */
#ifndef MMZ_CHECK_H
#define MMZ_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			check_passed++;					\
		} else {						\
			check_failed++;					\
			printf("not ok %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("  [%s]\n", #cond);			\
		}							\
	} while (0)

#define CHECK_EQ(a, b, ...)						\
	do {								\
		unsigned long long check_a_ = (unsigned long long)(a);	\
		unsigned long long check_b_ = (unsigned long long)(b);	\
		if (check_a_ == check_b_) {				\
			check_passed++;					\
		} else {						\
			check_failed++;					\
			printf("not ok %s:%d: %s == %s: 0x%llx != 0x%llx: ", \
			       __FILE__, __LINE__, #a, #b, check_a_, check_b_); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

#define CHECK_STR(a, b, ...)						\
	do {								\
		const char *check_a_ = (a), *check_b_ = (b);		\
		if (check_a_ && check_b_ && !strcmp(check_a_, check_b_)) { \
			check_passed++;					\
		} else {						\
			check_failed++;					\
			printf("not ok %s:%d: got \"%s\" want \"%s\": ",\
			       __FILE__, __LINE__, check_a_ ? check_a_ : "(null)", \
			       check_b_ ? check_b_ : "(null)");		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* MMZ_CHECK_H */
