/* SPDX-License-Identifier: GPL-2.0 */
/* One locked hold on the pinned state: adopt or create it, then put a config in force. */
#ifndef FW_STATE_H
#define FW_STATE_H

#include "config.h"
#include "datapath.h"
#include "identity.h"

struct fw_state {
	const char *pin_dir;
	int lock_fd;
	struct fw_datapath dp;
	bool unpinned; /* dp is a bigger replacement, not pinned yet */
};

/*
 * Locks pin_dir and opens what is pinned there. With min_capacity > 0 it
 * creates the state when absent and grows it when smaller; with 0 it only
 * adopts (-ENOENT when nothing is pinned, said once to the operator).
 */
int fw_state_open(struct fw_state *st, const char *pin_dir, uint32_t min_capacity);
void fw_state_close(struct fw_state *st);

/* Syncs the rules and attaches to the interfaces; on error what was in force stays. */
int fw_state_apply(struct fw_state *st, struct fw_config *cfg, struct fw_sync_report *report);

/* Loads path and puts it in force: the one path shared by `apply`, `run` and SIGHUP. */
int fw_config_enforce(const char *pin_dir, const char *path);

#endif /* FW_STATE_H */
