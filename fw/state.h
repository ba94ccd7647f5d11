/* SPDX-License-Identifier: GPL-2.0 */
/* The pinned state's lifecycle: adopt or create it, locked; replace its maps; switch to them. */
#ifndef FW_STATE_H
#define FW_STATE_H

#include "bans_carry.h"
#include "datapath.h"
#include "identity.h"

struct fw_state {
	const char *pin_dir;
	int lock_fd;
	struct fw_datapath dp; /* closed while nothing is pinned yet */
	bool unpinned;         /* dp is new, and replaces what is pinned once synced */
	/* The maps dp replaces, until the links run dp's program; their counts when copied. */
	struct fw_datapath retired;
	struct fw_counter *carried;
	struct fw_bans_carry bans; /* when dp's ban maps are not retired's: what was copied */
};

/*
 * Locks pin_dir and adopts what is pinned there, finishing or undoing a
 * switch that a crash cut short. With create, an empty pin dir is fine: the
 * first fw_state_replace_maps() brings the program. Without, -ENOENT when
 * nothing is pinned, said once to the operator.
 */
int fw_state_open(struct fw_state *st, const char *pin_dir, bool create);
/*
 * Adopts what is pinned without the lock and without recovering a cut-short
 * switch: for readers that must never wait for a reload (metrics, top). A
 * switch may replace the maps meanwhile, or leave this a mix of old and
 * new: read again, and peek again when a read fails. -ENOENT quietly when
 * nothing is pinned.
 */
int fw_state_peek(struct fw_state *st, const char *pin_dir);
/*
 * fw_state_peek() without mapping the rule arrays in (fw_pin_open): for a
 * reader that maps a window of them at a time, so that reading a hundred
 * thousand rules does not add the arrays' tens of MB to its RSS (metrics).
 */
int fw_state_peek_unmapped(struct fw_state *st, const char *pin_dir);
void fw_state_close(struct fw_state *st);

/*
 * Maps cannot be resized, so a config that needs more room gets fresh ones
 * (just loaded; st takes them, and closes them on error). Rule names and
 * counters are carried over from the maps they replace, which stay in force
 * until fw_state_switch(). The maps outside the rule sets (bans, never_ban,
 * limits) are fresh's too: fw_datapath_load_over() reused them, or, for a
 * new settings.max_bans, the bans are copied here.
 */
int fw_state_replace_maps(struct fw_state *st, struct fw_datapath *fresh);

/*
 * Once the new maps are synced: pins them beside the old ones, points every
 * link at their program and makes their pins the ones in force, then adds
 * what the old maps counted meanwhile. Nothing to do when the maps were kept.
 */
int fw_state_switch(struct fw_state *st);

#endif /* FW_STATE_H */
