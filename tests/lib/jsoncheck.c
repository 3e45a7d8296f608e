// SPDX-License-Identifier: MIT
/*
 * jsoncheck: exit 0 when stdin is one valid JSON value (RFC 8259), else
 * print where it broke and exit 1. For the CLI tests (no python in the VM).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s, *start;

static void ws(void)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
}

static int value(int depth);

static int string(void)
{
	if (*s++ != '"')
		return 0;
	while (*s != '"') {
		unsigned char c = (unsigned char)*s++;

		if (c < 0x20)
			return 0;
		if (c == '\\') {
			c = (unsigned char)*s++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++, s++)
					if (!strchr("0123456789abcdefABCDEF", *s) || !*s)
						return 0;
			} else if (!c || !strchr("\"\\/bfnrt", c)) {
				return 0;
			}
		}
	}
	s++;
	return 1;
}

static int number(void)
{
	const char *b = s;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return s > b;
}

static int value(int depth)
{
	if (depth > 64)
		return 0;
	ws();
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		int obj = *s == '{';

		s++;
		ws();
		if (*s == close) {
			s++;
			return 1;
		}
		for (;;) {
			if (obj) {
				ws();
				if (!string())
					return 0;
				ws();
				if (*s++ != ':')
					return 0;
			}
			if (!value(depth + 1))
				return 0;
			ws();
			if (*s == ',') {
				s++;
				continue;
			}
			if (*s++ != close)
				return 0;
			return 1;
		}
	}
	if (*s == '"')
		return string();
	if (!strncmp(s, "true", 4) || !strncmp(s, "null", 4)) {
		s += 4;
		return 1;
	}
	if (!strncmp(s, "false", 5)) {
		s += 5;
		return 1;
	}
	return number();
}

int main(void)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	size_t r;

	if (!buf)
		return 2;
	while ((r = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += r;
		if (cap - len < 2) {
			buf = realloc(buf, cap *= 2);
			if (!buf)
				return 2;
		}
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		fprintf(stderr, "jsoncheck: NUL byte in input\n");
		return 1;
	}
	start = s = buf;
	if (value(0)) {
		ws();
		if (!*s)
			return 0;
	}
	fprintf(stderr, "jsoncheck: invalid JSON at byte %ld: \"%.20s\"\n",
		(long)(s - start), s);
	return 1;
}
