/* SPDX-License-Identifier: MIT */
/*
 * The memory type of a plain mmap(fd, phys), as the vendor's module gives
 * it (VIRT_GET_PHYS bit 0 tells; each mapping is the block's only one but
 * the last, where x86's one type per block enters):
 *  - through the fd that allocated the block, holding no REMAP of it: the
 *    type of that fd's last REMAP, write-combine before any, O_SYNC or not;
 *  - through it while it holds a REMAP: cached, write-combine with O_SYNC;
 *  - through any other fd: cached, write-combine with O_SYNC.
 */
#include "mmztest.h"

#define BSZ	(64UL << 10)

static const struct tzone *zone;

/* A plain mmap of @phys through @fd, alone: its type (0/1), -1 on error. */
static int plain_type(int fd, unsigned long phys, const char *what)
{
	struct mmb_info mi;
	void *va = NULL;
	int type = -1;

	if (!T_OK(t_mmap(fd, phys, BSZ, &va))) {
		t_fail("%s: no mapping", what);
		return -1;
	}
	if (T_OK(t_virt2phys(fd, va, &mi)))
		type = (int)(mi.flags & 1);
	munmap(va, BSZ);
	return type;
}

#define T_TYPE(fd, phys, want, what)					\
	({								\
		int t_t_ = plain_type(fd, phys, what);			\
		T_TRUE(t_t_ == (want), "%s: cached %d, expected %d",	\
		       what, t_t_, want);				\
	})

/* REMAP @cached then UNMAP: the allocating fd's last REMAP. */
static void remap_once(int fd, unsigned long phys, int cached)
{
	void *va = NULL;

	if (T_OK(t_remap(fd, phys, cached, &va)))
		T_OK(t_unmap(fd, phys));
}

static void test_owner(int oflags)
{
	int fd = t_open(oflags), other = t_open(0), sync = t_open(O_SYNC);
	int plain = oflags & O_SYNC ? 0 : 1;
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "mmapmode", BSZ, 0, &phys)))
		goto out;
	T_TYPE(fd, phys, 0, "allocating fd, never REMAPped");
	T_TYPE(other, phys, 1, "another fd");
	T_TYPE(sync, phys, 0, "another fd, O_SYNC");

	remap_once(fd, phys, 1);
	T_TYPE(fd, phys, 1, "allocating fd after REMAP_CACHED");
	remap_once(fd, phys, 0);
	T_TYPE(fd, phys, 0, "allocating fd after REMAP");
	/* another fd's REMAP is not the allocating fd's */
	remap_once(other, phys, 1);
	T_TYPE(fd, phys, 0, "allocating fd after another fd's REMAP_CACHED");

	/*
	 * while it holds a REMAP: cached unless O_SYNC (x86: the REMAP's
	 * write-combine, the type in use)
	 */
	if (T_OK(t_remap(fd, phys, 0, &va))) {
		T_TYPE(fd, phys, T_ONE_MEMTYPE ? 0 : plain,
		       "allocating fd holding a REMAP");
		T_OK(t_unmap(fd, phys));
	}
	T_OK(t_free(fd, phys));
out:
	close(fd);
	close(other);
	close(sync);
}

int main(void)
{
	zone = t_zone_at(0);
	test_owner(0);
	test_owner(O_SYNC);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
