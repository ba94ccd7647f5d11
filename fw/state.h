/* SPDX-License-Identifier: GPL-2.0 */
/* One locked hold on the pinned state: adopt or create it, then put a config in force. */
#ifndef FW_STATE_H
#define FW_STATE_H

#include "config.h"
#include "datapath.h"
#include "identity.h"

struct fw_set_cache;

struct fw_state {
	const char *pin_dir;
	int lock_fd;
	struct fw_datapath dp; /* closed while nothing is pinned yet */
	bool unpinned;         /* dp is new, and replaces what is pinned once synced */
	/* The maps dp replaces, until the links run dp's program; their counts when copied. */
	struct fw_datapath retired;
	struct fw_counter *carried;
};

/*
 * Locks pin_dir and adopts what is pinned there. With create, an empty pin
 * dir is fine: fw_state_apply() loads the program. Without, -ENOENT when
 * nothing is pinned, said once to the operator.
 */
int fw_state_open(struct fw_state *st, const char *pin_dir, bool create);
void fw_state_close(struct fw_state *st);

/*
 * Syncs the rules, loading new maps first when the config needs more room
 * than the pinned ones have, and attaches to the interfaces. On error what
 * was in force stays. cache: see fw_rules_sync(); NULL for none.
 */
int fw_state_apply(struct fw_state *st, struct fw_config *cfg, struct fw_sync_report *report,
		   struct fw_set_cache *cache);

/*
 * Loads path and puts it in force: the one path shared by `apply`, `run`
 * and SIGHUP. The daemon passes the cache it keeps across reloads.
 */
int fw_config_enforce(const char *pin_dir, const char *path, struct fw_set_cache *cache);

#endif /* FW_STATE_H */
