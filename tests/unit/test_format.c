// SPDX-License-Identifier: MIT
/* /proc/media-mem text, compared byte for byte with the vendor format. */
#include "check.h"
#include "testops.h"

static char out[4096];
static size_t outlen;

static void collect(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	if (outlen + len < sizeof(out)) {
		memcpy(out + outlen, line, len);
		outlen += len;
		out[outlen] = 0;
	}
}

int main(void)
{
	struct testops tops;
	struct mmz_ops ops = testops_make(&tops);
	struct mmz_pool a, b;
	struct mmz_pool *zones[2] = { &a, &b };
	struct mmz_extent *x, *y, *w;

	mmz_pool_init(&a, "anonymous", 0x88000000ULL, 384ULL << 20, 12, &ops);
	mmz_pool_init(&b, "vdec", 0x1A0000000ULL, 64ULL << 20, 12, &ops);
	b.gfp = 3;
	mmz_pool_alloc(&a, 32 << 10, 0, 0, "sys_scale_coef", &x);
	mmz_pool_alloc(&a, 3110400, 0, 0, "frame0", &y);
	mmz_pool_alloc(&b, 1, 0, 1, "generation-three-keeps-31-bytes-of-a-name", &w);
	x->kvirt = 0xC4B98000UL;
	x->flags = 1;

	mmz_format_media_mem(zones, 2, collect, NULL);
	CHECK_STR(out,
"+---ZONE: PHYS(0x88000000, 0x9FFFFFFF), GFP=0, nBYTES=393216KB,    NAME=\"anonymous\"\n"
"   |-MMB: phys(0x88000000, 0x88007FFF), kvirt=0xC4B98000, flags=0x00000001, length=32KB,    name=\"sys_scale_coef\"\n"
"   |-MMB: phys(0x88008000, 0x882FFFFF), kvirt=0x00000000, flags=0x00000000, length=3040KB,    name=\"frame0\"\n"
"+---ZONE: PHYS(0x1A0000000, 0x1A3FFFFFF), GFP=3, nBYTES=65536KB,    NAME=\"vdec\"\n"
"   |-MMB: phys(0x1A3FFF000, 0x1A3FFFFFF), kvirt=0x00000000, flags=0x00000000, length=4KB,    name=\"generation-three-keeps-31-bytes\"\n"
"\n"
"---MMZ_USE_INFO:\n"
" total size=458752KB(448MB),used=3076KB(3MB + 4KB),remain=455676KB(444MB + 1020KB),zone_number=2,block_number=3\n",
		  "two zones, three blocks");

	outlen = 0;
	out[0] = 0;
	mmz_format_media_mem(zones, 0, collect, NULL);
	CHECK_EQ(outlen, 0, "no zones: no text, no summary");

	/* a name cannot break its line or forge others */
	mmz_pool_free(&b, w);
	mmz_pool_alloc(&b, 1, 0, 1, "x\n   |-MMB: \r\x7f\x01", &w);
	outlen = 0;
	out[0] = 0;
	mmz_format_media_mem(&zones[1], 1, collect, NULL);
	CHECK_STR(out,
"+---ZONE: PHYS(0x1A0000000, 0x1A3FFFFFF), GFP=3, nBYTES=65536KB,    NAME=\"vdec\"\n"
"   |-MMB: phys(0x1A3FFF000, 0x1A3FFFFFF), kvirt=0x00000000, flags=0x00000000, length=4KB,    name=\"x?   |-MMB: ???\"\n"
"\n"
"---MMZ_USE_INFO:\n"
" total size=65536KB(64MB),used=4KB(0MB + 4KB),remain=65532KB(63MB + 1020KB),zone_number=1,block_number=1\n",
		  "control characters in a name");

	mmz_pool_free(&a, x);
	mmz_pool_free(&a, y);
	mmz_pool_free(&b, w);
	outlen = 0;
	mmz_format_media_mem(zones, 1, collect, NULL);
	CHECK_STR(out,
"+---ZONE: PHYS(0x88000000, 0x9FFFFFFF), GFP=0, nBYTES=393216KB,    NAME=\"anonymous\"\n"
"\n"
"---MMZ_USE_INFO:\n"
" total size=393216KB(384MB),used=0KB(0MB + 0KB),remain=393216KB(384MB + 0KB),zone_number=1,block_number=0\n",
		  "empty zone");

	/* blocks outside the zones (imports): header, then their lines */
	mmz_pool_alloc(&b, 256 << 10, 0, 0, "cma", &w);
	outlen = 0;
	mmz_format_loose_header(1, 256 << 10, collect, NULL);
	mmz_format_zone_blocks(&b, collect, NULL);
	CHECK_STR(out,
"\n"
"---MMZ_IMPORTS: number=1, size=256KB\n"
"   |-MMB: phys(0x1A0000000, 0x1A003FFFF), kvirt=0x00000000, flags=0x00000000, length=256KB,    name=\"cma\"\n",
		  "an import after the summary");
	mmz_pool_free(&b, w);

	mmz_pool_destroy(&a);
	mmz_pool_destroy(&b);
	CHECK_EQ(tops.live, 0, "metadata freed");
	return check_done("test_format");
}
