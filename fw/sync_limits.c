// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "ban_origins.h"
#include "bans.h"
#include "log.h"
#include "sync_limits.h"

void fw_limit_origin_name(char out[FW_RULE_NAME_MAX], const char *rule)
{
	snprintf(out, FW_RULE_NAME_MAX, "limit:%.*s", FW_RULE_NAME_MAX - 7, rule);
}

static int fw_limit_value_of(const struct fw_datapath *dp, const struct fw_rule *r,
			     struct fw_ban_origin **origins, struct fw_limit_value *v)
{
	char origin[FW_RULE_NAME_MAX];

	memset(v, 0, sizeof(*v));
	v->interval = r->limit.interval;
	v->burst_window = (uint64_t)r->limit.burst * r->limit.interval;
	v->ban_for = r->limit.ban_for;
	v->per_source = r->limit.per_source;
	if (!r->limit.ban_for)
		return 0;
	fw_limit_origin_name(origin, r->name);
	return fw_ban_origins_intern(dp, origins, origin, &v->ban_origin);
}

/* The same policy, the bucket's state aside. */
static bool fw_limit_same(const struct fw_limit_value *a, const struct fw_limit_value *b)
{
	return a->interval == b->interval && a->burst_window == b->burst_window &&
	       a->ban_for == b->ban_for && a->per_source == b->per_source &&
	       a->ban_origin == b->ban_origin;
}

static size_t fw_limit_rules(const struct fw_ruleset *rs)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->count; i++)
		n += rs->rules[i].limit.interval != 0;
	return n;
}

int fw_limits_write(const struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	struct fw_ban_origin *origins = NULL; /* read once for every limit rule's origin */
	size_t n = fw_limit_rules(rs);
	int err = 0;

	if (n > FW_MAX_LIMITS) {
		fw_error("%zu rules have a limit; at most %u can", n, FW_MAX_LIMITS);
		return -E2BIG;
	}
	for (size_t i = 0; i < rs->count && !err; i++) {
		const struct fw_rule *r = &rs->rules[i];
		struct fw_limit_value want, have;
		uint32_t id = r->id;

		if (!r->limit.interval)
			continue;
		err = fw_limit_value_of(dp, r, &origins, &want);
		if (err) {
			fw_error("rule %s: no room to name its bans' origin: %s", r->name,
				 strerror(-err));
			break;
		}
		if (!bpf_map_lookup_elem(dp->limits_fd, &id, &have) && fw_limit_same(&have, &want))
			continue;
		if (bpf_map_update_elem(dp->limits_fd, &id, &want, BPF_ANY))
			err = -errno;
	}
	free(origins);
	return err;
}

static int fw_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int fw_limits_prune(const struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	const size_t room = FW_SETS * FW_MAX_LIMITS; /* fw_limits' entries */
	uint32_t *ids = malloc((fw_limit_rules(rs) + 1) * sizeof(*ids)), key, next;
	uint32_t *gone = malloc(room * sizeof(*gone));
	size_t n = 0, ngone = 0;
	int err = ids && gone ? 0 : -ENOMEM;
	void *at = NULL; /* NULL: from the first key */

	for (size_t i = 0; !err && i < rs->count; i++)
		if (rs->rules[i].limit.interval)
			ids[n++] = rs->rules[i].id;
	if (!err)
		qsort(ids, n, sizeof(*ids), fw_u32_cmp);
	/* Collected first: deleting while walking a hash would restart the walk. */
	while (!err && ngone < room && !bpf_map_get_next_key(dp->limits_fd, at, &next)) {
		if (!bsearch(&next, ids, n, sizeof(*ids), fw_u32_cmp))
			gone[ngone++] = next;
		key = next;
		at = &key;
	}
	for (size_t i = 0; !err && i < ngone; i++)
		if (bpf_map_delete_elem(dp->limits_fd, &gone[i]) && errno != ENOENT)
			err = -errno;
	free(ids);
	free(gone);
	return err;
}
