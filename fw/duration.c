// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "duration.h"

static const struct {
	char unit;
	uint64_t seconds;
} fw_units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };

#define FW_UNITS (sizeof(fw_units) / sizeof(fw_units[0]))

int fw_duration_parse(const char *text, uint64_t *ns)
{
	const uint64_t max = FW_DURATION_MAX_DAYS * 86400ull;
	uint64_t seconds = 0;
	size_t next = 0; /* the largest unit still allowed */
	const char *p = text;

	if (!*p)
		return -EINVAL;
	while (*p) {
		uint64_t n = 0;
		size_t u;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (uint64_t)(*p - '0');
			if (n > max)
				return -ERANGE;
		}
		for (u = next; u < FW_UNITS && fw_units[u].unit != *p; u++)
			;
		if (u == FW_UNITS)
			return -EINVAL;
		if (n > max / fw_units[u].seconds || seconds + n * fw_units[u].seconds > max)
			return -ERANGE;
		seconds += n * fw_units[u].seconds;
		next = u + 1;
		p++;
	}
	if (!seconds)
		return -EINVAL;
	*ns = seconds * FW_NS_PER_SEC;
	return 0;
}

const char *fw_duration_format(uint64_t ns, char buf[FW_DURATION_TEXT_MAX])
{
	uint64_t left = ns / FW_NS_PER_SEC + (ns % FW_NS_PER_SEC != 0);
	size_t used = 0;
	int parts = 0;

	buf[0] = '\0';
	for (size_t u = 0; u < FW_UNITS && parts < 2; u++) {
		uint64_t n = left / fw_units[u].seconds;

		if (!n && !parts)
			continue;
		left -= n * fw_units[u].seconds;
		parts++;
		if (n)
			used += (size_t)snprintf(buf + used, FW_DURATION_TEXT_MAX - used, "%llu%c",
						 (unsigned long long)n, fw_units[u].unit);
	}
	if (!used)
		snprintf(buf, FW_DURATION_TEXT_MAX, "0s");
	return buf;
}
