/* SPDX-License-Identifier: MIT */
/*
 * Sharing a block between processes by physical address: the owner writes
 * through its USER_REMAP mapping, a forked child with its own fd reads it
 * through mmap(offset = phys) and through its own USER_REMAP, writes the
 * second half, and the owner reads that back. Cached (plain open,
 * REMAP_CACHED) and uncached (O_SYNC open, REMAP).
 *
 *   owner:  |== pattern A ==|== pattern B ==|
 *            written here    written by the child
 *
 * Also: a block whose owner closes its fd while another fd maps it lives
 * until that mapping goes.
 */
#include "mmztest.h"

#define BSZ	(512UL << 10)
#define HALF	(BSZ / 2)
#define SEED_A	21u
#define SEED_B	22u

struct share {
	unsigned long phys;
	int cached;
};

static int child_reader(void *p)
{
	struct share *s = p;
	int fd = t_open(s->cached ? 0 : O_SYNC);
	char *mm = NULL;
	void *rm = NULL;

	if (T_OK(t_mmap(fd, s->phys, BSZ, (void **)&mm))) {
		T_PATTERN(mm, HALF, SEED_A, "child mmap, first half");
		if (T_OK(t_remap(fd, s->phys, s->cached, &rm))) {
			T_PATTERN(rm, HALF, SEED_A, "child REMAP, first half");
			t_fill(mm + HALF, HALF, SEED_B);
			T_PATTERN((char *)rm + HALF, HALF, SEED_B,
				  "child REMAP sees child mmap write");
			if (s->cached)
				T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE,
						 s->phys));
			T_OK(t_unmap(fd, s->phys));
		}
		munmap(mm, BSZ);
	}
	/* a non-owner may map but never free */
	T_ERR(t_free(fd, s->phys), EPERM);
	close(fd);
	return t_result();
}

static void test_share(int fd, const struct tzone *z, int cached)
{
	struct share s = { .cached = cached };
	char *va = NULL;

	if (!T_OK(t_alloc(fd, z->name, cached ? "share_c" : "share_u", BSZ,
			    0, &s.phys)))
		return;
	if (T_OK(t_remap(fd, s.phys, cached, (void **)&va))) {
		t_fill(va, HALF, SEED_A);
		if (cached)
			T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, s.phys));
		if (T_CHILD(child_reader, &s)) {
			T_PATTERN(va, HALF, SEED_A, "owner, first half");
			T_PATTERN(va + HALF, HALF, SEED_B,
				  "owner reads the child's second half");
		}
		T_OK(t_unmap(fd, s.phys));
	}
	T_OK(t_free(fd, s.phys));
}

/*
 * The owner closes its fd while another fd maps the block: the block
 * lives on (delayed free) until that mapping goes.
 */
static void test_owner_closes(const struct tzone *z)
{
	int owner = t_open(0), user = t_open(0);
	unsigned long phys;
	void *va = NULL, *uva = NULL;

	if (!T_OK(t_alloc(owner, z->name, "orphan", BSZ, 0, &phys)))
		goto out;
	if (T_OK(t_remap(owner, phys, 1, &va)))
		t_fill(va, BSZ, 23);
	if (!T_OK(t_mmap(user, phys, BSZ, &uva)))
		goto out;
	if (va)
		T_OK(t_unmap(owner, phys));
	close(owner);
	owner = -1;
	T_PROC_BLOCK(phys, 1);
	T_PATTERN(uva, BSZ, 23u, "mapping of a block whose owner closed");
	munmap(uva, BSZ);
	T_PROC_BLOCK(phys, 0);
out:
	if (owner >= 0)
		close(owner);
	close(user);
}

int main(void)
{
	const struct tzone *z = t_zone("anonymous");
	int fd = t_open(0);

	test_share(fd, z, 0);
	test_share(fd, z, 1);
	test_owner_closes(z);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
