/* SPDX-License-Identifier: MIT */
/*
 * /proc/media-mem matches the vendor text byte for byte, built here with
 * snprintf from the known zones and blocks; the extension ioctls
 * MMZ_IOC_VERSION, MMZ_IOC_ZONE_INFO and MMZ_IOC_BLOCK_INFO agree with it.
 *
 *   anonymous: |procLow 1M|........................|procHigh 64K|
 *   second:    |procSec 12K|...........................................|
 *
 * A block name with control characters shows them as '?' and cannot
 * break its line (ATTR still returns the bytes as given).
 *
 * With the argument "empty" it only checks the text of an idle module
 * (zone lines, no blocks), as run-tests does right after insmod.
 */
#include "mmztest.h"

#define TEXT_MAX 8192

static int cmp_block(const void *a, const void *b)
{
	const struct tblock *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

static int zone_index_of(unsigned long phys)
{
	int i;

	for (i = 0; i < t_zone_count(); i++)
		if (phys >= t_zone_at(i)->phys && phys < t_zone_end(t_zone_at(i)))
			return i;
	return -1;
}

static void check_version(int fd)
{
	struct mmz_version v;
	struct mmz_export ex = { 0 };

	memset(&v, 0, sizeof(v));
	if (!T_OK(t_ioctl(fd, MMZ_IOC_VERSION, &v)))
		return;
	T_EQ(v.abi_major, MMZ_ABI_MAJOR);
	T_TRUE(v.features & MMZ_FEAT_ZONE_INFO, "VERSION lacks ZONE_INFO "
	       "(features 0x%llx)", (unsigned long long)v.features);
	T_TRUE(v.features & MMZ_FEAT_BLOCK_INFO, "VERSION lacks BLOCK_INFO "
	       "(features 0x%llx)", (unsigned long long)v.features);
	T_TRUE(!(v.features & MMZ_FEAT_CMA) == !t_cma_mode(),
	       "loaded as %s, VERSION features 0x%llx",
	       t_cma_mode() ? "cma" : "hisi", (unsigned long long)v.features);
	if (!(v.features & MMZ_FEAT_DMABUF))
		T_ERR(t_ioctl(fd, MMZ_IOC_EXPORT_DMABUF, &ex), ENOTTY);
}

static void check_zones(int fd, const struct tblock *b, int n)
{
	struct mmz_zone_info zi;
	int i, j;

	for (i = 0; i < t_zone_count(); i++) {
		const struct tzone *z = t_zone_at(i);
		unsigned long used = 0;
		unsigned int blocks = 0;

		for (j = 0; j < n; j++)
			if (zone_index_of(b[j].phys) == i) {
				used += b[j].size;
				blocks++;
			}
		memset(&zi, 0, sizeof(zi));
		zi.index = i;
		if (!T_OK(t_ioctl(fd, MMZ_IOC_ZONE_INFO, &zi)))
			continue;
		T_TRUE(!strcmp(zi.name, z->name), "ZONE_INFO %d name \"%.32s\", "
		       "expected \"%s\"", i, zi.name, z->name);
		T_EQ(zi.index, i);
		T_EQ(zi.phys, z->phys);
		T_EQ(zi.size, z->size);
		T_EQ(zi.gfp, z->gfp);
		T_EQ(zi.used, used);
		T_EQ(zi.blocks, blocks);
	}
	memset(&zi, 0, sizeof(zi));
	zi.index = t_zone_count();
	T_ERR(t_ioctl(fd, MMZ_IOC_ZONE_INFO, &zi), ENOENT);
	zi.index = ~0U;
	T_ERR(t_ioctl(fd, MMZ_IOC_ZONE_INFO, &zi), ENOENT);
}

static void check_blocks(int fd, const struct tblock *b, int n)
{
	struct mmz_block_info bi;
	unsigned long long at = 0;
	int i;

	for (i = 0; i < n; i++) {
		memset(&bi, 0, sizeof(bi));
		bi.phys = at;
		if (!T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi)))
			return;
		T_EQ(bi.phys, b[i].phys);
		T_EQ(bi.size, b[i].size);
		T_EQ(bi.kvirt_mapped, 0);
		T_EQ(bi.owner_pid, getpid());
		T_EQ(bi.zone_index, zone_index_of(b[i].phys));
		T_EQ(bi.map_count, 0);
		T_EQ(bi.ref_count, 0);
		T_EQ(bi.flags & MMZ_BLOCK_DELAYED_FREE, 0);
		T_TRUE(!strcmp(bi.name, b[i].name), "BLOCK_INFO name "
		       "\"%.16s\", expected \"%s\"", bi.name, b[i].name);
		at = bi.phys + bi.size;
	}
	memset(&bi, 0, sizeof(bi));
	bi.phys = at;
	T_ERR(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi), ENOENT);
	/* "at or above": a byte inside the first block finds the second */
	memset(&bi, 0, sizeof(bi));
	bi.phys = b[0].phys + 1;
	if (n > 1 && T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi)))
		T_EQ(bi.phys, b[1].phys);
}

/* map_count, ref_count and the delayed-free flag follow the block. */
static void check_block_counts(int fd, unsigned long phys)
{
	struct mmz_block_info bi;
	void *va;

	if (!T_OK(t_remap(fd, phys, 0, &va)))
		return;
	T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys));
	memset(&bi, 0, sizeof(bi));
	bi.phys = phys;
	if (T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi))) {
		T_EQ(bi.phys, phys);
		T_EQ(bi.map_count, 1);
		T_EQ(bi.ref_count, 1);
	}
	T_ERR(t_free(fd, phys), EBUSY);
	memset(&bi, 0, sizeof(bi));
	bi.phys = phys;
	if (T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi)))
		T_EQ(bi.flags & MMZ_BLOCK_DELAYED_FREE, MMZ_BLOCK_DELAYED_FREE);
	T_OK(t_unmap(fd, phys));
	T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, phys));	/* frees it */
}

static void check_control_name(int fd, const struct tzone *z)
{
	static const char name[] = "ln\n   |-MMB:\x01";
	struct mmb_info mi;
	unsigned long phys;
	char line[200], *text;

	if (!T_OK(t_alloc(fd, z->name, name, T_PAGE, 0, &phys)))
		return;
	snprintf(line, sizeof(line), "   |-MMB: phys(0x%08lX, 0x%08lX), "
		 "kvirt=0x00000000, flags=0x00000000, length=4KB,    "
		 "name=\"ln?   |-MMB:?\"\n", phys, phys + T_PAGE - 1);
	text = t_read_file(MEDIA_MEM);
	T_TRUE(text && strstr(text, line), "%s lacks the line\n%s--- got:\n%s",
	       MEDIA_MEM, line, text ? text : "(unreadable)");
	free(text);
	if (T_OK(t_attr(fd, phys, &mi)))
		T_TRUE(!strcmp(mi.mmb_name, name), "ATTR name changed");
	T_OK(t_free(fd, phys));
}

int main(int argc, char **argv)
{
	const struct tzone *anon, *second;
	static char want[TEXT_MAX];
	struct tblock b[3] = {
		{ 0, 1UL << 20, "procLow" },
		{ 0, 64UL << 10, "procHigh" },
		{ 0, 12UL << 10, "procSec" },
	};
	unsigned long extra;
	int fd, i;

	if (argc > 1 && !strcmp(argv[1], "empty")) {
		t_media_mem_expected(want, sizeof(want), NULL, 0);
		t_media_mem_equals(want);
		return t_result();
	}
	anon = t_zone("anonymous");
	second = t_zone("second");
	fd = t_open(0);
	check_version(fd);
	check_control_name(fd, anon);

	if (!T_OK(t_alloc_v2(fd, anon->name, b[0].name, b[0].size, 0,
			       MMZ_ALLOC_LOW_TO_HIGH, &b[0].phys)) ||
	    !T_OK(t_alloc_v2(fd, anon->name, b[1].name, b[1].size, 0,
			       MMZ_ALLOC_HIGH_TO_LOW, &b[1].phys)) ||
	    !T_OK(t_alloc(fd, second->name, b[2].name, b[2].size, 0,
			    &b[2].phys)))
		return t_result();
	qsort(b, 3, sizeof(b[0]), cmp_block);

	t_media_mem_expected(want, sizeof(want), b, 3);
	t_media_mem_equals(want);
	check_zones(fd, b, 3);
	check_blocks(fd, b, 3);

	/* a fourth, mapped and referenced, then freed through delayed free */
	if (T_OK(t_alloc(fd, second->name, "procTmp", T_PAGE, 0, &extra)))
		check_block_counts(fd, extra);
	t_media_mem_equals(want);

	for (i = 0; i < 3; i++)
		T_OK(t_free(fd, b[i].phys));
	t_media_mem_expected(want, sizeof(want), NULL, 0);
	t_media_mem_equals(want);
	check_zones(fd, NULL, 0);
	close(fd);
	return t_result();
}
