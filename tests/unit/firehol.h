/* SPDX-License-Identifier: GPL-2.0 */
/* The FireHOL level1 snapshot for the tests that load it: where it is, and its entries as ranges. */
#ifndef TEST_FIREHOL_H
#define TEST_FIREHOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

/* Fills path with the list's real path (../shared/data, or $XDPFW_FIREHOL); -1 when nowhere. */
int firehol_list_path(char path[PATH_MAX]);

/* One IPv4 entry as [first, last], host order. */
struct firehol_range {
	uint32_t first, last;
};

/* The set's IPv4 elements as ranges sorted by start (malloc'd); NULL if one is not IPv4. */
struct firehol_range *firehol_ranges(const struct fw_set *set);

/* Whether some of the n sorted ranges holds addr. */
bool firehol_listed(const struct firehol_range *r, size_t n, uint32_t addr);

#endif /* TEST_FIREHOL_H */
