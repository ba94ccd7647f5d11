// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "load_ahead.h"
#include "log.h"
#include "pin.h"
#include "state.h"
#include "sync.h"

static void fw_state_retired_close(struct fw_state *st)
{
	fw_datapath_close(&st->retired);
	free(st->carried);
	st->carried = NULL;
}

/*
 * Copies rule names and counters into bigger maps, so counters survive the
 * move; carried[id] keeps what was copied, for fw_state_carry_late_counts().
 */
static int fw_state_copy_identities(const struct fw_datapath *from, struct fw_datapath *to,
				    struct fw_counter *carried)
{
	uint32_t ids = fw_datapath_ids(from), active = 0;
	int err;

	to->blank = false;
	memcpy(to->rule_infos, from->rule_infos, ids * sizeof(from->rule_infos[0]));
	for (uint32_t id = 0; id < ids; id++)
		if (!fw_counter_read(from, id, &carried[id]))
			fw_counter_write(to, id, &carried[id]);
	/* The names say which set they belong to: the same set must be the active one. */
	err = fw_param_read(from, FW_PARAM_ACTIVE, &active);
	return err ? err : fw_param_write(to, FW_PARAM_ACTIVE, active);
}

/*
 * Maps cannot be resized, so a config that needs more room gets a new
 * program and maps, with the rule names and counters carried over; once
 * synced, the links switch to it in one step each.
 */
static int fw_state_load(struct fw_state *st, uint32_t capacity, const struct fw_room *room,
			 const struct fw_compiled *compiled, struct fw_load_ahead *ahead)
{
	bool replacing = st->dp.prog_fd >= 0;
	struct fw_datapath fresh;
	int err = -ENOENT;

	if (ahead->capacity == capacity && fw_room_fits(&ahead->room, compiled))
		err = fw_load_ahead_take(ahead, &fresh);
	if (err) /* none loaded ahead, or it failed: its room was larger */
		err = fw_datapath_load(&fresh, capacity, room);

	if (err) {
		fw_error("cannot create maps for %u rules (%u IPv4 and %u IPv6 sources, %u source "
			 "port rules): %s; lower settings.max_rules or raise the memory limit",
			 capacity, room->sources4, room->sources6, room->port_rules, strerror(-err));
		return err;
	}
	fw_state_retired_close(st);
	if (replacing) {
		st->carried = calloc(fw_datapath_ids(&st->dp), sizeof(*st->carried));
		err = st->carried ? fw_state_copy_identities(&st->dp, &fresh, st->carried) : -ENOMEM;
		if (err) {
			fw_error("cannot carry counters over to the new maps: %s", strerror(-err));
			fw_datapath_close(&fresh);
			return err;
		}
		fw_info("%s: new maps for %u rules (%u IPv4, %u IPv6 sources) replace the pinned "
			"ones", st->pin_dir, capacity, room->sources4, room->sources6);
		st->retired = st->dp;
	}
	st->dp = fresh;
	st->unpinned = true;
	return 0;
}

/*
 * Packets the replaced maps counted after their counters were copied, while
 * the new set synced and the links switched: once no packet can run the
 * old program any more, those counts join the new maps.
 */
static void fw_state_carry_late_counts(struct fw_state *st)
{
	uint32_t ids = fw_datapath_ids(&st->retired);
	int err = fw_wait_for_readers();

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

/*
 * XDPFW_FAILPOINT=NAME makes the process kill itself at that point, so the
 * tests can prove what a crash there leaves behind.
 */
static void fw_failpoint(const char *name)
{
	const char *wanted = getenv("XDPFW_FAILPOINT");

	if (wanted && !strcmp(wanted, name))
		raise(SIGKILL);
}

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

void fw_state_close(struct fw_state *st)
{
	fw_state_retired_close(st);
	fw_datapath_close(&st->dp);
	fw_pin_unlock(st->lock_fd);
	st->lock_fd = -1;
}

/* Rules per set of the maps cfg needs: never fewer than the loaded maps hold. */
static uint32_t fw_state_capacity(const struct fw_state *st, const struct fw_config *cfg)
{
	bool loaded = st->dp.prog_fd >= 0;

	return loaded && st->dp.capacity > cfg->capacity ? st->dp.capacity : cfg->capacity;
}

/* When new maps are certain (none loaded, or too few ids), they load while the rules compile. */
static void fw_state_load_ahead(const struct fw_state *st, const struct fw_config *cfg,
				struct fw_load_ahead *ahead)
{
	bool loaded = st->dp.prog_fd >= 0;
	struct fw_room room;

	if (loaded && st->dp.capacity >= cfg->capacity)
		return;
	room = fw_room_for_rules(&cfg->rules, loaded ? &st->dp.room : NULL);
	fw_load_ahead_start(ahead, fw_state_capacity(st, cfg), &room);
}

/* Loads new maps when nothing is pinned or the pinned ones are too small for compiled. */
static int fw_state_make_room(struct fw_state *st, const struct fw_config *cfg,
			      const struct fw_compiled *compiled, struct fw_load_ahead *ahead)
{
	bool loaded = st->dp.prog_fd >= 0;
	struct fw_room room;

	if (loaded && st->dp.capacity >= cfg->capacity && fw_room_fits(&st->dp.room, compiled))
		return 0;
	room = fw_room_for(compiled, loaded ? &st->dp.room : NULL);
	return fw_state_load(st, fw_state_capacity(st, cfg), &room, compiled, ahead);
}

int fw_state_apply(struct fw_state *st, struct fw_config *cfg, struct fw_sync_report *report,
		   struct fw_set_cache *cache)
{
	struct fw_compiled compiled = { 0 };
	struct fw_load_ahead ahead;
	double started = fw_now_ms(), maps_ready;
	int err = fw_interfaces_resolve(cfg->path, cfg->interfaces, cfg->interface_count);

	fw_load_ahead_init(&ahead);
	if (!err)
		fw_state_load_ahead(st, cfg, &ahead);
	if (!err) {
		err = fw_compile(&cfg->rules, &compiled);
		if (err)
			fw_error("%s: cannot compile the rules: %s", cfg->path, strerror(-err));
	}
	if (!err)
		err = fw_state_make_room(st, cfg, &compiled, &ahead);
	fw_load_ahead_close(&ahead);
	maps_ready = fw_now_ms();
	if (!err) {
		err = fw_rules_sync(&st->dp, &cfg->rules, &compiled, report, cache);
		fw_debug("apply: compile and maps %.1f ms, sync %.1f ms", maps_ready - started,
			 fw_now_ms() - maps_ready);
		if (err == -ENOSPC)
			fw_error("%s: the maps are full (%zu rules, room for %u); raise "
				 "settings.max_rules", cfg->path, cfg->rules.count, st->dp.capacity);
		else if (err)
			fw_error("%s: syncing the rules into the kernel failed: %s; the previous "
				 "rules stay in force", cfg->path, strerror(-err));
	}
	fw_compiled_free(&compiled);
	if (!err && st->unpinned)
		err = fw_pin_stage(st->pin_dir, &st->dp);
	if (!err && st->unpinned) {
		fw_failpoint("staged");
		err = fw_links_update_prog(st->pin_dir, st->dp.prog_fd);
		fw_failpoint("links-switched");
		err = err ?: fw_pin_promote(st->pin_dir);
		if (err) /* links may run either program: the recovery at the next start decides */
			fw_error("%s: switching to the new maps failed; the next xdpfw command "
				 "finishes or undoes it", st->pin_dir);
	}
	if (!err && st->retired.prog_fd >= 0)
		fw_state_carry_late_counts(st);
	if (!err)
		st->unpinned = false;
	if (!err)
		err = fw_attach_interfaces(st->pin_dir, st->dp.prog_fd, cfg->interfaces,
					   cfg->interface_count);
	return err;
}

int fw_config_enforce(const char *pin_dir, const char *path, struct fw_set_cache *cache)
{
	struct fw_sync_report report = { 0 };
	struct fw_config cfg = { 0 };
	double start = fw_now_ms(), parsed;
	struct fw_state st;
	int err;

	err = fw_config_load(path, &cfg, stderr);
	parsed = fw_now_ms();
	if (err) {
		fw_error("%s: not applied; the rules in force are unchanged", path);
		return err;
	}
	err = fw_state_open(&st, pin_dir, true);
	if (!err) {
		err = fw_state_apply(&st, &cfg, &report, cache);
		fw_state_close(&st);
	}
	if (!err)
		fw_info("%s: %zu rules in force (+%zu -%zu ~%zu) in %.1f ms (parse %.1f ms, kernel "
			"%.1f ms)", path, cfg.rules.count, report.added, report.removed,
			report.changed, fw_now_ms() - start, parsed - start, fw_now_ms() - parsed);
	fw_config_free(&cfg);
	return err;
}
