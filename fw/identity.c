// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "hashtab.h"
#include "identity.h"

static uint32_t fw_rule_flags(const struct fw_rule *r)
{
	return r->log ? FW_RULE_LOG : 0;
}

void fw_rule_info_from_rule(struct fw_rule_info *info, const struct fw_rule *r, uint8_t sets)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->name, r->name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	if (r->has_src)
		memcpy(info->src, r->src, sizeof(info->src));
	info->has_src = r->has_src;
	info->src_len = r->has_src ? fw_rule_src_len(r) : 0;
	info->match_tag = r->match_tag;
	info->set_id = r->has_src ? r->set_ref : 0;
	info->proto = r->proto;
	info->tcp_flags = r->tcp_flags;
	info->port = r->port;
	info->action = fw_rule_ref_action(r);
	info->sets = sets;
	info->line = r->line > 0 ? (uint32_t)r->line : 0;
	info->flags = fw_rule_flags(r);
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

/* Whether an active rule matches what r matches: fw_rule_same_match() on its match fields. */
static bool fw_info_same_match(const struct fw_rule_info *info, const struct fw_rule *r)
{
	struct fw_rule old; /* only the fields fw_rule_same_match() reads are set */

	memcpy(old.src, info->src, sizeof(old.src));
	old.has_src = info->has_src;
	old.src_len = info->src_len;
	old.match_tag = info->match_tag;
	old.port = info->port;
	old.proto = info->proto;
	old.tcp_flags = info->tcp_flags;
	return fw_rule_same_match(&old, r);
}

/* Names of the active set's rules -> their id, over the mapped fw_rule_info array itself. */
static uint32_t fw_name_hash(const char *name)
{
	return fw_hash_bytes(name, strlen(name));
}

static bool fw_info_named(const void *infos, uint32_t id, const void *name)
{
	return !strcmp(((const struct fw_rule_info *)infos)[id].name, name);
}

/* Indexes the names of the active set's rules, among ids [0, scan). */
static int fw_name_index_build(struct fw_hashtab *ix, const struct fw_datapath *dp,
			       uint8_t in_active, size_t active_count, uint32_t scan)
{
	int err = fw_hashtab_init(ix, active_count);

	for (uint32_t id = 0; id < scan && !err; id++)
		if (dp->rule_infos[id].sets & in_active)
			fw_hashtab_add(ix, fw_name_hash(dp->rule_infos[id].name), id);
	return err;
}

/* Whether id is a rule of the active set named name. */
static bool fw_active_name_at(const struct fw_datapath *dp, uint8_t in_active, int64_t id,
			      const char *name)
{
	return id >= 0 && id < fw_datapath_ids(dp) && (dp->rule_infos[id].sets & in_active) &&
	       !strcmp(dp->rule_infos[id].name, name);
}

/* What became of each rule of the active set. */
enum { FW_UNCLAIMED = 0, FW_NAME_REUSED = 1, FW_CARRIED = 2 };

/* One byte per id: in use by the active set or handed out by this plan, and its fate. */
struct fw_id_state {
	uint8_t *used;
	uint8_t *claimed;
	uint32_t size;
	uint32_t next_free;
};

static int fw_id_take(struct fw_id_state *ids, uint32_t *id)
{
	while (ids->next_free < ids->size && ids->used[ids->next_free])
		ids->next_free++;
	if (ids->next_free == ids->size)
		return -ENOSPC;
	ids->used[ids->next_free] = 1;
	*id = ids->next_free;
	return 0;
}

static int fw_plan_alloc(struct fw_identity_plan *plan, size_t rules, size_t ids)
{
	memset(plan, 0, sizeof(*plan));
	plan->writes = calloc(rules + 1, sizeof(*plan->writes));
	plan->fresh_ids = calloc(rules + 1, sizeof(*plan->fresh_ids));
	plan->gone_ids = calloc(ids + 1, sizeof(*plan->gone_ids));
	if (!plan->writes || !plan->fresh_ids || !plan->gone_ids)
		return -ENOMEM;
	return 0;
}

/* Gives rule i of rs its id, given the active rule of the same name (old_id, or -1). */
static int fw_plan_rule(struct fw_identity_plan *plan, const struct fw_datapath *dp,
			const struct fw_ruleset *rs, uint32_t i, uint8_t next, int64_t old_id,
			struct fw_id_state *ids)
{
	struct fw_rule *r = &rs->rules[i];
	const struct fw_rule_info *old = old_id >= 0 ? &dp->rule_infos[old_id] : NULL;
	uint8_t sets = 1u << next, action = fw_rule_ref_action(r);
	int err;

	/* A limit that comes, goes or changes keeps the rule's id and counters: fw_limits follows. */
	if (old && fw_info_same_match(old, r)) {
		ids->claimed[old_id] = FW_CARRIED;
		r->id = old_id;
		sets |= old->sets;
		if (old->action != action)
			plan->report.changed++;
		else
			plan->report.kept++;
		/* `log` flipped alone keeps the rule as it is, but its entry says it now. */
		if (old->sets == sets && old->action == action &&
		    old->set_id == (r->has_src ? r->set_ref : 0) &&
		    old->line == (uint32_t)(r->line > 0 ? r->line : 0) &&
		    old->flags == fw_rule_flags(r))
			return 0; /* nothing to write */
	} else {
		err = fw_id_take(ids, &r->id);
		if (err)
			return err;
		plan->fresh_ids[plan->fresh_count++] = r->id;
		if (old)
			plan->report.changed++;
		else
			plan->report.added++;
	}
	plan->writes[plan->write_count++] = (struct fw_info_write){ r->id, i, sets };
	return 0;
}

int fw_identity_plan(const struct fw_datapath *dp, uint8_t active, struct fw_ruleset *rs,
		     struct fw_identity_plan *plan)
{
	struct fw_id_state ids = { .size = fw_datapath_ids(dp) };
	struct fw_hashtab by_name = { 0 };
	uint8_t in_active = 1u << active;
	/* Blank maps hold no rule: reading 2 * capacity names would find none. */
	uint32_t scan = dp->blank ? 0 : ids.size;
	size_t active_count = 0;
	int64_t guess = -1; /* where the next rule's namesake is likely to be */
	int err;

	ids.used = calloc(ids.size + 1, 1);
	ids.claimed = calloc(ids.size + 1, 1);
	err = ids.used && ids.claimed ? 0 : -ENOMEM;
	for (uint32_t id = 0; id < scan && !err; id++) {
		if (!(dp->rule_infos[id].sets & in_active))
			continue;
		ids.used[id] = 1;
		active_count++;
		guess = guess < 0 ? id : guess;
	}
	if (!err)
		err = fw_plan_alloc(plan, rs->count, ids.size);
	for (uint32_t i = 0; i < rs->count && !err; i++) {
		const char *name = rs->rules[i].name;
		int64_t old_id = -1;

		/* Rules keep their order from one config to the next: try the id after the last. */
		if (fw_active_name_at(dp, in_active, guess, name))
			old_id = guess;
		else if (!by_name.slots) /* the index only when the order breaks */
			err = fw_name_index_build(&by_name, dp, in_active, active_count, scan);
		if (!err && old_id < 0)
			old_id = fw_hashtab_find(&by_name, fw_name_hash(name), fw_info_named,
						 dp->rule_infos, name);
		if (err)
			break;
		if (old_id >= 0)
			ids.claimed[old_id] = FW_NAME_REUSED;
		guess = old_id >= 0 ? old_id + 1 : guess;
		err = fw_plan_rule(plan, dp, rs, i, active ^ 1, old_id, &ids);
	}
	/* Everything not carried into the new set goes once the swap is done. */
	for (uint32_t id = 0; id < scan && !err; id++) {
		const struct fw_rule_info *info = &dp->rule_infos[id];

		if (!info->sets || ids.claimed[id] == FW_CARRIED ||
		    (!(info->sets & in_active) && ids.used[id]))
			continue; /* free, carried over, or a stale id handed out again above */
		plan->gone_ids[plan->gone_count++] = id;
		if ((info->sets & in_active) && ids.claimed[id] != FW_NAME_REUSED)
			plan->report.removed++;
	}

	fw_hashtab_free(&by_name);
	free(ids.used);
	free(ids.claimed);
	if (err)
		fw_identity_plan_free(plan);
	return err;
}

void fw_identity_plan_free(struct fw_identity_plan *plan)
{
	free(plan->writes);
	free(plan->fresh_ids);
	free(plan->gone_ids);
	memset(plan, 0, sizeof(*plan));
}
