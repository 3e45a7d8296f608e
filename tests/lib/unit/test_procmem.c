// SPDX-License-Identifier: MIT
/*
 * The /proc/media-mem fallback parser, fed from fixtures/media-mem.txt,
 * which lists the zones last first, as the vendor module and mmz.ko do;
 * indexes count in mmz= order:
 *
 *   anonymous 0x30000000 +32K+ ... +4K+ ... +1M+ ..................... 0x35ffffff
 *             [sys_scale_coef][gap 0x30008000-0x300fffff][""][gap][vb][gap to end]
 *   second    0x36000000 ........................... empty ........... 0x37ffffff
 *   vdec      0x9c000000 ............................... [top 1M]     0x9fffffff
 */
#include <errno.h>

#include "procmem.h"
#include "mmzt.h"

static char *fixture(const char *path)
{
	char *text = NULL;
	int ret = mmz_read_text(path, &text);

	T_EQ(ret, 0);
	return text;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/lib/fixtures/media-mem.txt";
	struct mmz_zone z;
	struct mmz_block b;
	char *text = fixture(path);
	uint64_t from;
	int n;

	if (!text)
		return t_result("procmem");

	T_EQ(mmz_procmem_zone(text, 0, &z), 0);
	T_STREQ(z.name, "anonymous");
	T_EQ(z.index, 0);
	T_EQ(z.phys, 0x30000000);
	T_EQ(z.size, 96 << 20);
	T_EQ(z.gfp, 0);
	T_EQ(z.blocks, 3);
	T_EQ(z.used, (32 << 10) + 4096 + (1 << 20));
	/* free: 0x30008000-0x300fffff, 0x30101000-0x301fffff, 0x30300000-0x35ffffff */
	T_EQ(z.free_extents, 3);
	T_EQ(z.largest_free, 0x36000000 - 0x30300000);
	T_EQ(z.detailed, 0);

	T_EQ(mmz_procmem_zone(text, 1, &z), 0);
	T_STREQ(z.name, "second");
	T_EQ(z.gfp, 1);
	T_EQ(z.blocks, 0);
	T_EQ(z.used, 0);
	T_EQ(z.free_extents, 1);
	T_EQ(z.largest_free, 32 << 20);

	T_EQ(mmz_procmem_zone(text, 2, &z), 0);
	T_STREQ(z.name, "vdec");
	T_EQ(z.free_extents, 1);
	T_EQ(z.largest_free, (64 << 20) - (1 << 20));
	T_EQ(mmz_procmem_zone(text, 3, &z), -ENOENT);

	/* blocks in address order over all zones */
	T_EQ(mmz_procmem_block(text, 0, &b), 0);
	T_EQ(b.phys, 0x30000000);
	T_EQ(b.size, 32 << 10);
	T_STREQ(b.name, "sys_scale_coef");
	T_EQ(b.owner_pid, -1);
	T_EQ(b.map_count, -1);
	T_EQ(b.kernel_mapped, 1);
	T_EQ(mmz_procmem_block(text, 0x30000001, &b), 0);
	T_EQ(b.phys, 0x30100000);
	T_STREQ(b.name, "");
	T_EQ(b.flags, MMZ_BLK_CACHED);
	T_EQ(mmz_procmem_block(text, 0x30100001, &b), 0);
	T_EQ(b.phys, 0x30200000);
	T_STREQ(b.name, "vb \"quoted\"");
	T_EQ(b.flags, MMZ_BLK_DELAYED_FREE);
	T_EQ(b.kernel_mapped, 0);
	T_EQ(mmz_procmem_block(text, 0x30200001, &b), 0);
	T_EQ(b.phys, 0x9ff00000);
	T_EQ(b.zone_index, 2);
	T_EQ(mmz_procmem_block(text, 0x9ff00001, &b), -ENOENT);
	for (n = 0, from = 0; mmz_procmem_block(text, from, &b) == 0; n++)
		from = b.phys + b.size;
	T_EQ(n, 4);

	/* odd input */
	T_EQ(mmz_procmem_zone("", 0, &z), -ENOENT);
	T_EQ(mmz_procmem_block("", 0, &b), -ENOENT);
	T_EQ(mmz_procmem_block("   |-MMB: phys(0x1000, 0x1FFF), kvirt=0x0, flags=0x0, length=4KB,    name=\"orphan\"\n", 0, &b), -EPROTO);
	T_EQ(mmz_procmem_zone("+---ZONE: PHYS(0x2000, 0x1000), GFP=0, nBYTES=0KB,    NAME=\"bad\"\n", 0, &z), -EPROTO);
	T_EQ(mmz_procmem_zone("+---ZONE: PHYS(0x1000, 0x1FFF), GFP=0, nBYTES=4KB,    NAME=\"a-name-longer-than-thirty-one-characters\"", 0, &z), 0);
	T_EQ(strlen(z.name), 31);
	T_EQ(mmz_read_text("/nonexistent/media-mem", &text), -ENOENT);
	{
		/* many blocks: the growing arrays */
		static char big[200000];
		size_t len = 0;
		int i;

		len += (size_t)sprintf(big, "+---ZONE: PHYS(0x40000000, 0x4FFFFFFF), GFP=0, nBYTES=262144KB,    NAME=\"big\"\n");
		for (i = 999; i >= 0; i--)
			len += (size_t)sprintf(big + len, "   |-MMB: phys(0x%08X, 0x%08X), kvirt=0x00000000, flags=0x00000000, length=4KB,    name=\"b%d\"\n",
					       0x40000000 + i * 0x2000, 0x40000000 + i * 0x2000 + 0xfff, i);
		T_EQ(mmz_procmem_zone(big, 0, &z), 0);
		T_EQ(z.blocks, 1000);
		T_EQ(z.used, 1000 * 4096);
		T_EQ(z.free_extents, 1000);
		T_EQ(mmz_procmem_block(big, 0x40000000 + 500 * 0x2000 + 1, &b), 0);
		T_STREQ(b.name, "b501");
	}
	free(fixture(path));
	free(text);
	return t_result("procmem");
}
