// SPDX-License-Identifier: GPL-2.0
/* `xdpfw top`'s arithmetic: what grew between two samples, in which order, in which units. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "top_data.h"

const char *const fw_top_order_names[FW_TOP_ORDERS] = {
	[FW_TOP_BY_PACKETS] = "packets/s",
	[FW_TOP_BY_BYTES] = "bytes/s",
	[FW_TOP_BY_NAME] = "name",
};

static int fw_top_name_cmp(const struct fw_top_rule *a, const struct fw_top_rule *b)
{
	return strncmp(a->info.name, b->info.name, sizeof(a->info.name));
}

/* What a counter grew by; one that went down started again (new maps, a new rule). */
static uint64_t fw_top_grew(uint64_t then, uint64_t now)
{
	return now >= then ? now - then : now;
}

/* A counter that started again did so for its packets and bytes alike. */
static struct fw_counter fw_top_delta(uint64_t packets0, uint64_t bytes0, uint64_t packets,
				      uint64_t bytes)
{
	if (packets < packets0)
		return (struct fw_counter){ packets, bytes };
	return (struct fw_counter){ packets - packets0, fw_top_grew(bytes0, bytes) };
}

/* Both samples' rules are sorted by name: one walk pairs them. */
static void fw_top_rows_pair(const struct fw_top_sample *then, const struct fw_top_sample *now,
			     struct fw_top_row *rows)
{
	size_t j = 0;

	for (size_t i = 0; i < now->rule_count; i++) {
		int cmp = 1;

		rows[i].rule = &now->rules[i];
		while (then && j < then->rule_count &&
		       (cmp = fw_top_name_cmp(&then->rules[j], &now->rules[i])) < 0)
			j++;
		if (then && j < then->rule_count && cmp == 0)
			rows[i].delta = fw_top_delta(then->rules[j].counter.packets,
						     then->rules[j].counter.bytes,
						     now->rules[i].counter.packets,
						     now->rules[i].counter.bytes);
	}
}

int fw_top_view_make(const struct fw_top_sample *then, const struct fw_top_sample *now,
		     struct fw_top_view *v)
{
	memset(v, 0, sizeof(*v));
	v->rows = calloc(now->rule_count + 1, sizeof(*v->rows));
	if (!v->rows)
		return -ENOMEM;
	v->count = now->rule_count;
	fw_top_rows_pair(then, now, v->rows);
	if (!then || now->when_ns <= then->when_ns)
		return 0;
	v->seconds = (double)(now->when_ns - then->when_ns) / 1e9;
	for (int i = 0; i < FW_STAT_COUNT; i++) {
		struct fw_counter *sum = fw_stat_is_drop(i) ? &v->dropped : &v->passed;

		v->stats[i] = fw_top_delta(then->stats[i].packets, then->stats[i].bytes,
					   now->stats[i].packets, now->stats[i].bytes);
		sum->packets += v->stats[i].packets;
		sum->bytes += v->stats[i].bytes;
	}
	v->events_sent = fw_top_grew(then->events_sent, now->events_sent);
	v->events_suppressed = fw_top_grew(then->events_suppressed, now->events_suppressed);
	return 0;
}

static int fw_top_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

static int fw_top_by_name(const void *a, const void *b)
{
	return fw_top_name_cmp(((const struct fw_top_row *)a)->rule,
			       ((const struct fw_top_row *)b)->rule);
}

static int fw_top_by_packets(const void *a, const void *b)
{
	const struct fw_top_row *x = a, *y = b;

	return fw_top_u64_desc(x->delta.packets, y->delta.packets)
		?: fw_top_u64_desc(x->delta.bytes, y->delta.bytes) ?: fw_top_by_name(a, b);
}

static int fw_top_by_bytes(const void *a, const void *b)
{
	const struct fw_top_row *x = a, *y = b;

	return fw_top_u64_desc(x->delta.bytes, y->delta.bytes)
		?: fw_top_u64_desc(x->delta.packets, y->delta.packets) ?: fw_top_by_name(a, b);
}

/* Every row has the same interval, so the deltas order the rows as their rates do, exactly. */
void fw_top_view_sort(struct fw_top_view *v, enum fw_top_order order)
{
	static int (*const cmp[FW_TOP_ORDERS])(const void *, const void *) = {
		[FW_TOP_BY_PACKETS] = fw_top_by_packets,
		[FW_TOP_BY_BYTES] = fw_top_by_bytes,
		[FW_TOP_BY_NAME] = fw_top_by_name,
	};

	if (v->count)
		qsort(v->rows, v->count, sizeof(*v->rows), cmp[order < FW_TOP_ORDERS ? order : 0]);
}

void fw_top_view_free(struct fw_top_view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->count = 0;
}

const char *fw_top_human(char buf[FW_TOP_HUMAN_MAX], double value)
{
	static const char units[] = "kMGTPE";
	int unit = -1;

	if (value > 0 && value < 0.5) {
		strcpy(buf, "<1");
		return buf;
	}
	/* Rounded first, so 999.6 reads "1.00k", not "1000". */
	while (value >= 999.5 && unit < (int)sizeof(units) - 2) {
		value /= 1000;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, FW_TOP_HUMAN_MAX, "%.0f", value);
	else
		snprintf(buf, FW_TOP_HUMAN_MAX, "%.*f%c",
			 value < 9.995 ? 2 : value < 99.95 ? 1 : 0, value, units[unit]);
	return buf;
}
