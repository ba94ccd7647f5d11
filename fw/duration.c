// SPDX-License-Identifier: GPL-2.0
/* Durations: one parser for the config (ban_for, poll) and the CLI (ban --for). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "duration.h"

struct fw_duration_unit {
	const char *name;
	uint64_t ns;
};

/* Largest first: a duration names them in this order. */
static const struct fw_duration_unit fw_duration_units[] = {
	{ "d", 86400 * FW_NS_PER_SEC }, { "h", 3600 * FW_NS_PER_SEC }, { "m", 60 * FW_NS_PER_SEC },
	{ "s", FW_NS_PER_SEC },         { "ms", FW_NS_PER_MS },
};

#define FW_DURATION_UNITS (sizeof(fw_duration_units) / sizeof(fw_duration_units[0]))

/* The unit at text[0, len): its index, matching the longest name ("ms" before "m"). */
static int fw_duration_unit(const char *text, size_t len, size_t *used)
{
	int found = -1;

	*used = 0;
	for (size_t u = 0; u < FW_DURATION_UNITS; u++) {
		size_t n = strlen(fw_duration_units[u].name);

		if (n <= len && n > *used && !memcmp(text, fw_duration_units[u].name, n)) {
			found = (int)u;
			*used = n;
		}
	}
	return found;
}

int fw_duration_parse(const char *text, size_t len, uint64_t *ns)
{
	uint64_t total = 0;
	size_t i = 0;
	int last = -1;

	if (!len)
		return -EINVAL;
	while (i < len) {
		uint64_t number = 0, part;
		bool too_big = false;
		size_t start = i, used;
		int unit;

		for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
			too_big |= number > (UINT64_MAX - 9) / 10;
			number = number * 10 + (uint64_t)(text[i] - '0');
		}
		if (i == start)
			return -EINVAL;
		unit = fw_duration_unit(text + i, len - i, &used);
		if (unit <= last)
			return -EINVAL; /* no unit, or one out of order */
		i += used;
		last = unit;
		if (too_big || number > UINT64_MAX / fw_duration_units[unit].ns)
			return -ERANGE;
		part = number * fw_duration_units[unit].ns;
		if (total > UINT64_MAX - part)
			return -ERANGE;
		total += part;
	}
	*ns = total;
	return 0;
}

const char *fw_duration_format(uint64_t ns, char buf[FW_DURATION_TEXT_MAX])
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t u = 0; u < FW_DURATION_UNITS; u++) {
		uint64_t count = ns / fw_duration_units[u].ns;

		if (!count)
			continue;
		ns -= count * fw_duration_units[u].ns;
		used += (size_t)snprintf(buf + used, FW_DURATION_TEXT_MAX - used, "%llu%s",
					 (unsigned long long)count, fw_duration_units[u].name);
	}
	if (!used)
		snprintf(buf, FW_DURATION_TEXT_MAX, "0s");
	return buf;
}
