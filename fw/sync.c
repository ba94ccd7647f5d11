// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-set swaps: the new set is written into the idle set's maps, beside
 * the one in force, and the active word flips in one store. The old set
 * stays whole in the idle slot until the next sync empties it, which waits
 * first, if need be, until no packet can still be reading it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <bpf/bpf.h>
#include "datapath.h"
#include "identity.h"
#include "log.h"
#include "mapio.h"
#include "bans.h"
#include "set_cache.h"
#include "sync.h"
#include "sync_limits.h"
#include "sync_log.h"

/* Index keys 0..count-1 of an ARRAY map, from base on. */
static int fw_array_write(int fd, uint32_t base, const void *values, size_t count)
{
	__u32 *keys = malloc((count + 1) * sizeof(*keys));
	int err;

	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++)
		keys[i] = base + (uint32_t)i;
	err = fw_map_write(fd, keys, values, count);
	free(keys);
	return err;
}

/* The set's IPv6 prefix lengths, its slice written whole. */
static int fw_lengths6_write(const struct fw_datapath *dp, uint8_t set, const struct fw_compiled *c)
{
	return fw_array_write(dp->lengths6_fd, set * FW_PREFIX6_LENGTHS, c->lengths6,
			      FW_PREFIX6_LENGTHS);
}

/* The named sets of the rule set, for `xdpfw sets`; its slice written whole. */
static int fw_set_infos_write(const struct fw_datapath *dp, uint8_t set,
			      const struct fw_ruleset *rs)
{
	struct fw_set_info *infos = calloc(FW_MAX_NAMED_SETS, sizeof(*infos));
	char path[PATH_MAX];
	int err;

	if (!infos)
		return -ENOMEM;
	for (size_t i = 0; i < rs->set_count && i < FW_MAX_NAMED_SETS; i++) {
		const struct fw_set *named = &rs->sets[i];

		snprintf(infos[i].name, sizeof(infos[i].name), "%s", named->name);
		/* Absolute, so `explain` finds the list from any directory. */
		if (!named->file || !realpath(named->file, path))
			snprintf(path, sizeof(path), "%s", named->file ? named->file : "");
		snprintf(infos[i].file, sizeof(infos[i].file), "%.*s", FW_SET_FILE_MAX - 1, path);
		infos[i].v4 = (uint32_t)named->v4;
		infos[i].v6 = (uint32_t)named->v6;
		infos[i].line = named->line > 0 ? (uint32_t)named->line : 0;
	}
	err = fw_array_write(dp->set_info_fd, set * FW_MAX_NAMED_SETS, infos, FW_MAX_NAMED_SETS);
	free(infos);
	return err;
}

/* An entry with no set bits is a free id. */
static void fw_rule_infos_free(const struct fw_datapath *dp, const uint32_t *ids, size_t count)
{
	for (size_t i = 0; i < count; i++)
		memset(&dp->rule_infos[ids[i]], 0, sizeof(dp->rule_infos[0]));
}

/* Rule names and fresh counters, for ids the new set brings in; no packet counts on them yet. */
static void fw_identities_write(const struct fw_datapath *dp, const struct fw_ruleset *rs,
				const struct fw_identity_plan *plan)
{
	for (size_t i = 0; i < plan->fresh_count && !dp->blank; i++)
		fw_counter_reset(dp, plan->fresh_ids[i]);
	for (size_t i = 0; i < plan->write_count; i++) {
		const struct fw_info_write *w = &plan->writes[i];
		struct fw_rule_info info;

		/* Built aside: the datapath reads flags of a rule in force, never a zeroed one. */
		fw_rule_info_from_rule(&info, &rs->rules[w->rule], w->sets);
		dp->rule_infos[w->id] = info;
	}
}

/* Empties one set's hash maps; only ever called on a set no packet can see. */
static int fw_set_clear(const struct fw_datapath *dp, uint8_t set)
{
	int fds[] = { dp->sources4_fd[set], dp->sources6_fd[set], dp->port_rules_fd[set],
		      dp->prefix6_fd[set] };
	int err = 0;

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]) && !err; i++)
		err = fw_map_clear(fds[i]);
	return err;
}

/* Writes the compiled set into an empty idle slot. */
static int fw_set_write_whole(const struct fw_datapath *dp, uint8_t set,
			      const struct fw_compiled *c)
{
	int err = fw_map_write(dp->sources4_fd[set], c->source4_keys, c->source4_values,
			       c->sources4);

	if (!err)
		err = fw_map_write(dp->sources6_fd[set], c->source6_keys, c->source6_values,
				   c->sources6);
	if (!err)
		err = fw_map_write(dp->port_rules_fd[set], c->port_rule_keys, c->port_rule_values,
				   c->port_rules);
	if (!err)
		err = fw_map_write(dp->prefix6_fd[set], c->prefix6_keys, c->prefix6_values,
				   c->prefixes6);
	if (!err)
		err = fw_array_write(dp->classes_fd[set], 0, c->classes, c->class_count);
	if (!err && c->prefix4_entries)
		memcpy(dp->prefix4_mem[set], c->prefix4, c->prefix4_entries * sizeof(*c->prefix4));
	return err;
}

/*
 * Makes the idle slot hold the compiled set: all of it into an emptied slot,
 * or only what differs from old, what it is known to hold. On failure
 * empties it.
 */
static int fw_set_write(const struct fw_datapath *dp, uint8_t set, const struct fw_compiled *c,
			const struct fw_compiled *old)
{
	int err = old ? fw_set_write_difference(dp, set, old, c) : fw_set_write_whole(dp, set, c);

	if (!err)
		err = fw_array_write(dp->ports_fd, set * FW_PORTS, c->ports, FW_PORTS);
	if (!err)
		err = fw_lengths6_write(dp, set, c);
	if (err)
		fw_set_clear(dp, set);
	return err;
}

/* The set and its policy in the one word the datapath reads. */
static uint32_t fw_active_word(uint8_t set, const struct fw_ruleset *rs,
			       const struct fw_compiled *compiled)
{
	uint32_t word = set & FW_ACTIVE_SET;

	if (compiled->sourceless)
		word |= FW_ACTIVE_SOURCELESS;
	if (compiled->prefix4_entries)
		word |= FW_ACTIVE_PREFIX4;
	if (compiled->prefixes6)
		word |= FW_ACTIVE_PREFIX6;
	if (compiled->tcp_syn)
		word |= FW_ACTIVE_TCP_SYN;
	if (rs->default_action == FW_ACTION_DROP)
		word |= FW_ACTIVE_DEFAULT_DROP;
	if (rs->fragments == FW_FRAGMENTS_DROP)
		word |= FW_ACTIVE_FRAGMENTS_DROP;
	return word;
}

/*
 * SETTLED is cleared before a flip and set once no packet can still be
 * reading the old set; a sync that finds it cleared (a crash in between)
 * waits before touching the idle set. A program no packet can reach yet
 * has no readers to wait for.
 */
static int fw_settle(const struct fw_datapath *dp, bool force)
{
	uint32_t settled = 0;
	int err = force ? 0 : fw_param_read(dp, FW_PARAM_SETTLED, &settled);

	if (err || settled)
		return err;
	err = dp->unreachable ? 0 : fw_wait_for_readers();
	return err ? err : fw_param_write(dp, FW_PARAM_SETTLED, 1);
}

/* A token no other writer holds: see fw/set_cache.h. */
static uint32_t fw_set_token(void)
{
	uint32_t token = 0;

	if (getrandom(&token, sizeof(token), 0) != sizeof(token))
		token = (uint32_t)getpid() * 2654435761u ^ (uint32_t)(fw_now_ms() * 1e3);
	return token ? token : 1;
}

/*
 * Puts compiled in force through the idle set. With a cache, the idle set
 * is rewritten from what the cache knows it holds, and compiled's entries
 * move into the cache.
 */
static int fw_sync_sets(struct fw_datapath *dp, uint8_t active, const struct fw_ruleset *rs,
			struct fw_compiled *compiled, const struct fw_identity_plan *plan,
			struct fw_set_cache *cache)
{
	uint8_t next = active ^ 1;
	uint32_t word = fw_active_word(next, rs, compiled), token = fw_set_token();
	const struct fw_set_image *image = NULL;
	double t0 = fw_now_ms(), t1;
	int err, pruned;

	if (!fw_room_fits(&dp->room, compiled))
		return -ENOSPC;
	err = fw_settle(dp, false);
	if (!err && cache)
		image = fw_set_cache_find(cache, dp, next);
	/* Before the set changes, so no other process trusts what it knew of it. */
	if (!err)
		err = fw_param_write(dp, FW_PARAM_SET0_TOKEN + next, token);
	if (!err && !image)
		err = fw_set_clear(dp, next);
	t1 = fw_now_ms();
	if (!err && plan)
		fw_identities_write(dp, rs, plan);
	if (!err)
		err = fw_set_write(dp, next, compiled, image ? &image->entries : NULL);
	if (!err)
		err = fw_set_infos_write(dp, next, rs);
	/* Outside the sets: what the new set's limit rules, never_ban and events need, in place first. */
	if (!err)
		err = fw_limits_write(dp, rs);
	if (!err)
		err = fw_bans_set_never(dp, &rs->never_ban);
	if (!err)
		err = fw_log_write(dp, rs);
	dp->blank = false;
	fw_debug("sync: %s %.1f ms, write %s %.1f ms", image ? "idle set known" : "clear idle set",
		 t1 - t0, image ? "the difference" : "all", fw_now_ms() - t1);
	if (cache && !err)
		fw_set_cache_keep(cache, dp, next, token, compiled);
	else if (cache)
		fw_set_cache_drop(cache, next);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_SETTLED, 0);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_ACTIVE, word);
	if (err)
		return err;

	/* The new set is in force; the old one stays whole in the idle slot until the next sync. */
	err = fw_settle(dp, true);
	if (!err && plan)
		fw_rule_infos_free(dp, plan->gone_ids, plan->gone_count);
	/* The new set is in force whatever happens here: a stale policy only takes room. */
	pruned = err ? 0 : fw_limits_prune(dp, rs);
	if (pruned)
		fw_error("sync: cannot delete the limits of rules gone: %s", strerror(-pruned));
	return err;
}

static int fw_active_set(const struct fw_datapath *dp, const struct fw_ruleset *rs, uint8_t *active)
{
	uint32_t value;
	int err;

	if (rs->count > dp->capacity)
		return -ENOSPC;
	err = fw_param_read(dp, FW_PARAM_ACTIVE, &value);
	*active = value & FW_ACTIVE_SET;
	return err;
}

int fw_datapath_sync(struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	struct fw_compiled compiled;
	uint8_t active;
	int err = fw_active_set(dp, rs, &active);

	if (!err)
		err = fw_compile(rs, &compiled);
	if (err)
		return err;
	fw_compiled_set_ids(&compiled, rs);
	err = fw_sync_sets(dp, active, rs, &compiled, NULL, NULL);
	fw_compiled_free(&compiled);
	return err;
}

int fw_rules_sync(struct fw_datapath *dp, struct fw_ruleset *rs, struct fw_compiled *compiled,
		  struct fw_sync_report *report, struct fw_set_cache *cache)
{
	struct fw_identity_plan plan;
	uint8_t active;
	int err = fw_active_set(dp, rs, &active);

	if (err)
		return err;
	double start = fw_now_ms();

	err = fw_identity_plan(dp, active, rs, &plan);
	if (err)
		return err;
	fw_debug("sync: rule identities %.1f ms", fw_now_ms() - start);
	fw_compiled_set_ids(compiled, rs);
	err = fw_sync_sets(dp, active, rs, compiled, &plan, cache);
	if (report)
		*report = plan.report;
	fw_identity_plan_free(&plan);
	return err;
}
