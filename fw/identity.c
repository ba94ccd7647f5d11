// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "identity.h"

void fw_rule_info_from_rule(struct fw_rule_info *info, const struct fw_rule *r, uint8_t sets)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->name, r->name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	if (r->has_src)
		memcpy(info->src, r->src, sizeof(info->src));
	info->has_src = r->has_src;
	info->proto = r->proto;
	info->port = r->port;
	info->action = r->action;
	info->sets = sets;
	info->line = r->line > 0 ? (uint32_t)r->line : 0;
}

int fw_rule_infos_dump(const struct fw_datapath *dp, uint32_t **ids, struct fw_rule_info **infos,
		       size_t *count)
{
	uint32_t all = fw_datapath_ids(dp);
	size_t used = 0;

	*count = 0;
	for (uint32_t id = 0; id < all; id++)
		used += dp->rule_infos[id].sets != 0;
	*ids = calloc(used + 1, sizeof(**ids));
	*infos = calloc(used + 1, sizeof(**infos));
	if (!*ids || !*infos) {
		free(*ids);
		free(*infos);
		*ids = NULL;
		*infos = NULL;
		return -ENOMEM;
	}
	/* An entry with no set bits is a free id. */
	for (uint32_t id = 0; id < all && *count < used; id++) {
		if (!dp->rule_infos[id].sets)
			continue;
		(*ids)[*count] = id;
		(*infos)[(*count)++] = dp->rule_infos[id];
	}
	return 0;
}

static bool fw_info_same_match(const struct fw_rule_info *a, const struct fw_rule_info *b)
{
	return a->has_src == b->has_src && a->proto == b->proto && a->port == b->port &&
	       (!a->has_src || !memcmp(a->src, b->src, sizeof(a->src)));
}

/* What became of each rule of the active set. */
enum { FW_UNCLAIMED = 0, FW_NAME_REUSED = 1, FW_CARRIED = 2 };

struct fw_id_pool {
	uint8_t *used; /* one byte per id: simpler than bits, at most a few MB */
	uint32_t size;
	uint32_t next;
};

static int fw_id_pool_take(struct fw_id_pool *pool, uint32_t *id)
{
	while (pool->next < pool->size && pool->used[pool->next])
		pool->next++;
	if (pool->next == pool->size)
		return -ENOSPC;
	pool->used[pool->next] = 1;
	*id = pool->next;
	return 0;
}

static int fw_plan_alloc(struct fw_identity_plan *plan, size_t rules, size_t infos)
{
	memset(plan, 0, sizeof(*plan));
	plan->info_ids = calloc(rules + 1, sizeof(*plan->info_ids));
	plan->infos = calloc(rules + 1, sizeof(*plan->infos));
	plan->fresh_ids = calloc(rules + 1, sizeof(*plan->fresh_ids));
	plan->gone_ids = calloc(infos + 1, sizeof(*plan->gone_ids));
	if (!plan->info_ids || !plan->infos || !plan->fresh_ids || !plan->gone_ids)
		return -ENOMEM;
	return 0;
}

/* Matches one new rule against the active set's rule of the same name, if any. */
static int fw_plan_rule(struct fw_identity_plan *plan, struct fw_rule *r, uint8_t next,
			const struct fw_rule_info *old, uint32_t old_id, uint8_t *carried,
			struct fw_id_pool *pool)
{
	struct fw_rule_info info;
	int err;

	fw_rule_info_from_rule(&info, r, 1u << next);
	if (old && fw_info_same_match(old, &info)) {
		*carried = FW_CARRIED;
		r->id = old_id;
		info.sets |= old->sets;
		if (old->action != info.action)
			plan->report.changed++;
		else
			plan->report.kept++;
		if (!memcmp(old, &info, sizeof(info)))
			return 0; /* nothing to write */
	} else {
		err = fw_id_pool_take(pool, &r->id);
		if (err)
			return err;
		plan->fresh_ids[plan->fresh_count++] = r->id;
		if (old)
			plan->report.changed++;
		else
			plan->report.added++;
	}
	plan->info_ids[plan->info_count] = r->id;
	plan->infos[plan->info_count++] = info;
	return 0;
}

int fw_identity_plan(const struct fw_datapath *dp, uint8_t active, struct fw_ruleset *rs,
		     struct fw_identity_plan *plan)
{
	struct hsearch_data by_name = { 0 };
	struct fw_id_pool pool = { .size = FW_SETS * dp->capacity };
	struct fw_rule_info *infos = NULL;
	uint8_t *claimed = NULL;
	uint32_t *ids = NULL;
	size_t count = 0, i;
	uint8_t next = active ^ 1;
	int err;

	err = fw_rule_infos_dump(dp, &ids, &infos, &count);
	if (!err)
		err = fw_plan_alloc(plan, rs->count, count);
	pool.used = calloc(pool.size, 1);
	claimed = calloc(count + 1, 1);
	if (!err && (!pool.used || !claimed || !hcreate_r(count * 2 + 16, &by_name)))
		err = -ENOMEM;
	if (err)
		goto cleanup;

	for (i = 0; i < count; i++) {
		ENTRY entry = { .key = infos[i].name, .data = &infos[i] }, *found;

		if (!(infos[i].sets & (1u << active)) || ids[i] >= pool.size)
			continue;
		pool.used[ids[i]] = 1;
		if (!hsearch_r(entry, ENTER, &found, &by_name)) {
			err = -ENOMEM;
			goto cleanup;
		}
	}
	for (i = 0; i < rs->count && !err; i++) {
		ENTRY query = { .key = rs->rules[i].name }, *found = NULL;
		const struct fw_rule_info *old = NULL;
		size_t old_index = count; /* claimed[count] is a spare slot */

		if (hsearch_r(query, FIND, &found, &by_name)) {
			old = found->data;
			old_index = old - infos;
			claimed[old_index] = FW_NAME_REUSED;
		}
		err = fw_plan_rule(plan, &rs->rules[i], next, old, old ? ids[old_index] : 0,
				   &claimed[old_index], &pool);
	}
	/* Everything not carried into the new set goes once the swap is done. */
	for (i = 0; i < count && !err; i++) {
		bool in_active = infos[i].sets & (1u << active);

		if (claimed[i] == FW_CARRIED ||
		    (!in_active && ids[i] < pool.size && pool.used[ids[i]]))
			continue; /* carried over, or a stale id handed out again above */
		plan->gone_ids[plan->gone_count++] = ids[i];
		if (in_active && claimed[i] != FW_NAME_REUSED)
			plan->report.removed++;
	}

cleanup:
	hdestroy_r(&by_name);
	free(pool.used);
	free(claimed);
	free(ids);
	free(infos);
	if (err)
		fw_identity_plan_free(plan);
	return err;
}

void fw_identity_plan_free(struct fw_identity_plan *plan)
{
	free(plan->info_ids);
	free(plan->infos);
	free(plan->fresh_ids);
	free(plan->gone_ids);
	memset(plan, 0, sizeof(*plan));
}
