/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The only place the core touches its environment: fixed-width types,
 * errno values, memset/memcpy/strlen, snprintf and 64-bit division. The
 * core .c files include this and nothing else, so the same sources build in
 * the kernel module and in user space (unit tests, fuzzers, benchmarks).
 */
#ifndef MMZ_OS_H
#define MMZ_OS_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/math64.h>
typedef u64 mmz_u64;
typedef u32 mmz_u32;

/* @a mod @b, @a / @b; 32-bit kernels have no plain 64-bit division */
static inline mmz_u64 mmz_mod64(mmz_u64 a, mmz_u64 b)
{
	mmz_u64 rem;

	div64_u64_rem(a, b, &rem);
	return rem;
}

static inline mmz_u64 mmz_div64(mmz_u64 a, mmz_u64 b)
{
	return div64_u64(a, b);
}
#else
#include <stdint.h>
#include <stddef.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
typedef uint64_t mmz_u64;
typedef uint32_t mmz_u32;

static inline mmz_u64 mmz_mod64(mmz_u64 a, mmz_u64 b)
{
	return a % b;
}

static inline mmz_u64 mmz_div64(mmz_u64 a, mmz_u64 b)
{
	return a / b;
}
#endif

#endif /* MMZ_OS_H */
