// SPDX-License-Identifier: GPL-2.0
/* What a rule names beyond its fixed fields: its set and its port ranges. */
#include <stdlib.h>
#include <string.h>
#include "ruleset.h"

void fw_ruleset_free_sets(struct fw_ruleset *rs)
{
	for (size_t i = 0; i < rs->set_count; i++) {
		free(rs->sets[i].file);
		free(rs->sets[i].elements);
	}
	free(rs->sets);
	free(rs->port_ranges);
	free(rs->never_ban.elements);
	rs->never_ban = (struct fw_set){ 0 };
	rs->sets = NULL;
	rs->set_count = 0;
	rs->port_ranges = NULL;
	rs->port_range_count = 0;
}

size_t fw_rule_ports(const struct fw_ruleset *rs, const struct fw_rule *r,
		     const struct fw_port_range **ranges, struct fw_port_range *one)
{
	if (r->ports_count && r->ports_at + (size_t)r->ports_count <= rs->port_range_count) {
		*ranges = &rs->port_ranges[r->ports_at];
		return r->ports_count;
	}
	*one = (struct fw_port_range){ r->port, r->port };
	*ranges = one;
	return r->port ? 1 : 0;
}

bool fw_rule_has_port(const struct fw_ruleset *rs, const struct fw_rule *r, uint16_t port)
{
	struct fw_port_range one;
	const struct fw_port_range *ranges;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);

	for (size_t i = 0; i < n; i++)
		if (port >= ranges[i].first && port <= ranges[i].last)
			return true;
	return false;
}

/* FNV-1a, continued from h. */
static uint32_t fw_tag_mix(uint32_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

uint32_t fw_rule_match_tag(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_set *set = fw_rule_set(rs, r);
	struct fw_port_range one;
	const struct fw_port_range *ranges;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);
	uint32_t h = 2166136261u;
	bool tagged = false;

	if (set) {
		h = fw_tag_mix(h, "@", 1);
		h = fw_tag_mix(h, set->name, strlen(set->name));
		tagged = true;
	}
	/* One port, as a number or a one-item list, is the v1 match: no tag. */
	if (n > 1 || (n == 1 && ranges[0].first != ranges[0].last)) {
		for (size_t i = 0; i < n; i++) {
			uint8_t bytes[4] = { ranges[i].first >> 8, ranges[i].first & 0xff,
					     ranges[i].last >> 8, ranges[i].last & 0xff };

			h = fw_tag_mix(h, bytes, sizeof(bytes));
		}
		tagged = true;
	}
	return tagged ? (h ? h : 1) : 0;
}
