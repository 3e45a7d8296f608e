// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the zone-spec parser: any input returns a count or
 * an error with a NUL-terminated one-line message; accepted zones are
 * non-empty, do not wrap and do not overlap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mmz_core.h"

static void must(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmz_zone_spec zs[8];
	struct mmz_range rs[8];
	char spec[512], err[96];
	int n, i, j;

	if (size >= sizeof(spec) || !size)
		return 0;
	memcpy(spec, data + 1, size - 1);
	spec[size - 1] = 0;
	memset(err, 'x', sizeof(err));
	n = mmz_parse_zones(spec, zs, 8, data[0] & 1 ? MMZ_PARSE_CMA : 0,
			    err, sizeof(err));
	if (n < 0) {
		must(memchr(err, 0, sizeof(err)) != NULL);
		must(!strchr(err, '\n'));
		must(strlen(err) > 0);
	}
	for (i = 0; i < n; i++) {
		must(zs[i].size && zs[i].phys + (zs[i].size - 1) >= zs[i].phys);
		must(zs[i].name[0] && memchr(zs[i].name, 0, MMZ_ZONE_NAME_LEN));
		if (data[0] & 1)
			must(!(zs[i].phys % MMZ_CMA_ALIGN) &&
			     !(zs[i].size % MMZ_CMA_ALIGN));
		for (j = 0; j < i; j++)
			must(zs[i].phys > zs[j].phys + (zs[j].size - 1) ||
			     zs[j].phys > zs[i].phys + (zs[i].size - 1));
	}
	n = mmz_parse_ranges(spec, rs, 8, err, sizeof(err));
	if (n < 0)
		must(memchr(err, 0, sizeof(err)) != NULL);
	for (i = 0; i < n; i++)
		must(rs[i].size && rs[i].phys + (rs[i].size - 1) >= rs[i].phys);
	return 0;
}
