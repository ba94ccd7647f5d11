// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <json-c/json.h>
#include "duration.h"
#include "event_stats.h"
#include "identity.h"
#include "limit_text.h"
#include "names.h"
#include "prefix.h"
#include "set_info.h"
#include "show.h"
#include "text.h"

struct fw_rule_row {
	const struct fw_rule_info *info;
	const struct fw_set_info *set; /* the named set of an "@set" rule */
	struct fw_counter counter;
	bool more_ports;               /* port is the first of several */
	char src[FW_SRC_TEXT_MAX];
	char port[16];
	char proto[16];                /* "tcp syn" for tcp_flags: syn */
	bool has_limit;                /* a limit rule: its policy, as fw_limits holds it */
	bool limit_missing;            /* a limit rule fw_limits holds no policy for */
	struct fw_rule_limit limit;
};

static int fw_row_cmp(const void *a, const void *b)
{
	const struct fw_rule_row *x = a, *y = b;

	if (x->info->line != y->info->line)
		return x->info->line < y->info->line ? -1 : 1;
	return strncmp(x->info->name, y->info->name, sizeof(x->info->name));
}

/* The name as stored: a pinned map's bytes need not end in a NUL. */
static size_t fw_name_len(const struct fw_rule_info *r)
{
	return strnlen(r->name, sizeof(r->name));
}

int fw_json_print(FILE *out, struct json_object *doc, int flags)
{
	const char *text = json_object_to_json_string_ext(doc,
							  flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	int err = text ? 0 : -ENOMEM;

	if (text)
		fputs(text, out);
	json_object_put(doc);
	return err;
}

/* The rule's source prefix (one address prints bare). */
static const char *fw_info_prefix(const struct fw_rule_info *r, char buf[FW_PREFIX_TEXT_MAX])
{
	struct fw_prefix p = { .len = r->src_len ? r->src_len : 128 };

	memcpy(p.addr, r->src, sizeof(p.addr));
	return fw_prefix_format(&p, buf);
}

/* A limit rule's action is drop, as its config says: the limit says what passes. */
static const char *fw_info_action(const struct fw_rule_info *r)
{
	return fw_action_name(r->action == FW_ACTION_LIMIT ? FW_ACTION_DROP : r->action);
}

void fw_limit_json_add(struct json_object *obj, const struct fw_rule_limit *limit)
{
	struct json_object *lim = json_object_new_object();
	char text[FW_DURATION_TEXT_MAX];

	if (lim) {
		json_object_object_add(lim, "rate", json_object_new_string(
				fw_rate_text(text, sizeof(text), limit->interval)));
		json_object_object_add(lim, "burst", json_object_new_int64(limit->burst));
		json_object_object_add(lim, "per", json_object_new_string(limit->per_source
										  ? "source" : "rule"));
	}
	json_object_object_add(obj, "limit", lim);
	json_object_object_add(obj, "ban_for", limit->ban_for
			       ? json_object_new_string(fw_duration_format(limit->ban_for, text))
			       : NULL);
}

static struct json_object *fw_rule_json(const struct fw_rule_row *row)
{
	const struct fw_rule_info *r = row->info;
	struct json_object *obj = json_object_new_object();
	char text[FW_PREFIX_TEXT_MAX + FW_RULE_NAME_MAX + 1];

	if (!obj)
		return NULL;
	json_object_object_add(obj, "name", json_object_new_string_len(r->name, fw_name_len(r)));
	if (row->set) {
		size_t len = fw_set_info_name_len(row->set);

		text[0] = '@';
		memcpy(text + 1, row->set->name, len);
		json_object_object_add(obj, "src", json_object_new_string_len(text, (int)len + 1));
		json_object_object_add(obj, "set", json_object_new_string_len(row->set->name,
									       (int)len));
		json_object_object_add(obj, "elements",
				       json_object_new_uint64(fw_set_info_elements(row->set)));
	} else {
		json_object_object_add(obj, "src", r->has_src ? json_object_new_string(row->src)
							      : NULL);
	}
	json_object_object_add(obj, "port", r->port ? json_object_new_int(r->port) : NULL);
	if (row->more_ports)
		json_object_object_add(obj, "more_ports", json_object_new_boolean(1));
	json_object_object_add(obj, "proto", json_object_new_string(fw_proto_name(r->proto)));
	if (r->tcp_flags & FW_TCP_FLAGS_SYN)
		json_object_object_add(obj, "tcp_flags", json_object_new_string("syn"));
	json_object_object_add(obj, "action", json_object_new_string(fw_info_action(r)));
	json_object_object_add(obj, "log", json_object_new_boolean(r->flags & FW_RULE_LOG));
	if (row->has_limit)
		fw_limit_json_add(obj, &row->limit);
	json_object_object_add(obj, "packets", json_object_new_uint64(row->counter.packets));
	json_object_object_add(obj, "bytes", json_object_new_uint64(row->counter.bytes));
	return obj;
}

/*
 * json-c writes each rule as it is made, one line each, inside the array:
 * a tree of a million rules would take seconds and gigabytes to build.
 */
static int fw_rules_json(FILE *out, const struct fw_rule_row *rows, size_t n)
{
	int err = 0;

	fputc('[', out);
	for (size_t i = 0; i < n && !err; i++) {
		struct json_object *obj = fw_rule_json(&rows[i]);

		fputs(i ? ",\n  " : "\n  ", out);
		err = obj ? fw_json_print(out, obj, JSON_C_TO_STRING_SPACED) : -ENOMEM;
	}
	fputs(n ? "\n]\n" : "]\n", out);
	return err;
}

static int fw_max(int a, int b)
{
	return a > b ? a : b;
}

/* The LIMIT column's text: "-" for a rule without one. */
static const char *fw_row_limit(const struct fw_rule_row *row, char text[FW_LIMIT_TEXT_MAX])
{
	if (row->limit_missing)
		return "? (not in fw_limits: drops all)";
	return row->has_limit ? fw_limit_text(text, FW_LIMIT_TEXT_MAX, &row->limit) : "-";
}

/* The LOG and LIMIT columns are there only when some rule logs, or has a limit. */
static void fw_rules_table(FILE *out, const struct fw_rule_row *rows, size_t n)
{
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)], limit[FW_LIMIT_TEXT_MAX];
	int name_w = 4, src_w = 3, port_w = 4, proto_w = 6, limit_w = 0, log_w = 0;

	for (size_t i = 0; i < n; i++) {
		name_w = fw_max(name_w, (int)strlen(fw_escape(name, sizeof(name), rows[i].info->name,
							      fw_name_len(rows[i].info))));
		src_w = fw_max(src_w, (int)strlen(rows[i].src));
		port_w = fw_max(port_w, (int)strlen(rows[i].port));
		proto_w = fw_max(proto_w, (int)strlen(rows[i].proto));
		if (rows[i].info->flags & FW_RULE_LOG)
			log_w = 3;
		if (rows[i].has_limit || rows[i].limit_missing)
			limit_w = fw_max(fw_max(limit_w, 5),
					 (int)strlen(fw_row_limit(&rows[i], limit)));
	}
	fprintf(out, "%-*s  %-*s  %*s  %-*s  %-6s  %-*s%s%-*s%s%12s  %14s\n", name_w, "NAME", src_w,
		"SRC", port_w, "PORT", proto_w, "PROTO", "ACTION", log_w, log_w ? "LOG" : "",
		log_w ? "  " : "", limit_w, limit_w ? "LIMIT" : "", limit_w ? "  " : "", "PACKETS",
		"BYTES");
	for (size_t i = 0; i < n; i++) {
		const struct fw_rule_info *r = rows[i].info;

		fprintf(out, "%-*s  %-*s  %*s  %-*s  %-6s  %-*s%s%-*s%s%12" PRIu64 "  %14" PRIu64 "\n",
			name_w, fw_escape(name, sizeof(name), r->name, fw_name_len(r)), src_w,
			rows[i].src, port_w, rows[i].port, proto_w, rows[i].proto, fw_info_action(r),
			log_w, log_w ? (r->flags & FW_RULE_LOG ? "yes" : "-") : "", log_w ? "  " : "",
			limit_w, limit_w ? fw_row_limit(&rows[i], limit) : "", limit_w ? "  " : "",
			(uint64_t)rows[i].counter.packets, (uint64_t)rows[i].counter.bytes);
	}
}

/*
 * Whether the rule names more ports than its first: fw_rule_info keeps only
 * that one, and the match tag, which is 0 for one port and no set. So a
 * tag other than the one the rule would have with one port means a range or
 * a list.
 */
static bool fw_info_more_ports(const struct fw_rule_info *r, const struct fw_set_info *set)
{
	struct fw_set named = { 0 };
	struct fw_rule one = { .has_src = r->has_src, .port = r->port };
	struct fw_ruleset rs = { .rules = &one, .count = 1 };

	if (!r->port || (r->set_id && !set))
		return false;
	if (set) {
		memcpy(named.name, set->name, fw_set_info_name_len(set));
		one.set_ref = 1;
		rs.sets = &named;
		rs.set_count = 1;
	}
	return fw_rule_match_tag(&rs, &one) != r->match_tag;
}

/* What the table and JSON show for the rule's source and ports. */
static void fw_row_fill(struct fw_rule_row *row, const struct fw_set_info *sets)
{
	const struct fw_rule_info *r = row->info;
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)], prefix[FW_PREFIX_TEXT_MAX];

	row->set = r->has_src ? fw_set_info_of(sets, r->set_id) : NULL;
	if (row->set)
		snprintf(row->src, sizeof(row->src), "@%s (%" PRIu64 " elements)",
			 fw_escape(name, sizeof(name), row->set->name,
				   fw_set_info_name_len(row->set)),
			 fw_set_info_elements(row->set));
	else if (r->has_src && r->set_id)
		snprintf(row->src, sizeof(row->src), "@? (set %u is not in fw_set_info)",
			 r->set_id);
	else if (r->has_src)
		snprintf(row->src, sizeof(row->src), "%s", fw_info_prefix(r, prefix));
	else
		strcpy(row->src, "any");
	row->more_ports = fw_info_more_ports(r, row->set);
	snprintf(row->proto, sizeof(row->proto), "%s%s", fw_proto_name(r->proto),
		 r->tcp_flags & FW_TCP_FLAGS_SYN ? " syn" : "");
	if (r->port)
		snprintf(row->port, sizeof(row->port), "%u%s", r->port,
			 row->more_ports ? ",..." : "");
	else
		strcpy(row->port, "any");
}

void fw_rule_describe(const struct fw_rule_info *r, const struct fw_set_info *sets,
		      struct fw_rule_text *out)
{
	struct fw_rule_row row = { .info = r };

	fw_row_fill(&row, sets);
	snprintf(out->src, sizeof(out->src), "%s", row.src);
	snprintf(out->port, sizeof(out->port), "%s", row.port);
	snprintf(out->proto, sizeof(out->proto), "%s", row.proto);
}

/* A limit rule's policy; none is worth saying: the datapath drops all it matches then. */
static int fw_row_limit_read(const struct fw_datapath *dp, uint32_t id, struct fw_rule_row *row)
{
	struct fw_limit_value v;

	if (bpf_map_lookup_elem(dp->limits_fd, &id, &v)) {
		row->limit_missing = errno == ENOENT;
		return errno == ENOENT ? 0 : -errno;
	}
	row->has_limit = true;
	row->limit = fw_limit_of_value(&v);
	return 0;
}

int fw_show_rules(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_set_info *sets = calloc(FW_MAX_NAMED_SETS, sizeof(*sets));
	struct fw_rule_info *infos = NULL;
	struct fw_rule_row *rows = NULL;
	uint32_t *ids = NULL, word = 0, active;
	size_t count = 0, n = 0;
	int err = sets ? fw_param_read(dp, FW_PARAM_ACTIVE, &word) : -ENOMEM;

	active = word & FW_ACTIVE_SET;
	if (!err)
		err = fw_set_infos_read(dp, active, sets);
	if (!err)
		err = fw_rule_infos_dump(dp, &ids, &infos, &count);
	if (!err && !(rows = calloc(count + 1, sizeof(*rows))))
		err = -ENOMEM;
	for (size_t i = 0; i < count && !err; i++) {
		struct fw_rule_row *row = &rows[n];

		if (!(infos[i].sets & (1u << active)))
			continue;
		row->info = &infos[i];
		err = fw_counter_read(dp, ids[i], &row->counter);
		if (!err && infos[i].action == FW_ACTION_LIMIT)
			err = fw_row_limit_read(dp, ids[i], row);
		fw_row_fill(row, sets);
		n++;
	}
	if (!err) {
		qsort(rows, n, sizeof(*rows), fw_row_cmp);
		if (json) {
			err = fw_rules_json(out, rows, n);
		} else {
			fprintf(out, "%zu rules in force; default %s; fragments %s\n\n", n,
				word & FW_ACTIVE_DEFAULT_DROP ? "drop" : "pass",
				word & FW_ACTIVE_FRAGMENTS_DROP ? "drop" : "inspect");
			fw_rules_table(out, rows, n);
		}
	}
	free(rows);
	free(ids);
	free(infos);
	free(sets);
	return err;
}

static int fw_stats_json(FILE *out, const struct fw_stat_value *stats,
			 const uint64_t events[FW_EVENT_STAT_COUNT])
{
	struct json_object *doc = json_object_new_object();
	int err = doc ? 0 : -ENOMEM;

	for (int i = 0; i < FW_STAT_COUNT && !err; i++) {
		struct json_object *stat = json_object_new_object();

		if (!stat) {
			err = -ENOMEM;
			break;
		}
		json_object_object_add(stat, "packets", json_object_new_uint64(stats[i].packets));
		json_object_object_add(stat, "bytes", json_object_new_uint64(stats[i].bytes));
		json_object_object_add(doc, fw_stat_names[i], stat);
	}
	if (!err) {
		json_object_object_add(doc, "events_sent",
				       json_object_new_uint64(events[FW_EVENT_STAT_SENT]));
		json_object_object_add(doc, "events_suppressed",
				       json_object_new_uint64(events[FW_EVENT_STAT_SUPPRESSED]));
		json_object_object_add(doc, "events_lost",
				       json_object_new_uint64(fw_event_stats_lost(events)));
		err = fw_json_print(out, doc, JSON_C_TO_STRING_PRETTY);
	} else {
		json_object_put(doc);
	}
	if (!err)
		fputc('\n', out);
	return err;
}

int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_stat_value stats[FW_STAT_COUNT];
	uint64_t events[FW_EVENT_STAT_COUNT];
	int err = fw_stats_read(dp, stats);

	err = err ?: fw_event_stats_read(dp->event_stats_fd, events);
	if (err)
		return err;
	if (json)
		return fw_stats_json(out, stats, events);
	fprintf(out, "%-17s  %14s  %16s\n", "COUNTER", "PACKETS", "BYTES");
	for (int i = 0; i < FW_STAT_COUNT; i++)
		fprintf(out, "%-17s  %14" PRIu64 "  %16" PRIu64 "\n", fw_stat_names[i],
			(uint64_t)stats[i].packets, (uint64_t)stats[i].bytes);
	/* Events: sent within log_rate, held back by it, lost to a reader's full ring. */
	fprintf(out, "\n%-17s  %14s\n", "EVENTS", "COUNT");
	fprintf(out, "%-17s  %14" PRIu64 "\n%-17s  %14" PRIu64 "\n%-17s  %14" PRIu64 "\n",
		"events_sent", events[FW_EVENT_STAT_SENT], "events_suppressed",
		events[FW_EVENT_STAT_SUPPRESSED], "events_lost", fw_event_stats_lost(events));
	return 0;
}
