/* SPDX-License-Identifier: MIT */
/*
 * mmap(fd, offset = phys) maps only ranges inside one live block:
 *
 *   zone:   |== A 64K ==|== B 64K ==|.......... free ..........|
 *   ok:      [A]  [A+4K, 8K]  [B]
 *   EINVAL:  [A, 128K) (spans A and B)   [B+60K, 8K) (past B's end)
 *            free zone space, outside every zone, a freed block,
 *            MAP_PRIVATE; a partial munmap/mprotect of a mapping
 */
#include "mmztest.h"

#define BSZ (64UL << 10)

static int try_map(int fd, unsigned long phys, size_t len)
{
	return t_mmap(fd, phys, len, NULL);
}

#define T_MAP_OK(fd, phys, len)						\
	do {								\
		int r_ = try_map(fd, phys, len);			\
		if (r_)							\
			t_fail("mmap [0x%lx, +0x%lx): expected success, " \
			       "got %s", (unsigned long)(phys),		\
			       (unsigned long)(len), t_errname(r_));	\
	} while (0)

#define T_MAP_EINVAL(fd, phys, len)					\
	do {								\
		int r_ = try_map(fd, phys, len);			\
		if (r_ != -EINVAL)					\
			t_fail("mmap [0x%lx, +0x%lx): expected EINVAL, "\
			       "got %s", (unsigned long)(phys),		\
			       (unsigned long)(len), t_errname(r_));	\
	} while (0)

/* The end of the highest zone (zones need not be listed in address order). */
static unsigned long zones_top(void)
{
	unsigned long top = 0;
	int i;

	for (i = 0; i < t_zone_count(); i++)
		if (t_zone_end(t_zone_at(i)) > top)
			top = t_zone_end(t_zone_at(i));
	return top;
}

int main(void)
{
	const struct tzone *z = t_zone("anonymous");
	unsigned long a, b, gone;
	int fd = t_open(0), fd2 = t_open(O_SYNC);

	if (!T_OK(t_alloc_v2(fd, z->name, "mbA", BSZ, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &a)) ||
	    !T_OK(t_alloc_v2(fd, z->name, "mbB", BSZ, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &b)))
		return t_result();
	T_EQ(b, a + BSZ);	/* adjacent, so one range can span both */

	T_MAP_OK(fd, a, BSZ);
	T_MAP_OK(fd, a + T_PAGE, 2 * T_PAGE);
	T_MAP_OK(fd, b, BSZ);
	T_MAP_OK(fd2, b, BSZ);

	T_MAP_EINVAL(fd, a, 2 * BSZ);			/* two blocks */
	T_MAP_EINVAL(fd, b + BSZ - T_PAGE, 2 * T_PAGE);	/* past the end */
	T_MAP_EINVAL(fd, b, BSZ + T_PAGE);
	T_MAP_EINVAL(fd, b + BSZ, T_PAGE);		/* free zone space */
	T_MAP_EINVAL(fd, t_zone_end(z) - BSZ, BSZ);
	T_MAP_EINVAL(fd2, t_zone_end(z) - BSZ, BSZ);
	T_MAP_EINVAL(fd, z->phys - T_PAGE, 2 * T_PAGE);	/* into the zone */
	T_MAP_EINVAL(fd, 0, T_PAGE);			/* outside every zone */
	T_MAP_EINVAL(fd, 0x1000000, T_PAGE);
	T_MAP_EINVAL(fd, zones_top(), T_PAGE);		/* above every zone */

	/* docs/ABI.md, module details: MAP_SHARED only, never split */
	{
		void *p = mmap(NULL, BSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			       fd, (off_t)a);

		T_TRUE(p == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE of a "
		       "block: expected EINVAL, got %s",
		       p == MAP_FAILED ? t_errname(errno) : "a mapping");
		if (p != MAP_FAILED)
			munmap(p, BSZ);
	}
	{
		char *p = NULL;

		if (T_OK(t_mmap(fd, a, BSZ, (void **)&p))) {
			int r = munmap(p + T_PAGE, T_PAGE) ? -errno : 0;

			T_ERR(r, EINVAL);	/* partial munmap */
			r = mprotect(p, T_PAGE, PROT_READ) ? -errno : 0;
			T_ERR(r, EINVAL);	/* partial mprotect */
			T_OK(munmap(p, BSZ) ? -errno : 0);
		}
	}

	/* a freed block */
	if (T_OK(t_alloc(fd, z->name, "gone", BSZ, 0, &gone))) {
		T_MAP_OK(fd, gone, BSZ);
		T_OK(t_free(fd, gone));
		T_MAP_EINVAL(fd, gone, BSZ);
		T_MAP_EINVAL(fd, gone + T_PAGE, T_PAGE);
	}

	T_OK(t_free(fd, a));
	T_MAP_EINVAL(fd, a, BSZ);
	T_MAP_OK(fd, b, BSZ);
	T_OK(t_free(fd, b));
	T_MAP_EINVAL(fd, b, BSZ);
	close(fd2);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
