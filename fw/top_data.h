/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `xdpfw top` shows, apart from the screen: samples of the pinned
 * counters, and the rates between two samples, by rule name so a reload
 * that gives a rule another id keeps its rate.
 */
#ifndef FW_TOP_DATA_H
#define FW_TOP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath.h"

struct fw_top_rule {
	struct fw_rule_info info;
	struct fw_counter counter;
};

/* The counters at one moment. */
struct fw_top_sample {
	uint64_t when_ns;           /* CLOCK_MONOTONIC */
	uint32_t active;            /* FW_PARAM_ACTIVE: the set in force, default action */
	struct fw_top_rule *rules;  /* the set in force's rules, sorted by name */
	size_t rule_count;
	struct fw_set_info *sets;   /* its named sets, to describe "@set" rules */
	struct fw_stat_value stats[FW_STAT_COUNT];
	uint64_t events_sent;
	uint64_t events_suppressed;
	size_t bans;                /* in force, not expired */
	struct fw_reload_stats reloads;
};

/* Reads every counter of dp into s; fw_top_sample_free() it, even on error. */
int fw_top_sample_read(const struct fw_datapath *dp, struct fw_top_sample *s);
void fw_top_sample_free(struct fw_top_sample *s);

/* The interfaces the pinned links attach to, sorted, as "eth0, eth1" ("" for none). */
void fw_top_interfaces(const char *pin_dir, char *out, size_t size);
/* The pinned program's id; 0 when nothing is pinned. */
uint32_t fw_top_pinned_prog_id(const char *pin_dir);
/* dp's program id, 0 when dp is a mix of old and new maps (peeked during a switch). */
uint32_t fw_top_prog_id(const struct fw_datapath *dp);

struct fw_top_row {
	const struct fw_top_rule *rule; /* in the newer sample */
	struct fw_counter delta;        /* since the older one; 0 for a rule new since */
};

enum fw_top_order { FW_TOP_BY_PACKETS, FW_TOP_BY_BYTES, FW_TOP_BY_NAME, FW_TOP_ORDERS };

extern const char *const fw_top_order_names[FW_TOP_ORDERS];

/* What grew between two samples, and over how long. */
struct fw_top_view {
	double seconds;           /* 0 before the second sample: no rates yet */
	struct fw_top_row *rows;
	size_t count;
	struct fw_counter stats[FW_STAT_COUNT];
	struct fw_counter passed, dropped; /* the stats summed by verdict */
	uint64_t events_sent, events_suppressed;
};

/* The view from then (NULL: none yet) to now; rows point into now. */
int fw_top_view_make(const struct fw_top_sample *then, const struct fw_top_sample *now,
		     struct fw_top_view *v);
/* Busiest first (or by name), ties by name, so equal rates keep their places. */
void fw_top_view_sort(struct fw_top_view *v, enum fw_top_order order);
void fw_top_view_free(struct fw_top_view *v);

/* delta per second over the view; 0 when it has no rates yet. */
static inline double fw_top_rate(const struct fw_top_view *v, uint64_t delta)
{
	return v->seconds > 0 ? (double)delta / v->seconds : 0;
}

/* At most 5 characters: "0", "<1", "999", "1.23k", "45.6M", "789G". */
#define FW_TOP_HUMAN_MAX 8
const char *fw_top_human(char buf[FW_TOP_HUMAN_MAX], double value);

#endif /* FW_TOP_DATA_H */
