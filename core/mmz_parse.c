// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Zone specs: the mmz= and map_mmz= module parameters.
 *
 *   mmz=<name>,<gfp>,<phys>,<size>[,<alloc_type>[,<block_align>]][:...]
 *   map_mmz=<phys>,<size>[:...]
 *
 * Numbers are hex (0x/0X) or decimal; phys, size and block_align may end
 * in K/M/G (either case, powers of 1024). A leading 0 does not mean octal.
 * The parser is strict: the strings come from the command line, and a
 * typo must stop the module from loading rather than carve a wrong zone.
 * Every error leaves one line in @err naming the entry and the field.
 */
#include "mmz_core.h"

#define PARSE_U64_MAX	(~(mmz_u64)0)

#define ZONE_FIELDS	6	/* name gfp phys size alloc_type block_align */
#define ZONE_REQUIRED	4
#define RANGE_FIELDS	2	/* phys size */

#define QUOTE_MAX	32	/* bytes of bad input shown before "..." */
#define QUOTE_BUF	(QUOTE_MAX * 4 + 4)	/* each byte up to "\xNN" */

struct field {
	const char *s;
	size_t len;
};

struct parse_ctx {
	const char *what;	/* "zone" or "range" */
	int idx;		/* 1-based entry number for messages */
	char *err;
	size_t errlen;
};

static const char *const zone_field[ZONE_FIELDS] = {
	"name", "gfp", "phys", "size", "alloc_type", "block_align",
};

static const char *const range_field[RANGE_FIELDS] = { "phys", "size" };

/*
 * A macro rather than a varargs function: mmz_os.h offers snprintf but not
 * stdarg. snprintf truncates and terminates; errlen 0 writes nothing.
 */
#define parse_err(c, fmt, ...)						\
	snprintf((c)->err, (c)->errlen, "%s %d" fmt, (c)->what, (c)->idx, \
		 ##__VA_ARGS__)

static void ctx_init(struct parse_ctx *c, const char *what, char *err,
		     size_t errlen)
{
	c->what = what;
	c->idx = 0;
	c->err = err;
	c->errlen = err ? errlen : 0;
	if (c->errlen)
		c->err[0] = '\0';
}

/* Bad input is escaped and capped so the message stays one short line. */
static const char *quote(char *buf, const struct field *f)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = f->len < QUOTE_MAX ? f->len : QUOTE_MAX;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)f->s[i];

		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch < 0x20 || ch > 0x7e) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[ch >> 4];
			buf[o++] = hex[ch & 15];
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (n < f->len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Exactly @len bytes. Returns 0, -EINVAL for bad syntax or -ERANGE when
 * the value does not fit 64 bits. Syntax is judged first, so "9...9x" is
 * "not a number" rather than "too large".
 */
static int parse_num(const char *s, size_t len, int suffix, mmz_u64 *val)
{
	unsigned int base = 10, shift = 0;
	mmz_u64 v = 0;
	size_t i = 0;
	int big = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (suffix && len > i) {
		switch (s[len - 1]) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		}
		if (shift)
			len--;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		int d = digit_value(s[i]);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > mmz_div64(PARSE_U64_MAX - (unsigned int)d, base))
			big = 1;
		else
			v = v * base + (unsigned int)d;
	}
	if (big || v > (PARSE_U64_MAX >> shift))
		return -ERANGE;
	*val = v << shift;
	return 0;
}

int mmz_parse_size(const char *s, size_t len, mmz_addr_t *val)
{
	mmz_u64 v;

	if (parse_num(s, len, 1, &v))
		return -EINVAL;
	*val = v;
	return 0;
}

static int get_num(const struct parse_ctx *c, const char *name,
		   const struct field *f, int suffix, mmz_u64 *val)
{
	char q[QUOTE_BUF];
	int ret = parse_num(f->s, f->len, suffix, val);

	if (ret == -ERANGE)
		parse_err(c, ": %s \"%s\" is too large", name, quote(q, f));
	else if (ret)
		parse_err(c, ": %s \"%s\" is not a number", name, quote(q, f));
	return ret ? -EINVAL : 0;
}

/*
 * Splits one ':'-separated entry starting at @p into ','-separated fields,
 * storing at most @max of them in @f. *@nf gets the real count so extra
 * fields are seen. Returns the entry's terminator (':' or NUL).
 */
static const char *split_entry(const char *p, struct field *f, int max,
			       int *nf)
{
	int n = 0;

	for (;;) {
		const char *s = p;

		while (*p && *p != ',' && *p != ':')
			p++;
		if (n < max) {
			f[n].s = s;
			f[n].len = (size_t)(p - s);
		}
		n++;
		if (*p != ',')
			break;
		p++;
	}
	*nf = n;
	return p;
}

/* Shape before content: empty fields, then extra ones, then missing ones. */
static int check_shape(const struct parse_ctx *c, const struct field *f,
		       int nf, const char *const *names, int required,
		       int max)
{
	int i;

	for (i = 0; i < nf && i < max; i++) {
		if (!f[i].len) {
			parse_err(c, ": %s is empty", names[i]);
			return -EINVAL;
		}
	}
	if (nf > max) {
		char q[QUOTE_BUF];

		parse_err(c, ": extra field \"%s\"", quote(q, &f[max]));
		return -EINVAL;
	}
	if (nf < required) {
		parse_err(c, ": missing %s", names[nf]);
		return -EINVAL;
	}
	return 0;
}

/* Inclusive ends, so a range may end at the very last byte. */
static int overlaps(mmz_u64 p1, mmz_u64 s1, mmz_u64 p2, mmz_u64 s2)
{
	return p1 <= p2 + (s2 - 1) && p2 <= p1 + (s1 - 1);
}

/* phys and size checks shared by zones and ranges. */
static int check_extent(const struct parse_ctx *c, const struct field *fs,
			mmz_u64 phys, mmz_u64 size, unsigned int flags)
{
	if (!size) {
		parse_err(c, ": size 0");
		return -EINVAL;
	}
	if ((flags & MMZ_PARSE_CMA) && (size & (MMZ_CMA_ALIGN - 1))) {
		char q[QUOTE_BUF];

		parse_err(c, ": size \"%s\" is not 4 MiB aligned (cma)",
			  quote(q, fs));
		return -EINVAL;
	}
	if (size - 1 > PARSE_U64_MAX - phys) {
		parse_err(c, ": phys + size overflows");
		return -EINVAL;
	}
	return 0;
}

static int check_name(const struct parse_ctx *c, const struct field *f,
		      const struct mmz_zone_spec *prev, int nprev)
{
	char q[QUOTE_BUF];
	size_t i;
	int j;

	if (f->len > MMZ_ZONE_NAME_LEN - 1) {
		parse_err(c, ": name longer than %d characters",
			  MMZ_ZONE_NAME_LEN - 1);
		return -EINVAL;
	}
	for (i = 0; i < f->len; i++) {
		unsigned char ch = f->s[i];

		/* ',' and ':' cannot occur: they end the field */
		if (ch <= ' ' || ch > 0x7e) {
			parse_err(c, ": name \"%s\" has bad character 0x%02x",
				  quote(q, f), ch);
			return -EINVAL;
		}
	}
	for (j = 0; j < nprev; j++) {
		if (!strncmp(prev[j].name, f->s, f->len) &&
		    prev[j].name[f->len] == '\0') {
			parse_err(c, ": name \"%s\" is used twice",
				  quote(q, f));
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Parses zone n + 1 into @z, checked against out[0..n). Built aside so
 * that @out only ever receives good zones.
 */
static int parse_zone(const struct parse_ctx *c, const struct field *f,
		      int nf, unsigned int flags, struct mmz_zone_spec *z,
		      const struct mmz_zone_spec *out, int n)
{
	char q[QUOTE_BUF];
	mmz_u64 v;
	int j;

	if (check_shape(c, f, nf, zone_field, ZONE_REQUIRED, ZONE_FIELDS))
		return -EINVAL;

	if (check_name(c, &f[0], out, n))
		return -EINVAL;
	memset(z, 0, sizeof(*z));
	memcpy(z->name, f[0].s, f[0].len);

	if (get_num(c, "gfp", &f[1], 0, &v))
		return -EINVAL;
	z->gfp = v;
	if (z->gfp != v) {	/* 32-bit unsigned long */
		parse_err(c, ": gfp \"%s\" is too large", quote(q, &f[1]));
		return -EINVAL;
	}

	if (get_num(c, "phys", &f[2], 1, &z->phys))
		return -EINVAL;
	if ((flags & MMZ_PARSE_CMA) && (z->phys & (MMZ_CMA_ALIGN - 1))) {
		parse_err(c, ": phys \"%s\" is not 4 MiB aligned (cma)",
			  quote(q, &f[2]));
		return -EINVAL;
	}

	if (get_num(c, "size", &f[3], 1, &z->size))
		return -EINVAL;
	if (check_extent(c, &f[3], z->phys, z->size, flags))
		return -EINVAL;

	if (nf > 4) {
		if (get_num(c, "alloc_type", &f[4], 0, &v))
			return -EINVAL;
		z->alloc_type = v;
		if (z->alloc_type != v) {
			parse_err(c, ": alloc_type \"%s\" is too large",
				  quote(q, &f[4]));
			return -EINVAL;
		}
	}

	if (nf > 5) {
		/* any value: a size multiple (alloc_type 2), as the vendor's */
		if (get_num(c, "block_align", &f[5], 1, &z->block_align))
			return -EINVAL;
	}

	for (j = 0; j < n; j++) {
		if (overlaps(z->phys, z->size, out[j].phys, out[j].size)) {
			parse_err(c, " \"%s\" overlaps zone %d \"%s\"",
				  z->name, j + 1, out[j].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_range(const struct parse_ctx *c, const struct field *f,
		       int nf, struct mmz_range *r,
		       const struct mmz_range *out, int n)
{
	int j;

	if (check_shape(c, f, nf, range_field, RANGE_FIELDS, RANGE_FIELDS))
		return -EINVAL;
	if (get_num(c, "phys", &f[0], 1, &r->phys) ||
	    get_num(c, "size", &f[1], 1, &r->size) ||
	    check_extent(c, &f[1], r->phys, r->size, 0))
		return -EINVAL;

	for (j = 0; j < n; j++) {
		if (overlaps(r->phys, r->size, out[j].phys, out[j].size)) {
			parse_err(c, " overlaps range %d", j + 1);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Checks common to every entry: an empty one is a stray ':', and one past
 * @max is -E2BIG (after the emptiness check, so "a,..:" stays -EINVAL).
 */
static int check_entry(const struct parse_ctx *c, const struct field *f,
		       int nf, int n, int max, const char *plural)
{
	if (nf == 1 && !f[0].len) {
		parse_err(c, ": empty");
		return -EINVAL;
	}
	if (n >= max) {
		parse_err(c, ": too many %s (at most %d)", plural,
			  max < 0 ? 0 : max);
		return -E2BIG;
	}
	return 0;
}

int mmz_parse_zones(const char *spec, struct mmz_zone_spec *out, int max,
		    unsigned int flags, char *err, size_t errlen)
{
	struct field f[ZONE_FIELDS + 1];
	struct mmz_zone_spec z;
	struct parse_ctx c;
	const char *p = spec;
	int n = 0, nf;

	ctx_init(&c, "zone", err, errlen);
	if (!p || !*p)
		return 0;
	for (;;) {
		int ret;

		c.idx = n + 1;
		p = split_entry(p, f, ZONE_FIELDS + 1, &nf);
		ret = check_entry(&c, f, nf, n, max, "zones");
		if (ret)
			return ret;
		if (parse_zone(&c, f, nf, flags, &z, out, n))
			return -EINVAL;
		out[n++] = z;
		if (!*p)
			return n;
		p++;	/* ':' */
	}
}

int mmz_parse_ranges(const char *spec, struct mmz_range *out, int max,
		     char *err, size_t errlen)
{
	struct field f[RANGE_FIELDS + 1];
	struct mmz_range r;
	struct parse_ctx c;
	const char *p = spec;
	int n = 0, nf;

	ctx_init(&c, "range", err, errlen);
	if (!p || !*p)
		return 0;
	for (;;) {
		int ret;

		c.idx = n + 1;
		p = split_entry(p, f, RANGE_FIELDS + 1, &nf);
		ret = check_entry(&c, f, nf, n, max, "ranges");
		if (ret)
			return ret;
		if (parse_range(&c, f, nf, &r, out, n))
			return -EINVAL;
		out[n++] = r;
		if (!*p)
			return n;
		p++;	/* ':' */
	}
}
