/* SPDX-License-Identifier: MIT */
/*
 * Cache maintenance: IOC_MMB_FLUSH_DCACHE (block, any byte of it, 0 = all,
 * unknown phys), IOC_MMB_FLUSH_DCACHE_DIRTY (range checks against the
 * caller's mapping and the block), IOC_MMB_TEST_CACHE.
 *
 *   block:  |p ......... p+4K ...... p+12K ......... p+BSZ|
 *   dirty ok:    [p+4K, 8K) at va+4K      whole block at va
 *   EINVAL: va+8K for p+4K, [p+BSZ-4K, 8K), size 0, not mapped
 */
#include "mmztest.h"

#define BSZ (128UL << 10)

static int test_cache(int fd, unsigned long phys)
{
	struct mmb_info mi = { .phys_addr = phys };

	return t_ioctl(fd, IOC_MMB_TEST_CACHE, &mi);
}

int main(void)
{
	const struct tzone *z = t_zone("anonymous");
	unsigned long phys, other, unknown = t_zone_end(z) - T_PAGE;
	char *va = NULL, *ova = NULL;
	int fd = t_open(0);

	if (!T_OK(t_alloc(fd, z->name, "flush", BSZ, 0, &phys)))
		return t_result();

	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys));
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys + 3 * T_PAGE));
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, 0));
	T_ERR(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, unknown), ENOENT);
	T_ERR(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, 0x1000), ENOENT);

	T_OK(test_cache(fd, phys));
	T_ERR(test_cache(fd, unknown), ENOENT);

	/* not mapped by this fd: no virtual range can match */
	T_ERR(t_flush_dirty(fd, phys, &other, T_PAGE), EINVAL);

	if (T_OK(t_remap(fd, phys, 1, (void **)&va))) {
		t_fill(va, BSZ, 31);
		T_OK(t_flush_dirty(fd, phys + T_PAGE, va + T_PAGE,
				     2 * T_PAGE));
		T_OK(t_flush_dirty(fd, phys, va, BSZ));
		T_OK(t_flush_dirty(fd, phys + 100, va + 100, 50));
		T_OK(t_flush_dirty(fd, phys + BSZ - 1, va + BSZ - 1, 1));

		T_ERR(t_flush_dirty(fd, phys + T_PAGE, va + 2 * T_PAGE,
				      T_PAGE), EINVAL);
		T_ERR(t_flush_dirty(fd, phys, va + T_PAGE, T_PAGE), EINVAL);
		T_ERR(t_flush_dirty(fd, phys, (char *)&other, T_PAGE),
		      EINVAL);
		T_ERR(t_flush_dirty(fd, phys + BSZ - T_PAGE,
				      va + BSZ - T_PAGE, 2 * T_PAGE), EINVAL);
		T_ERR(t_flush_dirty(fd, phys, va, BSZ + 1), EINVAL);
		T_ERR(t_flush_dirty(fd, phys + T_PAGE, va + T_PAGE,
				      ~0UL - T_PAGE), EINVAL);
		T_ERR(t_flush_dirty(fd, phys, va, 0), EINVAL);
		T_ERR(t_flush_dirty(fd, unknown, va, T_PAGE), EINVAL);
		T_PATTERN(va, BSZ, 31u, "block after flushes");

		/* a second block's mapping does not match the first block */
		if (T_OK(t_alloc(fd, z->name, "flush2", BSZ, 0, &other))) {
			if (T_OK(t_remap(fd, other, 1, (void **)&ova))) {
				T_OK(t_flush_dirty(fd, other, ova, BSZ));
				T_ERR(t_flush_dirty(fd, phys, ova, T_PAGE),
				      EINVAL);
				T_ERR(t_flush_dirty(fd, other, va, T_PAGE),
				      EINVAL);
				T_OK(t_unmap(fd, other));
			}
			T_OK(t_free(fd, other));
		}
		T_OK(t_unmap(fd, phys));
	}
	T_OK(t_free(fd, phys));
	T_ERR(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys), ENOENT);
	T_ERR(test_cache(fd, phys), ENOENT);
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, 0));	/* no blocks: fine */
	close(fd);
	return t_result();
}
