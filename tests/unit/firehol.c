// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "firehol.h"
#include "prefix.h"

int firehol_list_path(char path[PATH_MAX])
{
	static const char *const candidates[] = {
		"../shared/data/firehol_level1.netset",
		"/work/shared/data/firehol_level1.netset",
	};
	const char *found = getenv("XDPFW_FIREHOL");

	for (size_t i = 0; !found && i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (!access(candidates[i], R_OK))
			found = candidates[i];
	if (found && realpath(found, path))
		return 0;
	fprintf(stderr, "firehol_level1.netset not found: set XDPFW_FIREHOL to its path\n");
	return -1;
}

static int firehol_range_cmp(const void *a, const void *b)
{
	const struct firehol_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

struct firehol_range *firehol_ranges(const struct fw_set *set)
{
	struct firehol_range *ranges = calloc(set->count + 1, sizeof(*ranges));

	for (size_t i = 0; ranges && i < set->count; i++) {
		const struct fw_prefix *p = &set->elements[i].prefix;
		unsigned int bits = fw_prefix_written_len(p);
		uint32_t first;

		if (!fw_prefix_is_v4(p)) {
			free(ranges);
			return NULL;
		}
		memcpy(&first, p->addr + 12, 4);
		ranges[i].first = ntohl(first);
		ranges[i].last = ranges[i].first | (bits == 32 ? 0 : 0xffffffffu >> bits);
	}
	if (ranges)
		qsort(ranges, set->count, sizeof(*ranges), firehol_range_cmp);
	return ranges;
}

bool firehol_listed(const struct firehol_range *r, size_t n, uint32_t addr)
{
	for (size_t i = 0; i < n && r[i].first <= addr; i++)
		if (addr <= r[i].last)
			return true;
	return false;
}
