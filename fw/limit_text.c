// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include "duration.h"
#include "limit_text.h"

/* The units a config counts a rate in, and their names there. */
static const struct {
	char name;
	uint64_t ns;
} fw_rate_units[] = { { 's', FW_NS_PER_SEC }, { 'm', 60 * FW_NS_PER_SEC }, { 'h', 3600 * FW_NS_PER_SEC } };

char *fw_rate_text(char *out, size_t size, uint64_t interval)
{
	/* The config turns N/unit into ceil(unit / N) ns: find the N and unit that give interval. */
	for (size_t u = 0; interval && u < sizeof(fw_rate_units) / sizeof(fw_rate_units[0]); u++) {
		uint64_t unit = fw_rate_units[u].ns, n = unit / interval;

		for (uint64_t k = n ? n : 1; k <= n + 1; k++) {
			if ((unit + k - 1) / k == interval) {
				snprintf(out, size, "%" PRIu64 "/%c", k, fw_rate_units[u].name);
				return out;
			}
		}
	}
	snprintf(out, size, "%.3g/s", interval ? (double)FW_NS_PER_SEC / (double)interval : 0.0);
	return out;
}

char *fw_limit_text(char *out, size_t size, const struct fw_rule_limit *limit)
{
	char rate[32], ban[FW_DURATION_TEXT_MAX];

	snprintf(out, size, "%s burst %u per %s%s%s", fw_rate_text(rate, sizeof(rate), limit->interval),
		 limit->burst, limit->per_source ? "source" : "rule", limit->ban_for ? ", ban " : "",
		 limit->ban_for ? fw_duration_format(limit->ban_for, ban) : "");
	return out;
}

struct fw_rule_limit fw_limit_of_value(const struct fw_limit_value *v)
{
	return (struct fw_rule_limit){
		.interval = v->interval,
		.burst = v->interval ? (uint32_t)(v->burst_window / v->interval) : 0,
		.per_source = v->per_source != 0,
		.ban_for = v->ban_for,
	};
}
