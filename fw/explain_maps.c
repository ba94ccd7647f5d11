// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw explain` without --config: the maps in force decide, through the
 * datapath's own lookup (fw/lookup.c): a ban first, then the rules;
 * fw_rule_info names the rule, fw_set_info its set, fw_limits its limit,
 * fw_ban_origins why a ban was made. The maps keep no set's elements as written, so the
 * element that matched is looked up again in the set's list file, which
 * may have changed since it was applied: the answer says so when it can tell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "explain.h"
#include "limit_text.h"
#include "lookup.h"
#include "names.h"
#include "set_info.h"
#include "sets.h"
#include "text.h"

static void fw_list_problem_ignored(void *ctx, uint32_t line, uint32_t col, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)col;
	(void)msg;
}

/* The set's element a rule on it matched at: its longest one holding src, the first listed. */
static const struct fw_set_element *fw_best_element(const struct fw_set *set,
						    const uint8_t src[16])
{
	const struct fw_set_element *best = NULL;

	for (size_t i = 0; i < set->count; i++)
		if (fw_prefix_contains(&set->elements[i].prefix, src) &&
		    (!best || set->elements[i].prefix.len > best->prefix.len))
			best = &set->elements[i];
	return best;
}

/* Finds the element in the set's list file as it is now; a->note says what may be off. */
static void fw_explain_element(const struct fw_set_info *info, const uint8_t src[16],
			       struct fw_explain_answer *a)
{
	char file[FW_ESCAPED_SIZE(FW_SET_FILE_MAX)];
	struct fw_set now = { 0 };
	const struct fw_set_element *e;
	long problems;

	if (!info->file[0]) {
		snprintf(a->note, sizeof(a->note),
			 "the set's elements are written in the config (elements: at line %u); "
			 "explain --config FILE names the one that matched", info->line);
		return;
	}
	memcpy(a->file, info->file, fw_set_info_file_len(info));
	fw_escape(file, sizeof(file), info->file, fw_set_info_file_len(info));
	problems = fw_set_read_file(a->file, &now, fw_list_problem_ignored, NULL);
	if (problems < 0) {
		snprintf(a->note, sizeof(a->note),
			 "cannot read the list file %s now (%s): the element that matched is not "
			 "known", file, strerror((int)-problems));
		goto out;
	}
	e = fw_best_element(&now, src);
	if (e) {
		a->has_prefix = true;
		a->prefix = e->prefix;
		a->line = e->line;
	}
	if (!e)
		snprintf(a->note, sizeof(a->note),
			 "no element of %s holds the address any more: the file changed since it "
			 "was applied", file);
	else if (problems || now.v4 != info->v4 || now.v6 != info->v6)
		snprintf(a->note, sizeof(a->note),
			 "%s changed since it was applied (%zu IPv4 and %zu IPv6 elements now, %u "
			 "and %u then%s): the element shown is from the file as it is now",
			 file, now.v4, now.v6, info->v4, info->v6, problems ? ", and errors" : "");
out:
	free(now.elements);
}

/* Names the rule that decided, its step, and what of its source matched. */
static int fw_explain_rule(const struct fw_datapath *dp, uint32_t id, uint32_t active,
			   const struct fw_explain_query *q, struct fw_explain_answer *a)
{
	const struct fw_rule_info *r;
	struct fw_set_info set;
	int err;

	if (id >= fw_datapath_ids(dp))
		return -ERANGE;
	r = &dp->rule_infos[id];
	a->by_rule = true;
	memcpy(a->rule, r->name, strnlen(r->name, sizeof(r->name)));
	a->rule_line = r->line;
	a->step = fw_explain_step(r->has_src, r->port != 0, r->proto != FW_PROTO_ANY);
	if (r->action == FW_ACTION_LIMIT && !a->has_limit)
		snprintf(a->note, sizeof(a->note), "the rule has a limit, but fw_limits holds no "
			 "policy for it: the datapath drops what it matches");
	if (!r->has_src)
		return 0;
	if (!r->set_id) {
		a->has_prefix = true;
		a->prefix.len = r->src_len ? r->src_len : 128;
		memcpy(a->prefix.addr, r->src, sizeof(a->prefix.addr));
		return 0;
	}
	err = fw_set_info_read(dp, active & FW_ACTIVE_SET, r->set_id, &set);
	if (err == -ENOENT) {
		snprintf(a->note, sizeof(a->note), "the rule names set %u, which fw_set_info "
			 "does not hold", r->set_id);
		return 0;
	}
	if (err)
		return err;
	a->has_set = true;
	memcpy(a->set, set.name, fw_set_info_name_len(&set));
	fw_explain_element(&set, q->pkt.src, a);
	return 0;
}

/* The ban that decides: its prefix, why it was made, how long it has left. */
static int fw_explain_ban(const struct fw_datapath *dp, const struct fw_lookup *found,
			  struct fw_explain_answer *a)
{
	struct fw_ban_origin origin = { 0 };
	uint32_t index = found->ban.origin;

	a->banned = true;
	a->step = 0;
	a->has_prefix = true;
	a->prefix = found->ban_prefix;
	a->ban_expires_in = found->ban.expires ? found->ban.expires - found->now : 0;
	a->ban_age = (int64_t)(found->now - found->ban.since) > 0 ? found->now - found->ban.since : 0;
	if (bpf_map_lookup_elem(dp->ban_origins_fd, &index, &origin))
		return -errno;
	if (origin.name[0])
		memcpy(a->ban_origin, origin.name, strnlen(origin.name, sizeof(origin.name)));
	else
		snprintf(a->ban_origin, sizeof(a->ban_origin), "%s",
			 index == FW_BAN_ORIGIN_MANUAL ? "manual" : "?");
	return 0;
}

int fw_explain_maps(const struct fw_datapath *dp, const char *pin_dir,
		    const struct fw_explain_query *q, struct fw_explain_answer *a)
{
	struct fw_lookup found;
	int err = fw_lookup_packet(dp, &q->pkt, &found);

	memset(a, 0, sizeof(*a));
	snprintf(a->source, sizeof(a->source), "%s", pin_dir);
	if (err)
		return err;
	a->reason = found.reason;
	a->step = 8;
	if (found.banned)
		return fw_explain_ban(dp, &found, a);
	a->has_limit = found.limited;
	a->limit_now = found.limited;
	a->limit = fw_limit_of_value(&found.limit);
	return found.by_rule ? fw_explain_rule(dp, found.rule_id, found.active, q, a) : 0;
}
