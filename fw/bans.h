/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bans (DESIGN §1b): addresses and prefixes dropped before any rule, in
 * their own pinned maps, expiring by the datapath's clock. Every writer
 * (the CLI, fail2ban through it, the CrowdSec bouncer) goes through here.
 */
#ifndef FW_BANS_H
#define FW_BANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath.h"
#include "prefix.h"

/* One ban as `bans` shows it. */
struct fw_ban {
	struct fw_prefix prefix;
	uint64_t expires;  /* the datapath's clock (ns); 0 = until unbanned */
	uint64_t since;    /* the same clock */
	uint64_t packets;
	uint64_t bytes;
	char origin[FW_RULE_NAME_MAX];
};

/* The datapath's clock now: CLOCK_BOOTTIME plus the FW_PARAM_CLOCK_* shift. */
uint64_t fw_bans_clock(const struct fw_datapath *dp);

/*
 * Bans prefixes[0..count) for duration ns (0 = until unbanned), with origin
 * ("manual", "crowdsec:SCENARIO", a reason). A ban already there gets the
 * new expiry and origin and keeps its counters. Refuses, naming both, a ban
 * that overlaps settings.never_ban, and one past max_bans; what was refused
 * is reported once, here, and the rest is still banned. Returns how many
 * were refused (0 = all banned), or a negative errno.
 */
long fw_bans_add(const struct fw_datapath *dp, const struct fw_prefix *prefixes, size_t count,
		 uint64_t duration, const char *origin);

/* Lifts these bans; one that is not there is reported unless quiet. Returns how many were not. */
long fw_bans_remove(const struct fw_datapath *dp, const struct fw_prefix *prefixes, size_t count,
		    bool quiet);

/* The bans in force, expired ones deleted on the way; *out is malloc'd. */
int fw_bans_list(const struct fw_datapath *dp, struct fw_ban **out, size_t *count);

/*
 * Counts the live bans by fw_ban_origins index into counts, zeroed by the
 * caller; counts[FW_BAN_ORIGINS] takes those of no known origin. Reads
 * only, without deleting the expired ones as fw_bans_list() does, and
 * skips maps whose FW_PARAM_BANS bit says they are empty: for metrics and
 * top, which write nothing.
 */
int fw_bans_count_by_origin(const struct fw_datapath *dp, uint64_t counts[FW_BAN_ORIGINS + 1]);

/* Deletes expired bans and origins no ban uses; clears FW_PARAM_BANS bits of empty maps. */
int fw_bans_reclaim(const struct fw_datapath *dp);

/* Writes settings.never_ban into fw_never_ban4/6: the sync calls it with every config. */
int fw_bans_set_never(const struct fw_datapath *dp, const struct fw_set *never_ban);

/*
 * The fw_ban_origins entry for name, made if new ("limit:RULE" for limit
 * rules, written by the sync into fw_limit_value.ban_origin).
 */
int fw_bans_origin(const struct fw_datapath *dp, const char *name, uint32_t *index);

#endif /* FW_BANS_H */
