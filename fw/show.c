// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "identity.h"
#include "mapio.h"
#include "names.h"
#include "show.h"
#include "text.h"

void fw_addr_format(const uint8_t addr[16], char *buf, size_t size)
{
	if (fw_addr_is_v4_mapped(addr))
		inet_ntop(AF_INET, addr + 12, buf, size);
	else
		inet_ntop(AF_INET6, addr, buf, size);
}

struct fw_rule_row {
	const struct fw_rule_info *info;
	struct fw_counter counter;
	char src[INET6_ADDRSTRLEN];
	char port[8];
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

/* Writes doc and frees it. */
static int fw_json_print(FILE *out, struct json_object *doc, int flags)
{
	const char *text = json_object_to_json_string_ext(doc,
							  flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	int err = text ? 0 : -ENOMEM;

	if (text)
		fputs(text, out);
	json_object_put(doc);
	return err;
}

static struct json_object *fw_rule_json(const struct fw_rule_row *row)
{
	const struct fw_rule_info *r = row->info;
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "name", json_object_new_string_len(r->name, fw_name_len(r)));
	json_object_object_add(obj, "src", r->has_src ? json_object_new_string(row->src) : NULL);
	json_object_object_add(obj, "port", r->port ? json_object_new_int(r->port) : NULL);
	json_object_object_add(obj, "proto", json_object_new_string(fw_proto_name(r->proto)));
	json_object_object_add(obj, "action", json_object_new_string(fw_action_name(r->action)));
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

static void fw_rules_table(FILE *out, const struct fw_rule_row *rows, size_t n)
{
	char name[FW_ESCAPED_SIZE(FW_RULE_NAME_MAX)];
	int name_w = 4, src_w = 3;

	for (size_t i = 0; i < n; i++) {
		int len = strlen(fw_escape(name, sizeof(name), rows[i].info->name,
					   fw_name_len(rows[i].info)));

		name_w = len > name_w ? len : name_w;
		len = strlen(rows[i].src);
		src_w = len > src_w ? len : src_w;
	}
	fprintf(out, "%-*s  %-*s  %5s  %-6s  %-6s  %12s  %14s\n", name_w, "NAME", src_w, "SRC",
		"PORT", "PROTO", "ACTION", "PACKETS", "BYTES");
	for (size_t i = 0; i < n; i++) {
		const struct fw_rule_info *r = rows[i].info;

		fprintf(out, "%-*s  %-*s  %5s  %-6s  %-6s  %12" PRIu64 "  %14" PRIu64 "\n", name_w,
			fw_escape(name, sizeof(name), r->name, fw_name_len(r)), src_w, rows[i].src,
			rows[i].port, fw_proto_name(r->proto), fw_action_name(r->action),
			(uint64_t)rows[i].counter.packets, (uint64_t)rows[i].counter.bytes);
	}
}

int fw_show_rules(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_rule_info *infos = NULL;
	struct fw_rule_row *rows = NULL;
	uint32_t *ids = NULL, word = 0, active;
	size_t count = 0, n = 0;
	int err = fw_param_read(dp, FW_PARAM_ACTIVE, &word);

	active = word & FW_ACTIVE_SET;
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
		if (infos[i].has_src)
			fw_addr_format(infos[i].src, row->src, sizeof(row->src));
		else
			strcpy(row->src, "any");
		if (infos[i].port)
			snprintf(row->port, sizeof(row->port), "%u", infos[i].port);
		else
			strcpy(row->port, "any");
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
	return err;
}

static int fw_stats_json(FILE *out, const struct fw_stat_value *stats)
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
	if (!err)
		err = fw_json_print(out, doc, JSON_C_TO_STRING_PRETTY);
	else
		json_object_put(doc);
	if (!err)
		fputc('\n', out);
	return err;
}

int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_stat_value stats[FW_STAT_COUNT];
	int err = fw_stats_read(dp, stats);

	if (err)
		return err;
	if (json)
		return fw_stats_json(out, stats);
	fprintf(out, "%-16s  %14s  %16s\n", "COUNTER", "PACKETS", "BYTES");
	for (int i = 0; i < FW_STAT_COUNT; i++)
		fprintf(out, "%-16s  %14" PRIu64 "  %16" PRIu64 "\n", fw_stat_names[i],
			(uint64_t)stats[i].packets, (uint64_t)stats[i].bytes);
	return 0;
}
