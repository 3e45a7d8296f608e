/* SPDX-License-Identifier: MIT */
/*
 * IOC_MMB_FREE: plain free, double free, unknown phys, delayed free of a
 * mapped (USER_REMAP or mmap) or referenced (ADD_REF) block completed by
 * the last UNMAP / munmap / DEC_REF / close, EALREADY while pending,
 * EPERM for a block of another process. FREE answers EBUSY only while the
 * caller's fd holds REMAPs or references, as the vendor does; other users
 * (a plain mmap, another fd's reference, another process's mapping) get
 * a delayed free the caller sees as done. FREE by an address inside the
 * block: inside.c.
 */
#include "mmztest.h"

#define BSZ (64UL << 10)

static const struct tzone *zone;

static void test_plain(int fd)
{
	unsigned long phys;

	if (!T_OK(t_alloc(fd, zone->name, "plain", BSZ, 0, &phys)))
		return;
	T_PROC_BLOCK(phys, 1);
	T_OK(t_free(fd, phys));
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys), ENOENT);		/* double free */
	T_ERR(t_free(fd, t_zone_end(zone) - T_PAGE), ENOENT);
	T_ERR(t_free(fd, 0x1000), ENOENT);		/* outside all zones */
	T_ERR(t_free(fd, 0), ENOENT);
}

/* Mapped by USER_REMAP: FREE is EBUSY, the last UNMAP frees. */
static void test_delayed_remap(int fd)
{
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "dremap", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_remap(fd, phys, 0, &va)) ||
	    !T_OK(t_remap(fd, phys, 0, &va))) {
		t_free(fd, phys);
		return;
	}
	t_fill(va, BSZ, 3);
	T_ERR(t_free(fd, phys), EBUSY);
	T_PROC_BLOCK(phys, 1);
	T_ERR(t_free(fd, phys), EALREADY);
	T_PATTERN(va, BSZ, 3, "mapping of a block pending free");
	T_OK(t_unmap(fd, phys));			/* map count 2 -> 1 */
	T_PROC_BLOCK(phys, 1);
	T_OK(t_unmap(fd, phys));			/* last: freed now */
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys), ENOENT);
}

/* Mapped by mmap(offset = phys): FREE answers 0, munmap frees. */
static void test_delayed_mmap(int fd)
{
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "dmmap", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_mmap(fd, phys, BSZ, &va))) {
		t_free(fd, phys);
		return;
	}
	/* the vendor counts REMAPs only: the caller sees a free */
	T_OK(t_free(fd, phys));
	T_ERR(t_free(fd, phys), EALREADY);
	T_PROC_BLOCK(phys, 1);
	/* pending: no new mappings by REMAP (nor by mmap: not a live block) */
	if (!T_ERR(t_remap(fd, phys, 0, NULL), ENOENT))
		t_unmap(fd, phys);
	T_ERR(t_mmap(fd, phys, BSZ, NULL), EINVAL);
	T_ERR(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys), ENOENT);
	munmap(va, BSZ);
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys), ENOENT);
}

/* Referenced: FREE is EBUSY, the last DEC_REF frees. */
static void test_delayed_ref(int fd)
{
	unsigned long phys;

	T_ERR(t_ioctl_val(fd, IOC_MMB_ADD_REF, t_zone_end(zone) - T_PAGE),
	      ENOENT);
	if (!T_OK(t_alloc(fd, zone->name, "dref", BSZ, 0, &phys)))
		return;
	T_ERR(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys), EINVAL);	/* none held */
	T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys));
	T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys));
	T_ERR(t_free(fd, phys), EBUSY);
	T_ERR(t_free(fd, phys), EALREADY);
	T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys));
	T_PROC_BLOCK(phys, 1);
	T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys));
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys), ENOENT);
}

/* A reference held by another fd is dropped when that fd closes. */
static void test_ref_dropped_on_close(int fd)
{
	unsigned long phys;
	int fd2 = t_open(0);

	if (!T_OK(t_alloc(fd, zone->name, "refclose", BSZ, 0, &phys))) {
		close(fd2);
		return;
	}
	T_OK(t_ioctl_val(fd2, IOC_MMB_ADD_REF, phys));
	T_OK(t_free(fd, phys));	/* not the caller's reference */
	T_PROC_BLOCK(phys, 1);
	close(fd2);
	T_PROC_BLOCK(phys, 0);
}

struct othermap_arg {
	unsigned long phys;
	volatile unsigned char *va;
};

static int child_map(void *p)
{
	struct othermap_arg *a = p;

	if (t_mmap(t_open(0), a->phys, BSZ, (void **)&a->va))
		return 1;
	a->va[0] = 0x5a;
	return 0;
}

/* The memory is still the child's: nobody wrote into it. */
static int child_check(void *p)
{
	struct othermap_arg *a = p;

	return a->va[0] == 0x5a && a->va[BSZ - 1] == 0 ? 0 : 3;
}

/*
 * Another process maps the block by its physical address: the owner's
 * FREE answers 0 (the vendor's result), but the memory stays the block's
 * until that mapping goes, and no allocation gets it meanwhile.
 */
static void test_free_while_other_maps(int fd)
{
	struct othermap_arg a = { 0 };
	struct t_paused child;
	unsigned long again;

	if (!T_OK(t_alloc(fd, zone->name, "othermap", BSZ, 0, &a.phys)))
		return;
	if (!T_TRUE(!t_pause_child(&child, child_map, child_check, &a),
		    "child setup failed")) {
		T_EQ(t_release_child(&child), 0);
		t_free(fd, a.phys);
		return;
	}
	T_OK(t_free(fd, a.phys));
	T_PROC_BLOCK(a.phys, 1);
	T_ERR(t_free(fd, a.phys), EALREADY);
	/* a new block of the same size lands elsewhere */
	if (T_OK(t_alloc(fd, zone->name, "othermap2", BSZ, 0, &again))) {
		T_TRUE(again + BSZ <= a.phys || a.phys + BSZ <= again,
		       "new block %#lx over the pending %#lx", again, a.phys);
		T_OK(t_free(fd, again));
	}
	T_EQ(t_release_child(&child), 0);
	T_PROC_BLOCK(a.phys, 0);
}

struct other_arg {
	unsigned long phys;
};

static int child_free_other(void *p)
{
	struct other_arg *a = p;
	int fd = t_open(0);

	T_ERR(t_free(fd, a->phys), EPERM);
	close(fd);
	return t_result();
}

/* FREE from another process (its own fd) is EPERM; the owner still can. */
static void test_other_process(int fd)
{
	struct other_arg a;

	if (!T_OK(t_alloc(fd, zone->name, "owned", BSZ, 0, &a.phys)))
		return;
	T_CHILD(child_free_other, &a);
	T_PROC_BLOCK(a.phys, 1);
	/* same process, another open: another owner as well */
	{
		int fd2 = t_open(0);

		T_ERR(t_free(fd2, a.phys), EPERM);
		close(fd2);
	}
	T_OK(t_free(fd, a.phys));
	T_PROC_BLOCK(a.phys, 0);
}

int main(void)
{
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	test_plain(fd);
	test_delayed_remap(fd);
	test_delayed_mmap(fd);
	test_delayed_ref(fd);
	test_ref_dropped_on_close(fd);
	test_free_while_other_maps(fd);
	test_other_process(fd);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
