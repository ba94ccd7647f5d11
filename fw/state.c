// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "log.h"
#include "pin.h"
#include "state.h"

static void fw_state_retired_close(struct fw_state *st)
{
	fw_datapath_close(&st->retired);
	free(st->carried);
	st->carried = NULL;
	fw_bans_carry_free(&st->bans);
}

/* Words of the params that are no rule set's: which ban maps to read, the clock's shift. */
static const uint32_t fw_carried_params[] = { FW_PARAM_ACTIVE, FW_PARAM_BANS, FW_PARAM_CLOCK_LO,
					      FW_PARAM_CLOCK_HI, FW_PARAM_LOG };

/*
 * Copies rule names and counters into bigger maps, so counters survive the
 * move; carried[id] keeps what was copied, for fw_state_carry_late_counts().
 */
static int fw_state_copy_identities(const struct fw_datapath *from, struct fw_datapath *to,
				    struct fw_counter *carried)
{
	uint32_t ids = fw_datapath_ids(from);
	int err = 0;

	to->blank = false;
	memcpy(to->rule_infos, from->rule_infos, ids * sizeof(from->rule_infos[0]));
	for (uint32_t id = 0; id < ids; id++)
		if (!fw_counter_read(from, id, &carried[id]))
			fw_counter_write(to, id, &carried[id]);
	/* The names say which set they belong to: the same set must be the active one. */
	for (size_t i = 0; i < sizeof(fw_carried_params) / sizeof(fw_carried_params[0]); i++) {
		uint32_t value = 0;

		err = err ?: fw_param_read(from, fw_carried_params[i], &value);
		err = err ?: fw_param_write(to, fw_carried_params[i], value);
	}
	return err;
}

int fw_state_replace_maps(struct fw_state *st, struct fw_datapath *fresh)
{
	bool replacing = st->dp.prog_fd >= 0;
	int err;

	fw_state_retired_close(st);
	if (replacing) {
		st->carried = calloc(fw_datapath_ids(&st->dp), sizeof(*st->carried));
		err = st->carried ? fw_state_copy_identities(&st->dp, fresh, st->carried) : -ENOMEM;
		if (err)
			fw_error("cannot carry counters over to the new maps: %s", strerror(-err));
		if (!err && fresh->bans_to_copy)
			err = fw_bans_carry(&st->dp, fresh, &st->bans);
		if (err) {
			fw_state_retired_close(st);
			fw_datapath_close(fresh);
			return err;
		}
		fw_info("%s: new maps for %u rules (%u IPv4, %u IPv6 sources) replace the pinned "
			"ones", st->pin_dir, fresh->capacity, fresh->room.sources4,
			fresh->room.sources6);
		st->retired = st->dp;
	}
	st->dp = *fresh;
	st->unpinned = true;
	return 0;
}

/*
 * Packets the replaced maps counted after their counters were copied, while
 * the new set synced and the links switched: once no packet can run the
 * old program any more, those counts join the new maps, and so do the bans
 * it made meanwhile (ban_for) and the ban maps it was told to read.
 */
static void fw_state_carry_late_counts(struct fw_state *st)
{
	uint32_t ids = fw_datapath_ids(&st->retired), bans = 0;
	int err = fw_wait_for_readers(), bans_err = 0;

	if (!err && !fw_param_read(&st->retired, FW_PARAM_BANS, &bans))
		fw_param_set_bits(&st->dp, FW_PARAM_BANS, bans);
	if (!err && st->dp.bans_to_copy)
		bans_err = fw_bans_carry_late(&st->retired, &st->dp, &st->bans);
	st->dp.bans_to_copy = false;
	if (bans_err)
		fw_error("%s: bans made while the maps were replaced are not carried over: %s",
			 st->pin_dir, strerror(-bans_err));
	for (uint32_t id = 0; id < ids && !err; id++) {
		const struct fw_counter *then = &st->carried[id];
		struct fw_counter now;

		if (fw_counter_read(&st->retired, id, &now) || now.packets == then->packets)
			continue;
		fw_counter_add(&st->dp, id,
			       &(struct fw_counter){ now.packets - then->packets,
						     now.bytes - then->bytes });
	}
	if (err)
		fw_error("%s: packets counted while the maps were replaced are not carried over: "
			 "%s", st->pin_dir, strerror(-err));
	fw_state_retired_close(st);
}

#ifdef FW_TEST_HOOKS
/*
 * XDPFW_FAILPOINT=NAME makes the process kill itself at that point, so the
 * tests can prove what a crash there leaves behind. Only build/xdpfw-test
 * has it: the installed binary reads no test variables.
 */
static void fw_failpoint(const char *name)
{
	const char *wanted = getenv("XDPFW_FAILPOINT");

	if (wanted && !strcmp(wanted, name))
		raise(SIGKILL);
}
#else
#define fw_failpoint(name) ((void)0)
#endif

/*
 * Finishes or undoes a replacement of the pinned state that a crash cut
 * short (see fw_pin_stage()): once a link runs the staged program, the
 * staged maps are the ones in force, and the pins must say so.
 */
static int fw_state_recover(const char *pin_dir)
{
	__u32 staged_id;
	int err = fw_pin_staged_prog_id(pin_dir, &staged_id);

	if (err == -ENOENT)
		return fw_pin_has_staged_maps(pin_dir) ? fw_pin_promote(pin_dir) : 0;
	if (!err && fw_links_run_prog(pin_dir, staged_id)) {
		fw_info("%s: finishing a switch to new maps that was cut short", pin_dir);
		return fw_pin_promote(pin_dir);
	}
	fw_pin_unstage(pin_dir);
	return 0;
}

int fw_state_open(struct fw_state *st, const char *pin_dir, bool create)
{
	int err;

	memset(st, 0, sizeof(*st));
	st->pin_dir = pin_dir;
	fw_datapath_init(&st->dp);
	fw_datapath_init(&st->retired);
	err = fw_pin_lock(pin_dir, create, &st->lock_fd);
	if (!err)
		err = fw_state_recover(pin_dir);
	if (!err)
		err = fw_pin_adopt(pin_dir, &st->dp);
	if (!err)
		fw_debug("%s: adopted the pinned XDP program (%u rules per set)", pin_dir,
			 st->dp.capacity);
	if (err == -ENOENT && create)
		return 0;
	if (err == -ENOENT)
		fw_error("%s: nothing is pinned here; start xdpfw with 'xdpfw run' or 'xdpfw "
			 "apply'", pin_dir);
	if (err)
		fw_state_close(st);
	return err;
}

static int fw_state_peek_with(struct fw_state *st, const char *pin_dir,
			      int (*adopt)(const char *dir, struct fw_datapath *dp))
{
	int err;

	memset(st, 0, sizeof(*st));
	st->pin_dir = pin_dir;
	st->lock_fd = -1;
	fw_datapath_init(&st->dp);
	fw_datapath_init(&st->retired);
	err = adopt(pin_dir, &st->dp);
	if (err)
		fw_state_close(st);
	return err;
}

int fw_state_peek(struct fw_state *st, const char *pin_dir)
{
	return fw_state_peek_with(st, pin_dir, fw_pin_adopt);
}

int fw_state_peek_unmapped(struct fw_state *st, const char *pin_dir)
{
	return fw_state_peek_with(st, pin_dir, fw_pin_open);
}

void fw_state_close(struct fw_state *st)
{
	fw_state_retired_close(st);
	fw_datapath_close(&st->dp);
	fw_pin_unlock(st->lock_fd);
	st->lock_fd = -1;
}

int fw_state_switch(struct fw_state *st)
{
	int err;

	if (!st->unpinned)
		return 0;
	err = fw_pin_stage(st->pin_dir, &st->dp);
	if (err)
		return err;
	fw_failpoint("staged");
	err = fw_links_update_prog(st->pin_dir, st->dp.prog_fd);
	fw_failpoint("links-switched");
	err = err ?: fw_pin_promote(st->pin_dir);
	if (err) { /* links may run either program: the recovery at the next start decides */
		fw_error("%s: switching to the new maps failed; the next xdpfw command "
			 "finishes or undoes it", st->pin_dir);
		return err;
	}
	if (st->retired.prog_fd >= 0)
		fw_state_carry_late_counts(st);
	st->unpinned = false;
	return 0;
}
