/* SPDX-License-Identifier: MIT */
/*
 * IOC_MMB_ALLOC / IOC_MMB_ALLOC_V2: placement (inside the zone, page
 * aligned, align honoured, direction), every refusal of docs/ABI.md, bad
 * argument pointers, unknown ioctls, and that blocks come zeroed. Names
 * without a NUL and aligns that are not powers of two are accepted as by
 * the vendor: names.c and align.c.
 *
 *   zone "anonymous"              zone "second" (empty, for the zero test)
 *   |L2H 1M|......free......|H2L 1M|   |blk 1M|.......................|
 */
#include "mmztest.h"

static int in_zone(const struct tzone *z, unsigned long phys,
		   unsigned long size)
{
	return phys >= z->phys && phys - z->phys <= z->size &&
	       size <= t_zone_end(z) - phys;
}

/* Size is rounded to the page, the block lies inside its zone. */
static void test_placement(int fd, const struct tzone *z)
{
	struct mmb_info mi;
	unsigned long a, b;

	if (!T_OK(t_alloc(fd, z->name, "odd", 5000, 0, &a)))
		return;
	T_EQ(a % T_PAGE, 0);
	if (T_OK(t_attr(fd, a, &mi))) {
		T_EQ(mi.phys_addr, a);
		T_EQ(mi.size, 2 * T_PAGE);
		T_TRUE(!strcmp(mi.mmb_name, "odd"), "ATTR name \"%.16s\"",
		       mi.mmb_name);
		T_TRUE(!strcmp(mi.mmz_name, z->name), "ATTR zone \"%.32s\"",
		       mi.mmz_name);
		T_TRUE(in_zone(z, a, mi.size),
		       "block 0x%lx+0x%lx outside zone %s 0x%lx+0x%lx", a,
		       (unsigned long)mi.size, z->name, z->phys, z->size);
	}

	/* 1 MiB alignment, with the zone start already taken */
	if (T_OK(t_alloc(fd, z->name, "al1m", 64 << 10, 1 << 20, &b))) {
		T_TRUE(b % (1 << 20) == 0, "align 1M: phys 0x%lx", b);
		T_TRUE(in_zone(z, b, 64 << 10), "align 1M: phys 0x%lx", b);
		T_OK(t_free(fd, b));
	}
	/* an alignment below the page means the page */
	if (T_OK(t_alloc(fd, z->name, "al2", T_PAGE, 2, &b))) {
		T_EQ(b % T_PAGE, 0);
		T_OK(t_free(fd, b));
	}
	T_OK(t_free(fd, a));

	/* empty mmz_name without anony=1: every zone in order, first fits */
	if (T_OK(t_alloc(fd, "", "anyzone", T_PAGE, 0, &b))) {
		const struct tzone *first = t_zone_at(0);

		T_TRUE(in_zone(first, b, T_PAGE),
		       "empty zone name: phys 0x%lx not in first zone %s", b,
		       first->name);
		T_OK(t_free(fd, b));
	}
}

/* In an empty zone LOW_TO_HIGH takes the start, HIGH_TO_LOW the end. */
static void test_direction(int fd, const struct tzone *z)
{
	unsigned long lo, hi;
	const unsigned long sz = 1 << 20;

	t_settle(fd);
	if (!T_OK(t_alloc_v2(fd, z->name, "l2h", sz, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &lo)))
		return;
	if (T_OK(t_alloc_v2(fd, z->name, "h2l", sz, 0,
			      MMZ_ALLOC_HIGH_TO_LOW, &hi))) {
		T_TRUE(hi > lo, "HIGH_TO_LOW 0x%lx not above LOW_TO_HIGH 0x%lx",
		       hi, lo);
		if (!t_cma_mode()) {
			T_EQ(lo, z->phys);
			T_EQ(hi, t_zone_end(z) - sz);
		} else {
			/* CMA places the chunk; both lie in the zone */
			T_TRUE(in_zone(z, lo, sz) && in_zone(z, hi, sz),
			       "blocks 0x%lx, 0x%lx outside zone %s", lo, hi,
			       z->name);
		}
		T_OK(t_free(fd, hi));
	}
	T_OK(t_free(fd, lo));
}

static void test_refusals(int fd, const struct tzone *z)
{
	struct mmb_info mi;
	unsigned long phys;

	T_ERR(t_alloc(fd, z->name, "zero", 0, 0, NULL), EINVAL);
	/* page rounding overflows */
	if (sizeof(long) == 8) {
		T_ERR(t_alloc(fd, z->name, "ovf", ~0UL, 0, NULL), EINVAL);
		T_ERR(t_alloc(fd, z->name, "ovf", ~0UL - T_PAGE + 2, 0,
				NULL), EINVAL);
		/* page aligned, far bigger than any zone */
		T_ERR(t_alloc(fd, z->name, "huge", 1UL << (sizeof(long) *
							      8 - 1), 0,
				NULL), ENOMEM);
	} else {
		/*
		 * ILP32 on a 64-bit kernel: whether 0xffffffff "overflows"
		 * depends on which unsigned long rounds it; docs/ABI.md does
		 * not say, so both answers are refusals we accept.
		 */
		int r = t_alloc(fd, z->name, "ovf", ~0UL, 0, NULL);

		T_TRUE(r == -EINVAL || r == -ENOMEM,
		       "size ~0UL (ILP32): expected EINVAL or ENOMEM, got %s",
		       t_errname(r));
		T_ERR(t_alloc(fd, z->name, "huge", 1UL << 31, 0, NULL),
		      ENOMEM);
	}
	T_ERR(t_alloc(fd, z->name, "big", z->size + T_PAGE, 0, NULL),
	      ENOMEM);
	/* any align is rounded up, as the vendor does (align.c) */
	T_ERR(t_alloc_v2(fd, z->name, "ord2", T_PAGE, 0, 2, NULL), EINVAL);
	T_ERR(t_alloc(fd, "no-such-zone", "nz", T_PAGE, 0, NULL), ENOENT);

	/* names without a NUL are cut, not refused (names.c) */
	t_info(&mi, NULL, "nn", T_PAGE, 0);
	memset(mi.mmz_name, 'z', sizeof(mi.mmz_name));
	T_ERR(t_ioctl(fd, IOC_MMB_ALLOC, &mi), ENOENT);
	T_ERR(t_ioctl(fd, IOC_MMB_ALLOC_V2, &mi), ENOENT);
	/* 15 characters and a NUL is fine */
	t_info(&mi, z->name, "abcdefghijklmno", T_PAGE, 0);
	if (T_OK(t_ioctl(fd, IOC_MMB_ALLOC, &mi))) {
		phys = mi.phys_addr;
		if (T_OK(t_attr(fd, phys, &mi)))
			T_TRUE(!strcmp(mi.mmb_name, "abcdefghijklmno"),
			       "15-char name came back as \"%.16s\"",
			       mi.mmb_name);
		T_OK(t_free(fd, phys));
	}
}

static void test_bad_pointers(int fd)
{
	static const struct {
		unsigned long req;
		const char *name;
	} reqs[] = {
		{ IOC_MMB_ALLOC, "ALLOC" },
		{ IOC_MMB_ALLOC_V2, "ALLOC_V2" },
		{ IOC_MMB_ATTR, "ATTR" },
		{ IOC_MMB_FREE, "FREE" },
		{ IOC_MMB_USER_REMAP, "USER_REMAP" },
		{ IOC_MMB_USER_REMAP_CACHED, "USER_REMAP_CACHED" },
		{ IOC_MMB_USER_UNMAP, "USER_UNMAP" },
		{ IOC_MMB_VIRT_GET_PHYS, "VIRT_GET_PHYS" },
		{ IOC_MMB_FLUSH_DCACHE_DIRTY, "FLUSH_DCACHE_DIRTY" },
		{ IOC_MMB_TEST_CACHE, "TEST_CACHE" },
		{ MMZ_IOC_VERSION, "MMZ_VERSION" },
		{ MMZ_IOC_ZONE_INFO, "MMZ_ZONE_INFO" },
		{ MMZ_IOC_BLOCK_INFO, "MMZ_BLOCK_INFO" },
	};
	unsigned int i;
	int r;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		r = t_ioctl(fd, reqs[i].req, (void *)1);
		if (r != -EFAULT)
			t_fail("%s with arg (void *)1: expected EFAULT, got %s",
			       reqs[i].name, t_errname(r));
		r = t_ioctl(fd, reqs[i].req, NULL);
		if (r != -EFAULT)
			t_fail("%s with arg NULL: expected EFAULT, got %s",
			       reqs[i].name, t_errname(r));
	}
}

static void test_unknown_ioctls(int fd)
{
	struct mmb_info mi;
	/*
	 * ALLOC at a size no layout of this word size has: the ILP32 one
	 * from a 64-bit process; 112 bytes from a 32-bit one (its 104 is
	 * the 32-bit SDK for 64-bit kernels, served: layouts.c)
	 */
	unsigned long other = sizeof(long) == 8 ?
		_IOC(_IOC_READ | _IOC_WRITE, 'm', 10, 80) :
		_IOC(_IOC_READ | _IOC_WRITE, 'm', 10, 112);

	memset(&mi, 0, sizeof(mi));
	T_ERR(t_ioctl(fd, _IOWR('m', 99, struct mmb_info), &mi), ENOTTY);
	T_ERR(t_ioctl(fd, _IO('m', 10), &mi), ENOTTY);
	T_ERR(t_ioctl(fd, _IOWR('z', 99, struct mmz_zone_info), &mi), ENOTTY);
	T_ERR(t_ioctl(fd, _IO('q', 1), NULL), ENOTTY);
	t_info(&mi, "", "other", T_PAGE, 0);
	if (!T_ERR(t_ioctl(fd, other, &mi), ENOTTY) &&
	    t_attr(fd, mi.phys_addr, &mi) == 0)
		t_free(fd, mi.phys_addr);	/* do not leak it */
}

/* Blocks are zeroed: dirty one, free it, get the same range back. */
static void test_zeroed(int fd, const struct tzone *z)
{
	const unsigned long sz = 1 << 20;
	unsigned long a, b;
	void *va = NULL;

	t_settle(fd);
	if (!T_OK(t_alloc_v2(fd, z->name, "zero1", sz, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &a)))
		return;
	if (T_OK(t_remap(fd, a, 0, &va))) {
		T_ZERO(va, sz, "new block via USER_REMAP");
		t_fill(va, sz, 7);
		T_PATTERN(va, sz, 7, "written block");
		T_OK(t_unmap(fd, a));
	}
	T_OK(t_free(fd, a));
	t_settle(fd);

	if (!T_OK(t_alloc_v2(fd, z->name, "zero2", sz, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &b)))
		return;
	T_TRUE(a == b, "same request in the same empty zone: phys 0x%lx, "
	       "then 0x%lx", a, b);
	if (T_OK(t_mmap(fd, b, sz, &va))) {
		T_ZERO(va, sz, "reallocated block via mmap");
		munmap(va, sz);
	}
	if (T_OK(t_remap(fd, b, 1, &va))) {
		T_ZERO(va, sz, "reallocated block via USER_REMAP_CACHED");
		T_OK(t_unmap(fd, b));
	}
	T_OK(t_free(fd, b));
}

int main(void)
{
	const struct tzone *anon = t_zone("anonymous");
	const struct tzone *second = t_zone("second");
	int fd = t_open(0);

	test_placement(fd, anon);
	test_direction(fd, anon);
	test_refusals(fd, anon);
	test_refusals(fd, second);
	test_bad_pointers(fd);
	test_unknown_ioctls(fd);
	test_zeroed(fd, second);
	close(fd);
	return t_result();
}
