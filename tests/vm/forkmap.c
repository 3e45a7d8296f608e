/* SPDX-License-Identifier: MIT */
/*
 * fork() after mapping, as vendor programs do (map the buffers, then
 * daemonize or fork workers): the child inherits every mmz mapping, as
 * the vendor's ordinary shared mappings are inherited.
 *  - REMAP (uncached, cached) and plain mmap mappings: the child reads
 *    the parent's data, VIRT_GET_PHYS finds them, the parent sees what the
 *    child wrote; the child's copy of a REMAP is a plain mapping (its
 *    USER_UNMAP: EINVAL);
 *  - a child that exits without unmapping leaves nothing behind;
 *  - the parent unmaps and frees while the child still maps: FREE
 *    answers 0, the memory stays the child's until it exits;
 *  - MADV_DONTFORK opts a mapping out: the child faults on it.
 */
#include "mmztest.h"
#include <signal.h>

#define BSZ (128UL << 10)

static const struct tzone *zone;

struct inherit_arg {
	int fd;			/* inherited too */
	unsigned long phys;
	unsigned char *va;
	int cached;
	int remap;		/* the parent's mapping is a REMAP */
	unsigned int seed;
};

static int child_inherit(void *p)
{
	struct inherit_arg *a = p;
	struct mmb_info mi;

	T_PATTERN(a->va, BSZ, a->seed, "inherited mapping");
	if (T_OK(t_virt2phys(a->fd, a->va + T_PAGE + 4, &mi))) {
		T_EQ(mi.phys_addr, (a->phys + T_PAGE + 4) | a->cached);
		T_EQ(mi.flags & 1, a->cached);
	}
	t_fill(a->va, BSZ, a->seed + 1);
	/* the copy is a plain mapping: the REMAP count stays the parent's */
	if (a->remap)
		T_ERR(t_unmap(a->fd, a->phys), EINVAL);
	return t_result();
}

/*
 * How a block is mapped before the fork: 0/1 REMAP, 2 plain mmap (through
 * the allocating fd, never REMAPped: write-combine, as the vendor's).
 */
static void test_inherit(int fd, int how)
{
	struct inherit_arg a = { .fd = fd, .cached = how == 1,
				  .remap = how < 2, .seed = 40 + how };
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "forkmap", BSZ, 0, &a.phys)))
		return;
	if (how < 2 ? !T_OK(t_remap(fd, a.phys, how, &va)) :
		      !T_OK(t_mmap(fd, a.phys, BSZ, &va))) {
		t_free(fd, a.phys);
		return;
	}
	a.va = va;
	t_fill(a.va, BSZ, a.seed);
	T_CHILD(child_inherit, &a);
	T_PATTERN(a.va, BSZ, a.seed + 1, "the child's writes");
	/* the child exited without unmapping: only our mapping is left */
	if (how < 2)
		T_OK(t_unmap(fd, a.phys));
	else
		munmap(va, BSZ);
	T_OK(t_free(fd, a.phys));
	T_PROC_BLOCK(a.phys, 0);
}

static int nothing(void *p)
{
	(void)p;
	return 0;
}

static int child_reads_50(void *va)
{
	return t_verify(va, BSZ, 50) < 0 ? 0 : 3;
}

/* The parent lets go first: the child's inherited mapping keeps the memory. */
static void test_parent_first(int fd)
{
	struct t_paused child;
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "forkfirst", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_remap(fd, phys, 1, &va))) {
		t_free(fd, phys);
		return;
	}
	t_fill(va, BSZ, 50);
	if (T_TRUE(!t_pause_child(&child, nothing, child_reads_50, va),
		   "fork: %s", strerror(errno))) {
		T_OK(t_unmap(fd, phys));
		/* the child's copy is not our REMAP */
		T_OK(t_free(fd, phys));
		T_PROC_BLOCK(phys, 1);
	}
	T_EQ(t_release_child(&child), 0);
	T_PROC_BLOCK(phys, 0);
}

static int child_touch(void *p)
{
	return *(volatile unsigned char *)p;
}

/* MADV_DONTFORK: the child has no such mapping. */
static void test_dontfork(int fd)
{
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "dontfork", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_remap(fd, phys, 0, &va))) {
		t_free(fd, phys);
		return;
	}
	if (T_TRUE(!madvise(va, BSZ, MADV_DONTFORK), "MADV_DONTFORK: %s",
		   strerror(errno)))
		T_EQ(t_child(child_touch, va), 128 + SIGSEGV);
	T_OK(t_unmap(fd, phys));
	T_OK(t_free(fd, phys));
	T_PROC_BLOCK(phys, 0);
}

int main(void)
{
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	test_inherit(fd, 0);
	test_inherit(fd, 1);
	test_inherit(fd, 2);
	test_parent_first(fd);
	test_dontfork(fd);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
