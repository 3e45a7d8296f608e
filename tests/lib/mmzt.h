/* SPDX-License-Identifier: MIT */
/*
 * Check helpers for the libmmz tests (in-VM programs and host unit tests).
 * A program exits 0 (pass), 1 (fail) or 77 (skip); a failed check prints
 * "file:line: <expr>: expected X, got Y" and the program goes on.
 */
#ifndef MMZT_H
#define MMZT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_checks, t_failures;

#define T_CHECK(cond, ...)						\
	do {								\
		t_checks++;						\
		if (!(cond)) {						\
			t_failures++;					\
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	} while (0)

/* integer expression == expected (both as long long) */
#define T_EQ(expr, want)						\
	do {								\
		long long t_g_ = (long long)(expr);			\
		long long t_w_ = (long long)(want);			\
		T_CHECK(t_g_ == t_w_, "%s: expected %lld, got %lld (%s)",\
			#expr, t_w_, t_g_,				\
			t_g_ < 0 && t_g_ > -4096 ? strerror((int)-t_g_) : "");\
	} while (0)

#define T_STREQ(got, want)						\
	do {								\
		const char *t_g_ = (got), *t_w_ = (want);		\
		T_CHECK(t_g_ && !strcmp(t_g_, t_w_),			\
			"%s: expected \"%s\", got \"%s\"", #got, t_w_,	\
			t_g_ ? t_g_ : "(null)");			\
	} while (0)

static inline int t_result(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, t_checks, t_failures);
	return t_failures ? 1 : 0;
}

#endif
