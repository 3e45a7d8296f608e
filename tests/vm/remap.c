/* SPDX-License-Identifier: MIT */
/*
 * IOC_MMB_USER_REMAP / _CACHED / USER_UNMAP, IOC_MMB_VIRT_GET_PHYS and
 * IOC_MMB_ATTR: a full-size usable mapping, same address on a second remap
 * in the same mode (map count), EINVAL in the other mode or for an unmap
 * of a block not mapped, address lookups.
 */
#include "mmztest.h"

#define BSZ (256UL << 10)
#define OFF 0x1234UL

static const struct tzone *zone;

static void check_lookup(int fd, unsigned long phys, char *va, int cached)
{
	struct mmb_info mi;
	int local;

	/* as the vendor's: bit 0 of the address says cached */
	if (T_OK(t_virt2phys(fd, va + OFF, &mi))) {
		T_EQ(mi.phys_addr, (phys + OFF) | cached);
		T_EQ(mi.size, BSZ);
		T_TRUE(!strcmp(mi.mmb_name, "remap"), "VIRT_GET_PHYS name "
		       "\"%.16s\"", mi.mmb_name);
		T_TRUE(!strcmp(mi.mmz_name, zone->name), "VIRT_GET_PHYS zone "
		       "\"%.32s\"", mi.mmz_name);
		T_EQ(mi.flags & 1, cached);
	}
	if (T_OK(t_virt2phys(fd, va + BSZ - 4, &mi)))
		T_EQ(mi.phys_addr, (phys + BSZ - 4) | cached);
	/* and the address must be 4-byte aligned */
	T_ERR(t_virt2phys(fd, va + BSZ - 1, &mi), EINVAL);
	T_ERR(t_virt2phys(fd, va + 2, &mi), EINVAL);
	T_ERR(t_virt2phys(fd, va + BSZ, &mi), ENOENT);
	T_ERR(t_virt2phys(fd, &local, &mi), ENOENT);
	T_ERR(t_virt2phys(fd, &zone, &mi), ENOENT);
	T_ERR(t_virt2phys(fd, NULL, &mi), ENOENT);

	if (T_OK(t_attr(fd, phys + OFF, &mi))) {
		T_EQ(mi.phys_addr, phys);
		T_EQ(mi.size, BSZ);
		T_PTR_EQ(mi.mapped, va);
		T_TRUE(!strcmp(mi.mmb_name, "remap"), "ATTR name \"%.16s\"",
		       mi.mmb_name);
		T_TRUE(!strcmp(mi.mmz_name, zone->name), "ATTR zone \"%.32s\"",
		       mi.mmz_name);
	}
}

static void test_mode(int fd, int cached)
{
	const char *mode = cached ? "USER_REMAP_CACHED" : "USER_REMAP";
	unsigned long phys;
	struct mmb_info mi;
	void *va = NULL, *va2 = NULL;

	if (!T_OK(t_alloc(fd, zone->name, "remap", BSZ, 0, &phys)))
		return;
	T_ERR(t_unmap(fd, phys), EINVAL);		/* not mapped yet */
	if (T_OK(t_attr(fd, phys, &mi)))
		T_PTR_EQ(mi.mapped, NULL);
	if (!T_OK(t_remap(fd, phys, cached, &va)))
		goto out;
	T_TRUE(va != NULL, "%s returned NULL", mode);
	t_fill(va, BSZ, cached ? 11 : 12);
	T_PATTERN(va, BSZ, cached ? 11u : 12u, mode);

	if (T_OK(t_remap(fd, phys, cached, &va2)))
		T_TRUE(va2 == va, "second %s: %p, first gave %p", mode, va2,
		       va);
	T_ERR(t_remap(fd, phys, !cached, NULL), EINVAL);
	check_lookup(fd, phys, va, cached);

	T_OK(t_unmap(fd, phys));			/* count 2 -> 1 */
	T_PATTERN(va, BSZ, cached ? 11u : 12u, "mapping after one of two unmaps");
	T_OK(t_unmap(fd, phys));			/* gone */
	T_ERR(t_unmap(fd, phys), EINVAL);
	T_ERR(t_virt2phys(fd, va, &mi), ENOENT);
	if (T_OK(t_attr(fd, phys, &mi)))
		T_PTR_EQ(mi.mapped, NULL);

	/* the other mode is fine once unmapped; content survives */
	if (T_OK(t_remap(fd, phys, !cached, &va))) {
		T_PATTERN(va, BSZ, cached ? 11u : 12u, "remapped other mode");
		T_OK(t_unmap(fd, phys));
	}
out:
	T_OK(t_free(fd, phys));
}

/* Mappings are per fd: another fd of the same process maps on its own. */
static void test_per_fd(int fd)
{
	unsigned long phys;
	void *va = NULL, *vb = NULL;
	int fd2 = t_open(0);
	struct mmb_info mi;

	if (!T_OK(t_alloc(fd, zone->name, "perfd", BSZ, 0, &phys)))
		goto out;
	if (T_OK(t_remap(fd, phys, 1, &va))) {
		T_ERR(t_unmap(fd2, phys), EINVAL);
		if (T_OK(t_attr(fd2, phys, &mi)))
			T_PTR_EQ(mi.mapped, NULL);
		if (T_OK(t_remap(fd2, phys, 1, &vb))) {
			T_TRUE(vb != va, "two fds share one mapping %p", va);
			t_fill(va, BSZ, 13);
			T_PATTERN(vb, BSZ, 13u, "second fd's mapping");
			T_OK(t_unmap(fd2, phys));
		}
		T_OK(t_unmap(fd, phys));
	}
	T_OK(t_free(fd, phys));
out:
	close(fd2);
}

int main(void)
{
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	test_mode(fd, 0);
	test_mode(fd, 1);
	test_per_fd(fd);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
