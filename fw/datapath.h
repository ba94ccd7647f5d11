/* SPDX-License-Identifier: GPL-2.0 */
/* The loaded XDP program and its maps, as file descriptors. */
#ifndef FW_DATAPATH_H
#define FW_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

struct xdpfw;

/* Entries each per-set hash map holds: sized to the config, so a set is preallocated, not grown. */
struct fw_room {
	uint32_t sources4;
	uint32_t sources6;
	uint32_t port_rules;
	uint32_t classes;   /* fw_classes_N entries */
	uint32_t prefix4;   /* fw_prefix4_N entries: FW_PREFIX4_ROOT + 256 * blocks */
	uint32_t prefixes6;
};

/* Room for any set of capacity rules, sets and port lists aside. */
struct fw_room fw_room_for_capacity(uint32_t capacity);
/* Room for c with headroom, at least have, so a growing config rarely needs new maps. */
struct fw_room fw_room_for(const struct fw_compiled *c, const struct fw_room *have);
/*
 * Room that fits rs however its rules compile (each rule its own source),
 * so maps can load before the rules are compiled; no more than its rule count.
 */
struct fw_room fw_room_for_rules(const struct fw_ruleset *rs, const struct fw_room *have);
bool fw_room_fits(const struct fw_room *room, const struct fw_compiled *c);

/*
 * The maps outside the rule sets, kept by a new program (bpf_map__reuse_fd):
 * bans, never_ban, limits, event readers and counts live on across map
 * replacements.
 */
#define FW_KEPT_MAPS 14
/* The first four of them: the ban maps, sized to settings.max_bans. */
#define FW_BAN_MAPS 4

#define FW_DATAPATH_FDS (1 + 6 * FW_SETS + 7 + FW_KEPT_MAPS)
#define FW_KEPT_FD0 (FW_DATAPATH_FDS - FW_KEPT_MAPS) /* fds[] index of the first kept map */

struct fw_datapath {
	struct xdpfw *skel; /* the skeleton that loaded it, if this process did */
	union {
		struct {
			int prog_fd;
			int sources4_fd[FW_SETS];
			int sources6_fd[FW_SETS];
			int port_rules_fd[FW_SETS];
			int classes_fd[FW_SETS];
			int prefix4_fd[FW_SETS];
			int prefix6_fd[FW_SETS];
			int ports_fd;
			int counters_fd;
			int params_fd;
			int stats_fd;
			int lengths6_fd;
			int set_info_fd;
			int rule_info_fd;
			int bans4_fd;       /* FW_KEPT_MAPS from here, in this order */
			int bans6_fd;
			int ban_prefix4_fd;
			int ban_prefix6_fd;
			int ban_origins_fd;
			int never_ban4_fd;
			int never_ban6_fd;
			int limits_fd;
			int limit_buckets_fd;
			int event_rings_fd;
			int event_readers_fd;
			int event_stats_fd;
			int log_fd;
			int reloads_fd;
		};
		int fds[FW_DATAPATH_FDS]; /* all of the above, to open and close them alike */
	};
	uint32_t capacity; /* rules per set */
	struct fw_room room; /* entries each per-set hash map holds */
	uint32_t max_bans;   /* entries each ban map holds */
	/* fw_datapath_load_over() made ban maps apart from in_force's: its bans are to be copied. */
	bool bans_to_copy;
	/* fw_rule_info and fw_counters mapped in: FW_SETS * capacity entries each. */
	struct fw_rule_info *rule_infos;
	struct fw_rule_counter *counters;
	uint32_t *params; /* fw_params mapped in: FW_PARAM_COUNT words */
	uint32_t *prefix4_mem[FW_SETS]; /* fw_prefix4_N mapped in: room.prefix4 entries */
	/* Created by this process and not written yet: every id is free, every counter zero. */
	bool blank;
	/* Loaded by this process, not pinned or attached yet: no packet can run it. */
	bool unreachable;
};

_Static_assert(offsetof(struct fw_datapath, reloads_fd) ==
		       offsetof(struct fw_datapath, fds[FW_DATAPATH_FDS - 1]),
	       "fds[] must cover every descriptor");
_Static_assert(offsetof(struct fw_datapath, bans4_fd) ==
		       offsetof(struct fw_datapath, fds[FW_KEPT_FD0]),
	       "the kept maps come last");

/* Marks every fd closed, so fw_datapath_close() is safe at once. */
void fw_datapath_init(struct fw_datapath *dp);
/* Opens and loads the program: ids for capacity rules per set, hash maps of the given room. */
int fw_datapath_load(struct fw_datapath *dp, uint32_t capacity, const struct fw_room *room);
/*
 * The same, with ban maps of max_bans entries, as the replacement of
 * in_force (NULL: nothing is): the new program uses in_force's kept maps,
 * its ban maps too unless they hold a different max_bans (then new ones,
 * empty: fw_state_replace_maps() copies the bans).
 */
int fw_datapath_load_over(struct fw_datapath *dp, uint32_t capacity, const struct fw_room *room,
			  uint32_t max_bans, const struct fw_datapath *in_force);
/* Reads the room (and max_bans) of adopted maps from the kernel. */
int fw_datapath_read_room(struct fw_datapath *dp);
/* Maps fw_params into memory: fw_param_read() and fw_param_write() need it. */
int fw_datapath_map_params(struct fw_datapath *dp);
/* Maps fw_rule_info, fw_counters and the tries into memory; capacity and room must be set. */
int fw_datapath_mmap(struct fw_datapath *dp);
static inline uint32_t fw_datapath_ids(const struct fw_datapath *dp)
{
	return FW_SETS * dp->capacity;
}

/* Closes whatever fw_datapath_load() opened; safe on an initialised or closed dp. */
void fw_datapath_close(struct fw_datapath *dp);

/* Returns once no XDP program that was running when called still runs. */
int fw_wait_for_readers(void);

int fw_param_read(const struct fw_datapath *dp, uint32_t index, uint32_t *value);
int fw_param_write(const struct fw_datapath *dp, uint32_t index, uint32_t value);
/* Sets or clears bits of a word in one atomic step, beside a datapath that may set some too. */
int fw_param_set_bits(const struct fw_datapath *dp, uint32_t index, uint32_t bits);
int fw_param_clear_bits(const struct fw_datapath *dp, uint32_t index, uint32_t bits);

/*
 * Puts rs in force as one whole set, with the ids its rules carry: the old
 * set stays until the new one is complete. -ENOSPC when it does not fit.
 */
int fw_datapath_sync(struct fw_datapath *dp, const struct fw_ruleset *rs);

int fw_counter_read(const struct fw_datapath *dp, uint32_t id, struct fw_counter *out);
/* The same from a counter of fw_counters mapped in elsewhere; -EAGAIN if a spill never ends. */
int fw_rule_counter_read(const struct fw_rule_counter *c, struct fw_counter *out);
/* Sets a counter no packet can reach (its id in no set in force) to these totals. */
int fw_counter_write(const struct fw_datapath *dp, uint32_t id, const struct fw_counter *totals);
/* Adds to a counter, safely while packets count on it too. */
int fw_counter_add(const struct fw_datapath *dp, uint32_t id, const struct fw_counter *more);
int fw_counter_reset(const struct fw_datapath *dp, uint32_t id);
/* Sums the per-CPU stats into out[FW_STAT_COUNT]. */
int fw_stats_read(const struct fw_datapath *dp, struct fw_stat_value *out);
int fw_stats_reset(const struct fw_datapath *dp);

#endif /* FW_DATAPATH_H */
