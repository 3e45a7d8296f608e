/* SPDX-License-Identifier: MIT */
/*
 * Names as the vendor module takes them: it writes a NUL into the last
 * byte of mmb_name (16) and mmz_name (32) of every struct mmb_info, so a
 * name filled with strncpy(n, src, sizeof(n)) -- no NUL, as SDK samples do
 * -- is cut to 15 (31) characters, never refused.
 *
 *  - ALLOC and ALLOC_V2 with a 16-character block name: accepted, ATTR,
 *    BLOCK_INFO and /proc/media-mem show the first 15 characters;
 *  - control characters in such a name still print as '?';
 *  - a 32-character zone name is cut to 31: it selects a zone of that
 *    name (when MMZ_TEST_ZONES has one), else no zone (ENOENT, never
 *    EINVAL);
 *  - the cut applies to every command: the struct a REMAP writes back
 *    carries the NUL.
 */
#include "mmztest.h"

static const char name16[] = "abcdefghijklmnop";	/* 16, no room for NUL */

/* /proc/media-mem has the MMB line of block @phys with name="@name". */
static void check_proc_name(unsigned long phys, const char *name)
{
	char key[64], want[64], *text, *line, *end;

	snprintf(key, sizeof(key), "|-MMB: phys(0x%08lX, ", phys);
	snprintf(want, sizeof(want), "name=\"%s\"\n", name);
	text = t_read_file(MEDIA_MEM);
	line = text ? strstr(text, key) : NULL;
	end = line ? strchr(line, '\n') : NULL;
	if (!T_TRUE(line && end, "%s: no MMB line for 0x%lx", MEDIA_MEM,
		    phys)) {
		free(text);
		return;
	}
	end[1] = '\0';
	T_TRUE(strstr(line, want) != NULL, "%s: expected %.*s in\n%s",
	       MEDIA_MEM, (int)strlen(want) - 1, want, line);
	free(text);
}

/* A 16-character block name through ALLOC or ALLOC_V2. */
static void test_block_name(int fd, const struct tzone *z, int v2)
{
	struct mmz_block_info bi;
	struct mmb_info mi;
	unsigned long phys;

	t_info(&mi, z->name, NULL, T_PAGE, 0);
	memcpy(mi.mmb_name, name16, sizeof(mi.mmb_name));
	mi.order = MMZ_ALLOC_HIGH_TO_LOW;
	if (!T_OK(t_ioctl(fd, v2 ? IOC_MMB_ALLOC_V2 : IOC_MMB_ALLOC, &mi)))
		return;
	phys = mi.phys_addr;
	if (T_OK(t_attr(fd, phys, &mi)))
		T_TRUE(!strcmp(mi.mmb_name, "abcdefghijklmno"),
		       "ATTR name \"%.16s\", expected the first 15",
		       mi.mmb_name);
	memset(&bi, 0, sizeof(bi));
	bi.phys = phys;
	if (T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi)))
		T_TRUE(!strcmp(bi.name, "abcdefghijklmno"),
		       "BLOCK_INFO name \"%.16s\"", bi.name);
	check_proc_name(phys, "abcdefghijklmno");
	T_OK(t_free(fd, phys));
}

/* Control characters of a cut name still print as '?'. */
static void test_control_chars(int fd, const struct tzone *z)
{
	struct mmb_info mi;
	unsigned long phys;

	t_info(&mi, z->name, NULL, T_PAGE, 0);
	/* 16 bytes, no NUL */
	memcpy(mi.mmb_name, "ln\n|-MMB:\x01" "abcdef", sizeof(mi.mmb_name));
	if (!T_OK(t_ioctl(fd, IOC_MMB_ALLOC, &mi)))
		return;
	phys = mi.phys_addr;
	check_proc_name(phys, "ln?|-MMB:?abcde");
	if (T_OK(t_attr(fd, phys, &mi)))
		T_TRUE(!memcmp(mi.mmb_name, "ln\n|-MMB:\x01" "abcde", 16),
		       "ATTR gives the bytes as given, cut at 15");
	T_OK(t_free(fd, phys));
}

/* A zone name of 32 characters is cut to 31. */
static void test_zone_name(int fd)
{
	struct mmb_info mi;
	int i, n;

	/* "anonymous" and 23 more: cut to 31, which names no zone */
	t_info(&mi, NULL, "zn", T_PAGE, 0);
	memset(mi.mmz_name, 'x', sizeof(mi.mmz_name));
	memcpy(mi.mmz_name, "anonymous", 9);
	T_ERR(t_ioctl(fd, IOC_MMB_ALLOC, &mi), ENOENT);
	T_ERR(t_ioctl(fd, IOC_MMB_ALLOC_V2, &mi), ENOENT);

	/* garbage after the NUL in byte 31 too: the name before it counts */
	t_info(&mi, NULL, "zn", T_PAGE, 0);
	memset(mi.mmz_name, 'y', sizeof(mi.mmz_name));
	memcpy(mi.mmz_name, "second", 7);
	if (T_OK(t_ioctl(fd, IOC_MMB_ALLOC, &mi))) {
		const struct tzone *z = t_zone("second");

		T_TRUE(mi.phys_addr - z->phys < z->size,
		       "block 0x%lx not in zone second", mi.phys_addr);
		T_OK(t_free(fd, mi.phys_addr));
	}

	/* a zone with a 31-character name: 32 characters select it */
	n = t_zone_count();
	for (i = 0; i < n; i++) {
		const struct tzone *z = t_zone_at(i);

		if (strlen(z->name) != HIL_MMZ_NAME_LEN - 1)
			continue;
		t_info(&mi, NULL, "zn", T_PAGE, 0);
		memcpy(mi.mmz_name, z->name, HIL_MMZ_NAME_LEN - 1);
		mi.mmz_name[HIL_MMZ_NAME_LEN - 1] = 'Z';
		if (T_OK(t_ioctl(fd, IOC_MMB_ALLOC, &mi))) {
			T_TRUE(mi.phys_addr - z->phys < z->size,
			       "block 0x%lx not in zone %s", mi.phys_addr,
			       z->name);
			T_OK(t_free(fd, mi.phys_addr));
		}
	}
}

/* Every command cuts the names: REMAP writes the struct back with them. */
static void test_every_command(int fd, const struct tzone *z)
{
	struct mmb_info mi;
	unsigned long phys;

	if (!T_OK(t_alloc(fd, z->name, "every", T_PAGE, 0, &phys)))
		return;
	memset(&mi, 0, sizeof(mi));
	mi.phys_addr = phys;
	memcpy(mi.mmb_name, name16, sizeof(mi.mmb_name));
	memset(mi.mmz_name, 'q', sizeof(mi.mmz_name));
	if (T_OK(t_ioctl(fd, IOC_MMB_USER_REMAP, &mi))) {
		T_EQ(mi.mmb_name[HIL_MMB_NAME_LEN - 1], 0);
		T_EQ(mi.mmz_name[HIL_MMZ_NAME_LEN - 1], 0);
		T_TRUE(!memcmp(mi.mmb_name, name16, HIL_MMB_NAME_LEN - 1),
		       "REMAP changed the name beyond the last byte");
		memset(mi.mmb_name, 'r', sizeof(mi.mmb_name));
		T_OK(t_ioctl(fd, IOC_MMB_USER_UNMAP, &mi));
	}
	/* FREE with names that have no NUL */
	memset(&mi, 0, sizeof(mi));
	mi.phys_addr = phys;
	memset(mi.mmb_name, 's', sizeof(mi.mmb_name));
	memset(mi.mmz_name, 't', sizeof(mi.mmz_name));
	T_OK(t_ioctl(fd, IOC_MMB_FREE, &mi));
	T_PROC_BLOCK(phys, 0);
}

int main(void)
{
	const struct tzone *anon = t_zone("anonymous");
	int fd = t_open(0);

	test_block_name(fd, anon, 0);
	test_block_name(fd, anon, 1);
	test_control_chars(fd, anon);
	test_zone_name(fd);
	test_every_command(fd, anon);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
