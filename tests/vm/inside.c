/* SPDX-License-Identifier: MIT */
/*
 * An address anywhere inside a block names the block, as the vendor
 * module looks blocks up (addr in [phys, phys + size)):
 *
 *  - USER_REMAP / _CACHED of an inside address map the whole block and
 *    return the mapping's start + the offset; the bytes there are the
 *    block's bytes at that offset. A second REMAP (another offset) returns
 *    the same mapping + the new offset; the other caching mode is EINVAL;
 *  - USER_UNMAP by any inside address drops a count;
 *  - ADD_REF / DEC_REF by inside addresses count on the block: FREE by an
 *    inside address is a delayed free, the last DEC_REF completes it;
 *  - FREE of an unmapped block by its last byte frees it;
 *  - FLUSH_DCACHE and TEST_CACHE take inside addresses too;
 *  - the access rules stay: another process's FREE is EPERM.
 */
#include "mmztest.h"

#define BSZ	(64UL << 10)
#define OFF1	(3 * T_PAGE + 0x123)
#define OFF2	(BSZ - 1)
#define OFF3	(T_PAGE + 8)

static const struct tzone *zone;

/* Writes pattern @seed into the block through a plain mapping. */
static int fill_block(unsigned long phys, int cached, unsigned int seed)
{
	/* CMA mode maps a block in one caching mode at a time */
	int fd = t_open(cached ? 0 : O_SYNC);
	void *va = NULL;
	int ok = T_OK(t_mmap(fd, phys, BSZ, &va));

	if (ok) {
		t_fill(va, BSZ, seed);
		munmap(va, BSZ);
	}
	close(fd);
	return ok;
}

static void test_remap(int fd, int cached)
{
	const char *mode = cached ? "USER_REMAP_CACHED" : "USER_REMAP";
	unsigned int seed = cached ? 21 : 22;
	unsigned long phys;
	struct mmb_info mi;
	char *va = NULL, *va2 = NULL, *base;
	void *p;

	if (!T_OK(t_alloc(fd, zone->name, "inside", BSZ, 0, &phys)))
		return;
	if (!fill_block(phys, cached, seed))
		goto out;
	if (!T_OK(t_remap(fd, phys + OFF1, cached, &p)))
		goto out;
	va = p;
	base = va - OFF1;
	/* the mapping starts at the block: ATTR and VIRT_GET_PHYS agree */
	if (T_OK(t_attr(fd, phys, &mi)))
		T_PTR_EQ(mi.mapped, base);
	/* VIRT_GET_PHYS takes 4-byte aligned addresses: the word of va */
	if (T_OK(t_virt2phys(fd, base + (OFF1 & ~3UL), &mi)))
		T_EQ(mi.phys_addr, (phys + (OFF1 & ~3UL)) | cached);
	if (T_OK(t_virt2phys(fd, base, &mi)))
		T_EQ(mi.phys_addr, phys | cached);
	/* the data at the returned address is the block's at that offset */
	T_PATTERN(base, BSZ, seed, mode);
	T_EQ((unsigned char)va[0], t_pat(seed, OFF1));

	/* again, by another inside address: same mapping + new offset */
	if (T_OK(t_remap(fd, phys + OFF2, cached, &p))) {
		va2 = p;
		T_PTR_EQ(va2, base + OFF2);
		T_EQ((unsigned char)va2[0], t_pat(seed, OFF2));
	}
	/* and by the start: the mapping itself */
	if (T_OK(t_remap(fd, phys, cached, &p)))
		T_PTR_EQ(p, base);
	T_ERR(t_remap(fd, phys + OFF3, !cached, NULL), EINVAL);

	/* three counts, dropped through three other addresses */
	T_OK(t_unmap(fd, phys + OFF3));
	T_OK(t_unmap(fd, phys + BSZ - 1));
	T_PATTERN(base, BSZ, seed, "mapping after two of three unmaps");
	T_OK(t_unmap(fd, phys + 1));
	T_ERR(t_virt2phys(fd, base, &mi), ENOENT);
	T_ERR(t_unmap(fd, phys + OFF1), EINVAL);	/* not mapped */
out:
	T_OK(t_free(fd, phys + OFF1));
	T_PROC_BLOCK(phys, 0);
}

/* REMAP of a block mapped by this fd, UNMAP and FREE in one go. */
static void test_free_mapped(int fd)
{
	unsigned long phys;
	void *va = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "inside-fm", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_remap(fd, phys + OFF3, 0, &va))) {
		t_free(fd, phys);
		return;
	}
	T_ERR(t_free(fd, phys + OFF1), EBUSY);	/* delayed */
	T_ERR(t_free(fd, phys + OFF2), EALREADY);
	T_PROC_BLOCK(phys, 1);
	T_OK(t_unmap(fd, phys + OFF2));		/* completes it */
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys + OFF1), ENOENT);
}

static void test_refs(int fd)
{
	unsigned long phys;

	if (!T_OK(t_alloc(fd, zone->name, "inside-ref", BSZ, 0, &phys)))
		return;
	T_ERR(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys + OFF1), EINVAL);
	T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys + OFF1));
	T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys + BSZ - 1));
	T_ERR(t_free(fd, phys + OFF3), EBUSY);	/* references hold it */
	T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys));
	T_PROC_BLOCK(phys, 1);
	T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys + OFF2));	/* frees */
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys + OFF1), ENOENT);
	T_ERR(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys + OFF1), ENOENT);
}

static void test_flush_free(int fd)
{
	unsigned long phys;
	struct mmb_info mi;

	if (!T_OK(t_alloc(fd, zone->name, "inside-fl", BSZ, 0, &phys)))
		return;
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys + OFF1));
	memset(&mi, 0, sizeof(mi));
	mi.phys_addr = phys + OFF2;
	T_OK(t_ioctl(fd, IOC_MMB_TEST_CACHE, &mi));
	T_OK(t_free(fd, phys + BSZ - 1));		/* the last byte */
	T_PROC_BLOCK(phys, 0);
	T_ERR(t_free(fd, phys + BSZ - 1), ENOENT);
}

struct other_arg {
	unsigned long phys;
};

static int child_free_inside(void *p)
{
	struct other_arg *a = p;
	int fd = t_open(0);

	T_ERR(t_free(fd, a->phys + OFF1), EPERM);
	T_ERR(t_ioctl_val(fd, IOC_MMB_DEC_REF, a->phys + OFF1), EINVAL);
	close(fd);
	return t_result();
}

/* Only the allocating fd frees, by whatever address. */
static void test_other_process(int fd)
{
	struct other_arg a;

	if (!T_OK(t_alloc(fd, zone->name, "inside-own", BSZ, 0, &a.phys)))
		return;
	T_CHILD(child_free_inside, &a);
	T_PROC_BLOCK(a.phys, 1);
	T_OK(t_free(fd, a.phys + OFF1));
	T_PROC_BLOCK(a.phys, 0);
}

int main(void)
{
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	test_remap(fd, 0);
	test_remap(fd, 1);
	test_free_mapped(fd);
	test_refs(fd);
	test_flush_free(fd);
	test_other_process(fd);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
