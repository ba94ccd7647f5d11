// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "identity.h"
#include "mapio.h"
#include "names.h"
#include "show.h"

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
	return strcmp(x->info->name, y->info->name);
}

static void fw_rules_json(FILE *out, const struct fw_rule_row *rows, size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		const struct fw_rule_info *r = rows[i].info;

		fprintf(out, "%s\n  {\"name\": \"%s\", ", i ? "," : "", r->name);
		if (r->has_src)
			fprintf(out, "\"src\": \"%s\", ", rows[i].src);
		else
			fputs("\"src\": null, ", out);
		if (r->port)
			fprintf(out, "\"port\": %u, ", r->port);
		else
			fputs("\"port\": null, ", out);
		fprintf(out, "\"proto\": \"%s\", \"action\": \"%s\", \"packets\": %" PRIu64
			", \"bytes\": %" PRIu64 "}", fw_proto_name(r->proto),
			fw_action_name(r->action), (uint64_t)rows[i].counter.packets,
			(uint64_t)rows[i].counter.bytes);
	}
	fputs(n ? "\n]\n" : "]\n", out);
}

static void fw_rules_table(FILE *out, const struct fw_rule_row *rows, size_t n)
{
	int name_w = 4, src_w = 3;

	for (size_t i = 0; i < n; i++) {
		int len = strlen(rows[i].info->name);

		name_w = len > name_w ? len : name_w;
		len = strlen(rows[i].src);
		src_w = len > src_w ? len : src_w;
	}
	fprintf(out, "%-*s  %-*s  %5s  %-6s  %-6s  %12s  %14s\n", name_w, "NAME", src_w, "SRC",
		"PORT", "PROTO", "ACTION", "PACKETS", "BYTES");
	for (size_t i = 0; i < n; i++) {
		const struct fw_rule_info *r = rows[i].info;

		fprintf(out, "%-*s  %-*s  %5s  %-6s  %-6s  %12" PRIu64 "  %14" PRIu64 "\n", name_w,
			r->name, src_w, rows[i].src, rows[i].port, fw_proto_name(r->proto),
			fw_action_name(r->action), (uint64_t)rows[i].counter.packets,
			(uint64_t)rows[i].counter.bytes);
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
			fw_rules_json(out, rows, n);
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

int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json)
{
	struct fw_stat_value stats[FW_STAT_COUNT];
	int err = fw_stats_read(dp, stats);

	if (err)
		return err;
	if (json) {
		fputc('{', out);
		for (int i = 0; i < FW_STAT_COUNT; i++)
			fprintf(out, "%s\n  \"%s\": {\"packets\": %" PRIu64 ", \"bytes\": %" PRIu64 "}",
				i ? "," : "", fw_stat_names[i], (uint64_t)stats[i].packets,
				(uint64_t)stats[i].bytes);
		fputs("\n}\n", out);
		return 0;
	}
	fprintf(out, "%-16s  %14s  %16s\n", "COUNTER", "PACKETS", "BYTES");
	for (int i = 0; i < FW_STAT_COUNT; i++)
		fprintf(out, "%-16s  %14" PRIu64 "  %16" PRIu64 "\n", fw_stat_names[i],
			(uint64_t)stats[i].packets, (uint64_t)stats[i].bytes);
	return 0;
}
