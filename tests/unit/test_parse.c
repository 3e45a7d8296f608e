// SPDX-License-Identifier: MIT
/*
 * mmz= / map_mmz= parsing: an accept table (every field of every zone
 * checked), a reject table (exact message and return), then the edges a
 * table cannot express: -E2BIG without writing past @max, @err truncation,
 * mmz_parse_size() on unterminated input, and every prefix of a spec.
 *
 * Inputs are copied into exact-size heap buffers so ASan catches a read
 * past the terminator (or past @len for mmz_parse_size).
 */
#include <stdlib.h>

#include "../../core/mmz_core.h"
#include "check.h"

#define KiB	(1ULL << 10)
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)
#define U64MAX	0xFFFFFFFFFFFFFFFFULL

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NAME31	"abcdefghijklmnopqrstuvwxyz01234"
#define NAME32	NAME31 "5"

static char *dup_exact(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

/* ---- mmz= accepted ---- */

struct zone_ok {
	const char *spec;
	unsigned int flags;
	int n;
	struct mmz_zone_spec z[5];
};

static const struct zone_ok zone_ok[] = {
	{ "", 0, 0, { { "", 0, 0, 0, 0, 0 } } },
	{ "anonymous,0,0x88000000,384M", 0, 1, {
		{ "anonymous", 0, 0x88000000, 384 * MiB, 0, 0 } } },
	{ "anonymous,0,0x88000000,320M:vdec,0,0x9C000000,64M", 0, 2, {
		{ "anonymous", 0, 0x88000000, 320 * MiB, 0, 0 },
		{ "vdec", 0, 0x9C000000, 64 * MiB, 0, 0 } } },
	/* all six fields; hex and decimal; 0X prefix; hex digits in caps */
	{ "a,208,4096,4k,2,0x1000", 0, 1, {
		{ "a", 208, 4096, 4096, 2, 0x1000 } } },
	{ "a,0xd0,0XaBcDeF000,0x1000,0X1f,0", 0, 1, {
		{ "a", 0xd0, 0xABCDEF000ULL, 0x1000, 0x1f, 0 } } },
	/* every suffix, either case, on phys and size; touching zones */
	{ "a,0,1g,1G:b,0,2G,1m:c,0,0x80100000,1M:d,0,0,1k:e,0,1K,3K", 0, 5, {
		{ "a", 0, 1 * GiB, 1 * GiB, 0, 0 },
		{ "b", 0, 2 * GiB, 1 * MiB, 0, 0 },
		{ "c", 0, 2 * GiB + MiB, 1 * MiB, 0, 0 },
		{ "d", 0, 0, 1 * KiB, 0, 0 },
		{ "e", 0, 1 * KiB, 3 * KiB, 0, 0 } } },
	/* suffix after hex digits; block_align with a suffix */
	{ "a,0,0x10M,0x2m,1,1M", 0, 1, {
		{ "a", 0, 16 * MiB, 2 * MiB, 1, 1 * MiB } } },
	/* leading zeros are decimal, not octal */
	{ "a,010,0010,0100", 0, 1, { { "a", 10, 10, 100, 0, 0 } } },
	/* block_align is any size multiple, as the vendor's */
	{ "a,0,0,1,0,1", 0, 1, { { "a", 0, 0, 1, 0, 1 } } },
	{ "a,0,0,1M,2,3", 0, 1, { { "a", 0, 0, 1 * MiB, 2, 3 } } },
	{ "a,0,0,1M,2,3K", 0, 1, { { "a", 0, 0, 1 * MiB, 2, 3 * KiB } } },
	{ "a,0,0,1M,2,0xFFFFFFFFFFFFFFFF", 0, 1, {
		{ "a", 0, 0, 1 * MiB, 2, 0xFFFFFFFFFFFFFFFFULL } } },
	/* 31-character name; every punctuation class that is allowed */
	{ NAME31 ",0,0,1", 0, 1, { { NAME31, 0, 0, 1, 0, 0 } } },
	{ "!\"#$%&'()*+-./;<=>?@[\\]^_`{|}~,0,0,1", 0, 1, {
		{ "!\"#$%&'()*+-./;<=>?@[\\]^_`{|}~", 0, 0, 1, 0, 0 } } },
	/* names are case-sensitive; a prefix is another name */
	{ "vdec,0,0,1:VDEC,0,1,1", 0, 2, {
		{ "vdec", 0, 0, 1, 0, 0 }, { "VDEC", 0, 1, 1, 0, 0 } } },
	{ "vdec0,0,0,1:vdec,0,1,1:vdec01,0,2,1", 0, 3, {
		{ "vdec0", 0, 0, 1, 0, 0 }, { "vdec", 0, 1, 1, 0, 0 },
		{ "vdec01", 0, 2, 1, 0, 0 } } },
	/* the top of the address space */
	{ "top,0,0xFFFFFFFFFFC00000,4M", MMZ_PARSE_CMA, 1, {
		{ "top", 0, 0xFFFFFFFFFFC00000ULL, 4 * MiB, 0, 0 } } },
	{ "last,0,0xFFFFFFFFFFFFFFFF,1", 0, 1, {
		{ "last", 0, U64MAX, 1, 0, 0 } } },
	{ "all,0,1,0xFFFFFFFFFFFFFFFF", 0, 1, {
		{ "all", 0, 1, U64MAX, 0, 0 } } },
	{ "dec,4294967295,0,18446744073709551615", 0, 1, {
		{ "dec", 0xFFFFFFFFUL, 0, U64MAX, 0, 0 } } },
	{ "g,0,0,17179869183G", 0, 1, {
		{ "g", 0, 0, U64MAX - GiB + 1, 0, 0 } } },
	{ "k,0,0,0x3FFFFFFFFFFFFFK,4294967295,0x8000000000000000", 0, 1, {
		{ "k", 0, 0, 0xFFFFFFFFFFFFFC00ULL, 0xFFFFFFFFu,
		  0x8000000000000000ULL } } },
	/* cma: 4 MiB multiples */
	{ "anonymous,0,0x88000000,384M:vdec,0,0xA0000000,4M", MMZ_PARSE_CMA, 2, {
		{ "anonymous", 0, 0x88000000, 384 * MiB, 0, 0 },
		{ "vdec", 0, 0xA0000000, 4 * MiB, 0, 0 } } },
	{ "z,0,0,4096M", MMZ_PARSE_CMA, 1, { { "z", 0, 0, 4 * GiB, 0, 0 } } },
};

static void test_zone_ok(void)
{
	size_t i;
	int j;

	for (i = 0; i < ARRAY_SIZE(zone_ok); i++) {
		const struct zone_ok *t = &zone_ok[i];
		struct mmz_zone_spec out[MMZ_MAX_ZONES];
		char err[128] = "junk";
		char *spec = dup_exact(t->spec);
		int n;

		memset(out, 0xa5, sizeof(out));
		n = mmz_parse_zones(spec, out, MMZ_MAX_ZONES, t->flags,
				    err, sizeof(err));
		CHECK_EQ(n, t->n, "%s: %s", t->spec, err);
		CHECK_STR(err, "", "%s: err cleared on success", t->spec);
		for (j = 0; j < t->n && j < n; j++) {
			const struct mmz_zone_spec *w = &t->z[j];

			CHECK_STR(out[j].name, w->name, "%s #%d", t->spec, j);
			CHECK_EQ(out[j].gfp, w->gfp, "%s #%d", t->spec, j);
			CHECK_EQ(out[j].phys, w->phys, "%s #%d", t->spec, j);
			CHECK_EQ(out[j].size, w->size, "%s #%d", t->spec, j);
			CHECK_EQ(out[j].alloc_type, w->alloc_type, "%s #%d",
				 t->spec, j);
			CHECK_EQ(out[j].block_align, w->block_align, "%s #%d",
				 t->spec, j);
		}
		free(spec);
	}

	CHECK_EQ(mmz_parse_zones(NULL, NULL, 0, 0, NULL, 0), 0, "NULL spec");
	CHECK_EQ(mmz_parse_zones("", NULL, 0, 0, NULL, 0), 0, "empty, max 0");
}

/* ---- mmz= refused ---- */

struct zone_bad {
	const char *spec;
	unsigned int flags;
	int max;		/* 0 means MMZ_MAX_ZONES */
	int ret;
	const char *msg;
};

static const struct zone_bad zone_bad[] = {
	/* numbers */
	{ "a,0,0x1000,38x", 0, 0, -EINVAL,
	  "zone 1: size \"38x\" is not a number" },
	{ "a,0,0,1M:b,0,0x100000,38x", 0, 0, -EINVAL,
	  "zone 2: size \"38x\" is not a number" },
	{ "a,x,0,1M", 0, 0, -EINVAL, "zone 1: gfp \"x\" is not a number" },
	{ "a,1K,0,1M", 0, 0, -EINVAL, "zone 1: gfp \"1K\" is not a number" },
	{ "a,0,0,1M,1k", 0, 0, -EINVAL,
	  "zone 1: alloc_type \"1k\" is not a number" },
	{ "a,0,0x,1M", 0, 0, -EINVAL, "zone 1: phys \"0x\" is not a number" },
	{ "a,0,0xG,1M", 0, 0, -EINVAL,
	  "zone 1: phys \"0xG\" is not a number" },
	{ "a,0,K,1M", 0, 0, -EINVAL, "zone 1: phys \"K\" is not a number" },
	{ "a,0,0,-1", 0, 0, -EINVAL, "zone 1: size \"-1\" is not a number" },
	{ "a,0,0,+1", 0, 0, -EINVAL, "zone 1: size \"+1\" is not a number" },
	{ "a,0,0, 1", 0, 0, -EINVAL, "zone 1: size \" 1\" is not a number" },
	{ "a,0,0,1 ", 0, 0, -EINVAL, "zone 1: size \"1 \" is not a number" },
	{ "a,0,0,1KK", 0, 0, -EINVAL,
	  "zone 1: size \"1KK\" is not a number" },
	{ "a,0,0,1KB", 0, 0, -EINVAL,
	  "zone 1: size \"1KB\" is not a number" },
	{ "a,0,0,1T", 0, 0, -EINVAL, "zone 1: size \"1T\" is not a number" },
	{ "a,0,0,1.5M", 0, 0, -EINVAL,
	  "zone 1: size \"1.5M\" is not a number" },
	{ "a,0,0,0b1", 0, 0, -EINVAL,
	  "zone 1: size \"0b1\" is not a number" },
	{ "a,0,0,0x0x1", 0, 0, -EINVAL,
	  "zone 1: size \"0x0x1\" is not a number" },
	{ "a,0,0,1M,0,0x", 0, 0, -EINVAL,
	  "zone 1: block_align \"0x\" is not a number" },
	/* syntax is judged before size */
	{ "a,0,0,99999999999999999999x", 0, 0, -EINVAL,
	  "zone 1: size \"99999999999999999999x\" is not a number" },
	/* too large while parsing or while applying the suffix */
	{ "a,0,0,0x10000000000000000", 0, 0, -EINVAL,
	  "zone 1: size \"0x10000000000000000\" is too large" },
	{ "a,0,0,18446744073709551616", 0, 0, -EINVAL,
	  "zone 1: size \"18446744073709551616\" is too large" },
	{ "a,0,0,17179869184G", 0, 0, -EINVAL,
	  "zone 1: size \"17179869184G\" is too large" },
	{ "a,0,0x40000000000000K,1", 0, 0, -EINVAL,
	  "zone 1: phys \"0x40000000000000K\" is too large" },
	{ "a,0,0,0x100000000000m", 0, 0, -EINVAL,
	  "zone 1: size \"0x100000000000m\" is too large" },
	{ "a,99999999999999999999,0,1M", 0, 0, -EINVAL,
	  "zone 1: gfp \"99999999999999999999\" is too large" },
	{ "a,0,0,1M,0x100000000", 0, 0, -EINVAL,
	  "zone 1: alloc_type \"0x100000000\" is too large" },
	{ "a,0,0,1M,0,0x10000000000000000", 0, 0, -EINVAL,
	  "zone 1: block_align \"0x10000000000000000\" is too large" },
	/* size and end */
	{ "a,0,0,0", 0, 0, -EINVAL, "zone 1: size 0" },
	{ "a,0,0,0x0K", 0, 0, -EINVAL, "zone 1: size 0" },
	{ "a,0,0,1M:b,0,1M,0", 0, 0, -EINVAL, "zone 2: size 0" },
	{ "a,0,0xFFFFFFFFFFC00000,0x400001", 0, 0, -EINVAL,
	  "zone 1: phys + size overflows" },
	{ "a,0,0xFFFFFFFFFFC00001,4M", 0, 0, -EINVAL,
	  "zone 1: phys + size overflows" },
	{ "a,0,0xFFFFFFFFFFC00000,8M", MMZ_PARSE_CMA, 0, -EINVAL,
	  "zone 1: phys + size overflows" },
	{ "a,0,2,0xFFFFFFFFFFFFFFFF", 0, 0, -EINVAL,
	  "zone 1: phys + size overflows" },
	/* cma alignment */
	{ "a,0,0x1000,4M", MMZ_PARSE_CMA, 0, -EINVAL,
	  "zone 1: phys \"0x1000\" is not 4 MiB aligned (cma)" },
	{ "a,0,0,6M", MMZ_PARSE_CMA, 0, -EINVAL,
	  "zone 1: size \"6M\" is not 4 MiB aligned (cma)" },
	{ "a,0,2M,4M", MMZ_PARSE_CMA, 0, -EINVAL,
	  "zone 1: phys \"2M\" is not 4 MiB aligned (cma)" },
	{ "a,0,0,4M:b,0,4M,4194305", MMZ_PARSE_CMA, 0, -EINVAL,
	  "zone 2: size \"4194305\" is not 4 MiB aligned (cma)" },
	{ "a,0,0,0", MMZ_PARSE_CMA, 0, -EINVAL, "zone 1: size 0" },
	/* overlaps, reported against the lowest earlier zone */
	{ "anonymous,0,0x88000000,384M:vdec,0,0x9C000000,64M", 0, 0, -EINVAL,
	  "zone 2 \"vdec\" overlaps zone 1 \"anonymous\"" },
	{ "anonymous,0,0x88000000,384M:x,0,0,1M:vdec,0,0x9C000000,64M",
	  0, 0, -EINVAL, "zone 3 \"vdec\" overlaps zone 1 \"anonymous\"" },
	{ "a,0,0,4097:b,0,4096,1", 0, 0, -EINVAL,
	  "zone 2 \"b\" overlaps zone 1 \"a\"" },
	{ "a,0,4096,1:b,0,0,4097", 0, 0, -EINVAL,
	  "zone 2 \"b\" overlaps zone 1 \"a\"" },
	{ "a,0,1M,1M:b,0,0,1G", 0, 0, -EINVAL,
	  "zone 2 \"b\" overlaps zone 1 \"a\"" },
	{ "a,0,0,1G:b,0,1M,1M", 0, 0, -EINVAL,
	  "zone 2 \"b\" overlaps zone 1 \"a\"" },
	{ "a,0,0,1M:b,0,2M,1M:c,0,2M,1M", 0, 0, -EINVAL,
	  "zone 3 \"c\" overlaps zone 2 \"b\"" },
	{ "a,0,0xFFFFFFFFFFFFFFFF,1:b,0,0xFFFFFFFFFFFFF000,4K", 0, 0, -EINVAL,
	  "zone 2 \"b\" overlaps zone 1 \"a\"" },
	/* names */
	{ ",0,0,1M", 0, 0, -EINVAL, "zone 1: name is empty" },
	{ NAME32 ",0,0,1M", 0, 0, -EINVAL,
	  "zone 1: name longer than 31 characters" },
	{ "a b,0,0,1M", 0, 0, -EINVAL,
	  "zone 1: name \"a b\" has bad character 0x20" },
	{ "a\tb,0,0,1M", 0, 0, -EINVAL,
	  "zone 1: name \"a\\x09b\" has bad character 0x09" },
	{ "a\x7f,0,0,1M", 0, 0, -EINVAL,
	  "zone 1: name \"a\\x7f\" has bad character 0x7f" },
	{ "caf\xc3\xa9,0,0,1M", 0, 0, -EINVAL,
	  "zone 1: name \"caf\\xc3\\xa9\" has bad character 0xc3" },
	{ "anonymous,0,0,1M:anonymous,0,1M,1M", 0, 0, -EINVAL,
	  "zone 2: name \"anonymous\" is used twice" },
	{ "a,0,0,1:ab,0,1,1:ab,0,2,1", 0, 0, -EINVAL,
	  "zone 3: name \"ab\" is used twice" },
	{ NAME31 ",0,0,1:" NAME31 ",0,1,1", 0, 0, -EINVAL,
	  "zone 2: name \"" NAME31 "\" is used twice" },
	/* shape */
	{ "a", 0, 0, -EINVAL, "zone 1: missing gfp" },
	{ "a,0", 0, 0, -EINVAL, "zone 1: missing phys" },
	{ "a,0,0", 0, 0, -EINVAL, "zone 1: missing size" },
	{ "a,0,0,1M:b,0,1M", 0, 0, -EINVAL, "zone 2: missing size" },
	{ "a,,0,1M", 0, 0, -EINVAL, "zone 1: gfp is empty" },
	{ "a,0,,1M", 0, 0, -EINVAL, "zone 1: phys is empty" },
	{ "a,0,0,", 0, 0, -EINVAL, "zone 1: size is empty" },
	{ "a,,", 0, 0, -EINVAL, "zone 1: gfp is empty" },
	{ "a,0,0,1M,", 0, 0, -EINVAL, "zone 1: alloc_type is empty" },
	{ "a,0,0,1M,0,", 0, 0, -EINVAL, "zone 1: block_align is empty" },
	{ "a,0,0,1M,,0", 0, 0, -EINVAL, "zone 1: alloc_type is empty" },
	{ "a,0,0,1M,0,0,", 0, 0, -EINVAL, "zone 1: extra field \"\"" },
	{ "a,0,0,1M,0,0,7", 0, 0, -EINVAL, "zone 1: extra field \"7\"" },
	{ "a,0,0,1M,0,0,7,8", 0, 0, -EINVAL, "zone 1: extra field \"7\"" },
	{ "a,0,0,1M:", 0, 0, -EINVAL, "zone 2: empty" },
	{ ":a,0,0,1M", 0, 0, -EINVAL, "zone 1: empty" },
	{ ":", 0, 0, -EINVAL, "zone 1: empty" },
	{ "a,0,0,1M::b,0,1M,1M", 0, 0, -EINVAL, "zone 2: empty" },
	{ ",", 0, 0, -EINVAL, "zone 1: name is empty" },
	{ "a,0,0,1M:,", 0, 0, -EINVAL, "zone 2: name is empty" },
	/* the first bad zone wins, whatever follows */
	{ "a,0,0,0:b", 0, 0, -EINVAL, "zone 1: size 0" },
	/* bad text is escaped and capped at 32 bytes */
	{ "a,0,0,1\"\n", 0, 0, -EINVAL,
	  "zone 1: size \"1\\\"\\x0a\" is not a number" },
	{ "a,0,0,1\\", 0, 0, -EINVAL,
	  "zone 1: size \"1\\\\\" is not a number" },
	{ "a,0,0,0123456789abcdef0123456789abcdefXYZ", 0, 0, -EINVAL,
	  "zone 1: size \"0123456789abcdef0123456789abcdef...\" "
	  "is not a number" },
	/* more than max */
	{ "a,0,0,1M:b,0,1M,1M:c,0,2M,1M", 0, 2, -E2BIG,
	  "zone 3: too many zones (at most 2)" },
	{ "a,0,0,1M:b,0,1M,1M:junk", 0, 2, -E2BIG,
	  "zone 3: too many zones (at most 2)" },
	{ "a,0,0,1M", 0, -1, -E2BIG, "zone 1: too many zones (at most 0)" },
	/* a stray ':' is a syntax error even at the limit */
	{ "a,0,0,1M:", 0, 1, -EINVAL, "zone 2: empty" },
};

static void test_zone_bad(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(zone_bad); i++) {
		const struct zone_bad *t = &zone_bad[i];
		struct mmz_zone_spec out[MMZ_MAX_ZONES];
		int max = t->max ? t->max : MMZ_MAX_ZONES;
		char err[160];
		char *spec = dup_exact(t->spec);
		int ret;

		memset(err, 'Z', sizeof(err));
		ret = mmz_parse_zones(spec, out, max, t->flags, err,
				      sizeof(err));
		CHECK_EQ(ret, t->ret, "%s", t->spec);
		CHECK_STR(err, t->msg, "%s", t->spec);
		free(spec);
	}
}

/* gfp is an unsigned long: 64 or 32 bits depending on the kernel */
static void test_gfp_width(void)
{
	struct mmz_zone_spec out[1];
	char err[96];
	int n;

	n = mmz_parse_zones("a,0x100000000,0,1", out, 1, 0, err, sizeof(err));
	if (sizeof(unsigned long) > 4) {
		CHECK_EQ(n, 1, "%s", err);
		CHECK_EQ(out[0].gfp, 0x100000000ULL, "64-bit gfp");
		n = mmz_parse_zones("a,18446744073709551615,0,1", out, 1, 0,
				    err, sizeof(err));
		CHECK_EQ(n, 1, "%s", err);
		CHECK_EQ(out[0].gfp, U64MAX, "64-bit gfp");
	} else {
		CHECK_EQ(n, -EINVAL, "32-bit gfp");
		CHECK_STR(err, "zone 1: gfp \"0x100000000\" is too large",
			  "32-bit gfp");
	}
}

/* ---- map_mmz= ---- */

struct range_ok {
	const char *spec;
	int n;
	struct mmz_range r[3];
};

static const struct range_ok range_ok[] = {
	{ "", 0, { { 0, 0 } } },
	{ "0x88000000,384M", 1, { { 0x88000000, 384 * MiB } } },
	{ "0,1M:1M,1M:3m,4096", 3, {
		{ 0, 1 * MiB }, { 1 * MiB, 1 * MiB }, { 3 * MiB, 4096 } } },
	{ "0x1000,1:4096g,2k", 2, { { 0x1000, 1 }, { 4096 * GiB, 2 * KiB } } },
	{ "0xFFFFFFFFFFC00000,4M", 1, { { 0xFFFFFFFFFFC00000ULL, 4 * MiB } } },
	{ "1,0xFFFFFFFFFFFFFFFF", 1, { { 1, U64MAX } } },
	/* not cma-checked: ranges take no flags */
	{ "0x1001,3", 1, { { 0x1001, 3 } } },
};

struct range_bad {
	const char *spec;
	int max;		/* 0 means MMZ_MAX_ZONES */
	int ret;
	const char *msg;
};

static const struct range_bad range_bad[] = {
	{ "0,x", 0, -EINVAL, "range 1: size \"x\" is not a number" },
	{ "0,1M:0x100000,x", 0, -EINVAL,
	  "range 2: size \"x\" is not a number" },
	{ "y,1M", 0, -EINVAL, "range 1: phys \"y\" is not a number" },
	{ "0,0x10000000000000000", 0, -EINVAL,
	  "range 1: size \"0x10000000000000000\" is too large" },
	{ "0", 0, -EINVAL, "range 1: missing size" },
	{ "0,", 0, -EINVAL, "range 1: size is empty" },
	{ ",1M", 0, -EINVAL, "range 1: phys is empty" },
	{ "0,1M,", 0, -EINVAL, "range 1: extra field \"\"" },
	{ "0,1M,5", 0, -EINVAL, "range 1: extra field \"5\"" },
	{ "0,0", 0, -EINVAL, "range 1: size 0" },
	{ "0xFFFFFFFFFFC00000,0x400001", 0, -EINVAL,
	  "range 1: phys + size overflows" },
	{ "0,1M:0x80000,1M", 0, -EINVAL, "range 2 overlaps range 1" },
	{ "0,1M:2M,1M:0,3M", 0, -EINVAL, "range 3 overlaps range 1" },
	{ "0,1M:", 0, -EINVAL, "range 2: empty" },
	{ ":", 0, -EINVAL, "range 1: empty" },
	{ "0,1M:1M,1M", 1, -E2BIG, "range 2: too many ranges (at most 1)" },
};

static void test_ranges(void)
{
	size_t i;
	int j;

	for (i = 0; i < ARRAY_SIZE(range_ok); i++) {
		const struct range_ok *t = &range_ok[i];
		struct mmz_range out[MMZ_MAX_ZONES];
		char err[128] = "junk";
		char *spec = dup_exact(t->spec);
		int n;

		n = mmz_parse_ranges(spec, out, MMZ_MAX_ZONES, err,
				     sizeof(err));
		CHECK_EQ(n, t->n, "%s: %s", t->spec, err);
		CHECK_STR(err, "", "%s", t->spec);
		for (j = 0; j < t->n && j < n; j++) {
			CHECK_EQ(out[j].phys, t->r[j].phys, "%s #%d",
				 t->spec, j);
			CHECK_EQ(out[j].size, t->r[j].size, "%s #%d",
				 t->spec, j);
		}
		free(spec);
	}
	for (i = 0; i < ARRAY_SIZE(range_bad); i++) {
		const struct range_bad *t = &range_bad[i];
		struct mmz_range out[MMZ_MAX_ZONES];
		char err[128];
		char *spec = dup_exact(t->spec);
		int ret;

		memset(err, 'Z', sizeof(err));
		ret = mmz_parse_ranges(spec, out,
				       t->max ? t->max : MMZ_MAX_ZONES,
				       err, sizeof(err));
		CHECK_EQ(ret, t->ret, "%s", t->spec);
		CHECK_STR(err, t->msg, "%s", t->spec);
		free(spec);
	}
	CHECK_EQ(mmz_parse_ranges(NULL, NULL, 0, NULL, 0), 0, "NULL spec");
}

/* ---- max: exactly full, one over, nothing written past @max ---- */

static void build_zones(char *buf, size_t len, int n)
{
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		o += snprintf(buf + o, len - o, "%sz%d,0,%dM,1M",
			      i ? ":" : "", i, i);
}

static void test_max(void)
{
	struct mmz_zone_spec out[MMZ_MAX_ZONES + 1];
	struct mmz_range rout[3];
	char spec[64 * (MMZ_MAX_ZONES + 1)];
	char err[128];
	int i, n;

	build_zones(spec, sizeof(spec), MMZ_MAX_ZONES);
	n = mmz_parse_zones(spec, out, MMZ_MAX_ZONES, 0,
			    err, sizeof(err));
	CHECK_EQ(n, MMZ_MAX_ZONES, "32 zones: %s", err);
	for (i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "z%d", i);
		CHECK_STR(out[i].name, name, "zone %d", i);
		CHECK_EQ(out[i].phys, i * MiB, "zone %d", i);
		CHECK_EQ(out[i].size, MiB, "zone %d", i);
	}

	/* one more: -E2BIG, and out[max] is never touched */
	build_zones(spec, sizeof(spec), MMZ_MAX_ZONES + 1);
	memset(&out[MMZ_MAX_ZONES], 0x5a, sizeof(out[0]));
	n = mmz_parse_zones(spec, out, MMZ_MAX_ZONES, 0, err, sizeof(err));
	CHECK_EQ(n, -E2BIG, "33 zones");
	CHECK_STR(err, "zone 33: too many zones (at most 32)", "33 zones");
	for (i = 0; i < (int)sizeof(out[0]); i++)
		if (((unsigned char *)&out[MMZ_MAX_ZONES])[i] != 0x5a)
			break;
	CHECK_EQ(i, sizeof(out[0]), "out[max] untouched");

	/* max 0 with a NULL array */
	n = mmz_parse_zones("a,0,0,1", NULL, 0, 0, err, sizeof(err));
	CHECK_EQ(n, -E2BIG, "max 0");
	CHECK_STR(err, "zone 1: too many zones (at most 0)", "max 0");

	memset(&rout[2], 0x5a, sizeof(rout[2]));
	n = mmz_parse_ranges("0,1:1,1:2,1", rout, 2, err, sizeof(err));
	CHECK_EQ(n, -E2BIG, "3 ranges, max 2");
	CHECK_STR(err, "range 3: too many ranges (at most 2)", "ranges");
	CHECK_EQ(rout[2].phys, 0x5a5a5a5a5a5a5a5aULL, "rout[max] untouched");
	n = mmz_parse_ranges("0,1:1,1", rout, 2, err, sizeof(err));
	CHECK_EQ(n, 2, "2 ranges, max 2");
}

/* ---- @err: truncation, errlen 0, NULL ---- */

static void test_errlen(void)
{
	static const char *const specs[] = { "a,0,0,38x", "a,0,0,1M:" };
	static const char *const full[] = {
		"zone 1: size \"38x\" is not a number", "zone 2: empty",
	};
	struct mmz_zone_spec out[4];
	struct mmz_range rout[4];
	size_t i, len;

	for (i = 0; i < 2; i++) {
		for (len = 1; len <= strlen(full[i]) + 2; len++) {
			char *err = malloc(len);	/* exact: ASan guards */
			size_t want = strlen(full[i]) < len - 1 ?
				      strlen(full[i]) : len - 1;
			int ret;

			memset(err, 'Z', len);
			ret = mmz_parse_zones(specs[i], out, 4, 0, err, len);
			CHECK_EQ(ret, -EINVAL, "errlen %zu", len);
			CHECK_EQ(strnlen(err, len), want, "errlen %zu", len);
			CHECK(!strncmp(err, full[i], want), "errlen %zu: %s",
			      len, err);
			free(err);
		}
	}

	/* errlen 0: nothing written at all */
	{
		char err[4] = "abc";

		CHECK_EQ(mmz_parse_zones("a", out, 4, 0, err, 0), -EINVAL,
			 "errlen 0");
		CHECK_STR(err, "abc", "errlen 0 leaves err alone");
		CHECK_EQ(mmz_parse_zones("a", out, 4, 0, NULL, 0), -EINVAL,
			 "err NULL");
		CHECK_EQ(mmz_parse_zones("a", out, 4, 0, NULL, 99), -EINVAL,
			 "err NULL, errlen ignored");
		CHECK_EQ(mmz_parse_ranges("0", rout, 4, NULL, 0), -EINVAL,
			 "ranges, err NULL");
	}
	/* small buffer for map_mmz too */
	{
		char *err = malloc(6);

		CHECK_EQ(mmz_parse_ranges("0,x", rout, 4, err, 6), -EINVAL,
			 "ranges errlen 6");
		CHECK_STR(err, "range", "ranges errlen 6");
		free(err);
	}
}

/* ---- mmz_parse_size ---- */

struct size_case {
	const char *s;
	size_t len;		/* (size_t)-1: strlen */
	int ret;
	mmz_addr_t val;
};

static const struct size_case size_cases[] = {
	{ "384M", -1, 0, 384 * MiB },
	{ "0x1000", -1, 0, 0x1000 },
	{ "0X1000", -1, 0, 0x1000 },
	{ "4k", -1, 0, 4 * KiB },
	{ "4K", -1, 0, 4 * KiB },
	{ "2m", -1, 0, 2 * MiB },
	{ "3g", -1, 0, 3 * GiB },
	{ "3G", -1, 0, 3 * GiB },
	{ "12", -1, 0, 12 },
	{ "0", -1, 0, 0 },
	{ "0K", -1, 0, 0 },
	{ "007", -1, 0, 7 },
	{ "0xfK", -1, 0, 15 * KiB },
	{ "18446744073709551615", -1, 0, U64MAX },
	{ "0xFFFFFFFFFFFFFFFF", -1, 0, U64MAX },
	{ "0x00000000000000000001", -1, 0, 1 },
	{ "16777215T", -1, -EINVAL, 0 },
	{ "17179869183G", -1, 0, U64MAX - GiB + 1 },
	{ "17179869184G", -1, -EINVAL, 0 },
	{ "18446744073709551616", -1, -EINVAL, 0 },
	{ "0x10000000000000000", -1, -EINVAL, 0 },
	{ "", -1, -EINVAL, 0 },
	{ "0x", -1, -EINVAL, 0 },
	{ "M", -1, -EINVAL, 0 },
	{ "1MK", -1, -EINVAL, 0 },
	{ "12a", -1, -EINVAL, 0 },
	{ "1,", -1, -EINVAL, 0 },
	/* exactly len bytes: what follows is ignored */
	{ "4k1", 2, 0, 4 * KiB },
	{ "12", 1, 0, 1 },
	{ "384M,junk", 4, 0, 384 * MiB },
	{ "0x10", 3, 0, 1 },
	{ "0x10", 2, -EINVAL, 0 },
	{ "1", 0, -EINVAL, 0 },
};

static void test_size(void)
{
	static const char unterminated[3] = { '1', '2', 'M' };
	mmz_addr_t v;
	size_t i;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *t = &size_cases[i];
		size_t len = t->len == (size_t)-1 ? strlen(t->s) : t->len;
		int ret;

		/* an unterminated heap copy: any read past len trips ASan */
		buf = malloc(len ? len : 1);
		memcpy(buf, t->s, len);
		v = 0x1234;
		ret = mmz_parse_size(buf, len, &v);
		CHECK_EQ(ret, t->ret, "\"%s\" len %zu", t->s, len);
		CHECK_EQ(v, t->ret ? 0x1234 : t->val, "\"%s\" len %zu",
			 t->s, len);
		free(buf);
	}
	buf = malloc(sizeof(unterminated));
	memcpy(buf, unterminated, sizeof(unterminated));
	CHECK_EQ(mmz_parse_size(buf, 3, &v), 0, "unterminated");
	CHECK_EQ(v, 12 * MiB, "unterminated");
	free(buf);
	CHECK_EQ(mmz_parse_size(NULL, 0, &v), -EINVAL, "NULL, len 0");
}

/*
 * Every prefix of a long spec, cut anywhere: never a crash or an overread,
 * always a count or -EINVAL with a terminated message.
 */
static void test_prefixes(void)
{
	static const char full[] =
		"anonymous,0xd0,0x88000000,384M,1,0x1000:"
		"vdec,0,0xA0000000,64m:x,1,4G,1g,2,4k";
	struct mmz_zone_spec out[4];
	size_t len;
	int bad = 0;

	for (len = 0; len <= sizeof(full) - 1; len++) {
		char *spec = malloc(len + 1);
		char err[96];
		int ret;

		memcpy(spec, full, len);
		spec[len] = '\0';
		memset(err, 'Z', sizeof(err));
		ret = mmz_parse_zones(spec, out, 4, 0, err, sizeof(err));
		if (ret < 0 && (ret != -EINVAL || !memchr(err, 0, sizeof(err)) ||
				!err[0]))
			bad++;
		if (ret >= 0 && err[0])
			bad++;
		free(spec);
	}
	CHECK_EQ(bad, 0, "prefixes");
	CHECK_EQ(mmz_parse_zones(full, out, 4, 0, NULL, 0), 3, "full spec");
}

int main(void)
{
	test_zone_ok();
	test_zone_bad();
	test_gfp_width();
	test_ranges();
	test_max();
	test_errlen();
	test_size();
	test_prefixes();
	return check_done("test_parse");
}
