// SPDX-License-Identifier: MIT
/* The mmz tool's text helpers: size parsing and printing, JSON escaping. */
#include <errno.h>

#include "fmt.h"
#include "mmzt.h"

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;

	T_EQ(fmt_parse_size(s, &v), 0);
	T_CHECK(v == want, "fmt_parse_size(\"%s\") = %llu, want %llu", s,
		(unsigned long long)v, (unsigned long long)want);
}

static void size_str(uint64_t v, const char *want)
{
	char buf[32];

	T_STREQ(fmt_size(v, buf, sizeof(buf)), want);
}

static void json(const char *in, const char *want)
{
	char buf[128];
	size_t n = fmt_json_escape(buf, sizeof(buf), in);

	T_STREQ(buf, want);
	T_EQ(n, strlen(want));
}

int main(void)
{
	uint64_t v;
	char small[5];

	size_ok("4096", 4096);
	size_ok("0x1000", 4096);
	size_ok("0X1F", 31);
	size_ok("64K", 64 << 10);
	size_ok("64k", 64 << 10);
	size_ok("1M", 1 << 20);
	size_ok("1MiB", 1 << 20);
	size_ok("16KB", 16 << 10);
	size_ok("2G", 2ULL << 30);
	size_ok("1T", 1ULL << 40);
	size_ok("0", 0);
	size_ok("512B", 512);
	size_ok("18446744073709551615", UINT64_MAX);
	T_EQ(fmt_parse_size("", &v), -EINVAL);
	T_EQ(fmt_parse_size(NULL, &v), -EINVAL);
	T_EQ(fmt_parse_size("M", &v), -EINVAL);
	T_EQ(fmt_parse_size("12Q", &v), -EINVAL);
	T_EQ(fmt_parse_size("1MM", &v), -EINVAL);
	T_EQ(fmt_parse_size("0x", &v), -EINVAL);
	T_EQ(fmt_parse_size("-1", &v), -EINVAL);
	T_EQ(fmt_parse_size("1.5M", &v), -EINVAL);
	T_EQ(fmt_parse_size("18446744073709551616", &v), -ERANGE);
	T_EQ(fmt_parse_size("16777216T", &v), -ERANGE);

	size_str(0, "0 B");
	size_str(1023, "1023 B");
	size_str(1024, "1 KiB");
	size_str(1536, "1.5 KiB");
	size_str(32 << 20, "32 MiB");
	size_str(96 << 20, "96 MiB");
	size_str((1 << 20) + (512 << 10), "1.5 MiB");
	size_str(3ULL << 30, "3 GiB");
	size_str(UINT64_MAX, "16.0 EiB");

	json("anonymous", "anonymous");
	json("a\"b\\c", "a\\\"b\\\\c");
	json("tab\there\nnl", "tab\\there\\nnl");
	json("\x01\x1f", "\\u0001\\u001f");
	json("\xff\x80", "\\u00ff\\u0080");
	json("", "");
	T_EQ(fmt_json_escape(small, sizeof(small), "\"\"\"\""), 8);
	T_STREQ(small, "\\\"\\\"");
	T_EQ(fmt_json_escape(NULL, 0, "abc"), 3);
	return t_result("fmt");
}
