/* SPDX-License-Identifier: MIT */
/*
 * One block mapped cached in one place and uncached in another, as VB
 * pools do (HI_MPI_SYS_MmapCache in one process, an O_SYNC mmap or a
 * non-cached REMAP in another), with the vendor's flushes in between:
 *  - every mapping is made (the vendor allows it; mmz used to refuse it
 *    in CMA mode with EINVAL);
 *  - VIRT_GET_PHYS bit 0 tells the type each mapping got: the one asked
 *    for, except on x86, where all of a block's mappings get the type of
 *    the first (PAT allows one type per page; both are coherent for
 *    devices there);
 *  - data crosses both ways between a cached REMAP in this process and a
 *    non-cached mmap by physical address in another.
 */
#include "mmztest.h"

#define BSZ (64UL << 10)

static const struct tzone *zone;

/* The type a mapping gets when @first is the block's first mapping. */
static int expect_cached(int asked, int first)
{
	return T_ONE_MEMTYPE ? first : asked;
}

static void check_type(int fd, void *va, int want, const char *what)
{
	struct mmb_info mi;

	if (T_OK(t_virt2phys(fd, va, &mi)))
		T_TRUE((mi.flags & 1) == (unsigned long)want,
		       "%s: VIRT_GET_PHYS cached bit %lu, expected %d", what,
		       (unsigned long)(mi.flags & 1), want);
}

/* Three fds, three mappings of one block: @first's type, then the other. */
static void test_both_types(int fd, int first)
{
	int fd2 = t_open(O_SYNC), fd3 = t_open(0);
	void *a = NULL, *b = NULL, *c = NULL;
	unsigned long phys;

	if (!T_OK(t_alloc(fd, zone->name, "alias", BSZ, 0, &phys)))
		goto out;
	if (!T_OK(t_remap(fd, phys, first, &a)))
		goto out_free;
	check_type(fd, a, first, "first REMAP");
	/* the other type: a plain mmap of an O_SYNC fd, or a cached REMAP */
	if (first ? T_OK(t_mmap(fd2, phys, BSZ, &b)) :
		    T_OK(t_remap(fd3, phys, 1, &b)))
		check_type(fd, b, expect_cached(!first, first), "second");
	/* the same fd keeps the vendor's rule: one type per fd */
	T_ERR(t_remap(fd, phys, !first, &c), EINVAL);
	t_fill(a, BSZ, 60 + first);
	if (b)
		T_PATTERN(b, BSZ, 60 + first, "through the other mapping");
	if (b && first)
		munmap(b, BSZ);
	else if (b)
		T_OK(t_unmap(fd3, phys));
	T_OK(t_unmap(fd, phys));
out_free:
	T_OK(t_free(fd, phys));
out:
	close(fd2);
	close(fd3);
}

struct peer_arg {
	unsigned long phys;
	volatile unsigned char *va;
};

/* The peer maps the block by physical address, non-cached (O_SYNC). */
static int peer_map(void *p)
{
	struct peer_arg *a = p;

	if (t_mmap(t_open(O_SYNC), a->phys, BSZ, (void **)&a->va))
		return 1;
	return t_verify((void *)a->va, BSZ, 70) < 0 ? 0 : 4;
}

/* It then writes its answer over the whole block. */
static int peer_answer(void *p)
{
	struct peer_arg *a = p;

	t_fill((void *)a->va, BSZ, 71);
	return 0;
}

/* A cached producer, a non-cached consumer in another process, flushes. */
static void test_pipeline(int fd)
{
	struct peer_arg a = { 0 };
	struct t_paused peer;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "pipeline", BSZ, 0, &a.phys)))
		return;
	if (!T_OK(t_remap(fd, a.phys, 1, &va))) {
		t_free(fd, a.phys);
		return;
	}
	t_fill(va, BSZ, 70);
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, a.phys));
	T_TRUE(!t_pause_child(&peer, peer_map, peer_answer, &a),
	       "peer: %s", strerror(errno));
	T_EQ(t_release_child(&peer), 0);
	/* clean + invalidate, then read what the peer wrote */
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, a.phys));
	T_PATTERN(va, BSZ, 71, "the peer's answer");
	T_OK(t_unmap(fd, a.phys));
	T_OK(t_free(fd, a.phys));
	T_PROC_BLOCK(a.phys, 0);
}

int main(void)
{
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	test_both_types(fd, 1);
	test_both_types(fd, 0);
	test_pipeline(fd);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
