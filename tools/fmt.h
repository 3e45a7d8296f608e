/* SPDX-License-Identifier: MIT */
/* Text helpers of the mmz tool: sizes in and out, JSON strings. */
#ifndef MMZ_TOOLS_FMT_H
#define MMZ_TOOLS_FMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse "4096", "0x1000", "64K", "1M", "2G", "1MiB", "16KB" (binary units).
 * Return 0, or -EINVAL (not a size) / -ERANGE (does not fit 64 bits).
 */
int fmt_parse_size(const char *s, uint64_t *out);

/* "512 B", "4 KiB", "1.5 MiB", "32 MiB", "2 GiB" into @buf; returns @buf. */
char *fmt_size(uint64_t v, char *buf, size_t len);

/*
 * @in as the body of a JSON string (no quotes) into @out: " and \ escaped,
 * control characters and bytes >= 0x80 as \u00XX (so any byte string gives
 * valid JSON). Returns the length the full result needs (like snprintf);
 * @out is always NUL-terminated when @len > 0.
 */
size_t fmt_json_escape(char *out, size_t len, const char *in);

#endif
