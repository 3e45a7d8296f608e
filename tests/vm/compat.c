/* SPDX-License-Identifier: MIT */
/*
 * The ABI as this build sees it: struct mmb_info is 104 bytes (LP64) or 80
 * (ILP32) with the vendor offsets, and the ioctl numbers equal the vendor
 * ones for this word size. Every other test, built -m32, is the real
 * compat_ioctl test; this one also checks a round trip of every field a
 * 32-bit process gets back.
 *
 * "compat-32 probe" exits 42 without touching the device: run-tests uses
 * it to learn whether the kernel runs 32-bit programs at all.
 */
#include "mmztest.h"
#include <stddef.h>

#define LP64 (sizeof(long) == 8)

static void check_layout(void)
{
	static const size_t off64[] = { 0, 8, 16, 24, 32, 40, 48, 64, 96 };
	static const size_t off32[] = { 0, 4, 8, 12, 16, 20, 24, 40, 72 };
	const size_t *want = LP64 ? off64 : off32;
	const size_t got[] = {
		offsetof(struct mmb_info, phys_addr),
		offsetof(struct mmb_info, align),
		offsetof(struct mmb_info, size),
		offsetof(struct mmb_info, order),
		offsetof(struct mmb_info, mapped),
		offsetof(struct mmb_info, w32_stuf),
		offsetof(struct mmb_info, mmb_name),
		offsetof(struct mmb_info, mmz_name),
		offsetof(struct mmb_info, gfp),
	};
	unsigned int i;

	T_EQ(sizeof(struct mmb_info), LP64 ? 104 : 80);
	T_EQ(sizeof(struct dirty_area), LP64 ? 24 : 12);
	for (i = 0; i < sizeof(got) / sizeof(got[0]); i++)
		T_TRUE(got[i] == want[i], "mmb_info field %u at offset %zu, "
		       "expected %zu", i, got[i], want[i]);

	/* the vendor numbers, spelled out */
	T_EQ(IOC_MMB_ALLOC, LP64 ? 0xc0686d0a : 0xc0506d0a);
	T_EQ(IOC_MMB_ATTR, LP64 ? 0x80686d0b : 0x80506d0b);
	T_EQ(IOC_MMB_FREE, LP64 ? 0x40686d0c : 0x40506d0c);
	T_EQ(IOC_MMB_ALLOC_V2, LP64 ? 0xc0686d0d : 0xc0506d0d);
	T_EQ(IOC_MMB_USER_REMAP, LP64 ? 0xc0686d14 : 0xc0506d14);
	T_EQ(IOC_MMB_USER_REMAP_CACHED, LP64 ? 0xc0686d15 : 0xc0506d15);
	T_EQ(IOC_MMB_USER_UNMAP, LP64 ? 0xc0686d16 : 0xc0506d16);
	T_EQ(IOC_MMB_VIRT_GET_PHYS, LP64 ? 0xc0686d17 : 0xc0506d17);
	T_EQ(IOC_MMB_ADD_REF, 0x721e);
	T_EQ(IOC_MMB_DEC_REF, 0x721f);
	T_EQ(IOC_MMB_FLUSH_DCACHE, 0x6328);
	T_EQ(IOC_MMB_FLUSH_DCACHE_DIRTY, LP64 ? 0x40186432 : 0x400c6432);
	T_EQ(IOC_MMB_TEST_CACHE, LP64 ? 0x4068740b : 0x4050740b);
	/* part 2 is fixed-width: the same numbers for both */
	T_EQ(sizeof(struct mmz_zone_info), 88);
	T_EQ(sizeof(struct mmz_block_info), 64);
	T_EQ(sizeof(struct mmz_version), 16);
}

/*
 * Fields written by the kernel land where this build reads them: ATTR
 * fills every field, the bytes around the struct stay untouched.
 */
static void check_round_trip(int fd)
{
	const struct tzone *z = t_zone("anonymous");
	struct {
		unsigned char before[16];
		struct mmb_info mi;
		unsigned char after[16];
	} g;
	unsigned long phys;
	void *va;
	unsigned int i;

	if (!T_OK(t_alloc(fd, z->name, "compat", 3 * T_PAGE, 1UL << 16,
			    &phys)))
		return;
	T_EQ(phys % (1UL << 16), 0);
	if (!T_OK(t_remap(fd, phys, 1, &va)))
		goto out;
	memset(&g, 0xa5, sizeof(g));
	memset(&g.mi, 0, sizeof(g.mi));
	g.mi.phys_addr = phys + 5;
	if (T_OK(t_ioctl(fd, IOC_MMB_ATTR, &g.mi))) {
		T_EQ(g.mi.phys_addr, phys);
		T_EQ(g.mi.size, 3 * T_PAGE);
		T_PTR_EQ(g.mi.mapped, va);
		T_TRUE(!strcmp(g.mi.mmb_name, "compat"), "name \"%.16s\"",
		       g.mi.mmb_name);
		T_TRUE(!strcmp(g.mi.mmz_name, z->name), "zone \"%.32s\"",
		       g.mi.mmz_name);
	}
	for (i = 0; i < sizeof(g.before); i++)
		if (g.before[i] != 0xa5 || g.after[i] != 0xa5) {
			t_fail("ATTR wrote outside the %zu-byte struct",
			       sizeof(g.mi));
			break;
		}
	memset(&g, 0xa5, sizeof(g));
	memset(&g.mi, 0, sizeof(g.mi));
	g.mi.mapped = (char *)va + T_PAGE + 8;
	if (T_OK(t_ioctl(fd, IOC_MMB_VIRT_GET_PHYS, &g.mi))) {
		T_EQ(g.mi.phys_addr & ~1UL, phys + T_PAGE + 8);
		T_EQ(g.mi.size, 3 * T_PAGE);
	}
	for (i = 0; i < sizeof(g.before); i++)
		if (g.before[i] != 0xa5 || g.after[i] != 0xa5) {
			t_fail("VIRT_GET_PHYS wrote outside the %zu-byte struct",
			       sizeof(g.mi));
			break;
		}
	T_OK(t_flush_dirty(fd, phys + T_PAGE, (char *)va + T_PAGE, T_PAGE));
	T_OK(t_unmap(fd, phys));
out:
	T_OK(t_free(fd, phys));
}

int main(int argc, char **argv)
{
	int fd;

	if (argc > 1 && !strcmp(argv[1], "probe"))
		return 42;
	check_layout();
	fd = t_open(0);
	check_round_trip(fd);
	close(fd);
	return t_result();
}
