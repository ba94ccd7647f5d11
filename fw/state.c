// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "attach.h"
#include "log.h"
#include "mapio.h"
#include "pin.h"
#include "state.h"

/* Copies rule names and counters into bigger maps, so counters survive the move. */
static int fw_state_copy_identities(const struct fw_datapath *from, struct fw_datapath *to)
{
	uint32_t ids = fw_datapath_ids(from), active = 0;
	int err;

	memcpy(to->rule_infos, from->rule_infos, ids * sizeof(from->rule_infos[0]));
	for (uint32_t id = 0; id < ids; id++)
		fw_counter_read(from, id, &to->counters[id]);
	/* The names say which set they belong to: the same set must be the active one. */
	err = fw_param_read(from, FW_PARAM_ACTIVE, &active);
	return err ? err : fw_param_write(to, FW_PARAM_ACTIVE, active);
}

/*
 * Maps cannot be resized, so a config that needs more rules gets a new
 * program and maps; the links switch over in one step each.
 */
static int fw_state_grow(struct fw_state *st, uint32_t capacity)
{
	struct fw_datapath bigger;
	int err = fw_datapath_load(&bigger, capacity);

	if (err) {
		fw_error("cannot create maps for %u rules: %s; lower settings.max_rules or raise "
			 "the memory limit", capacity, strerror(-err));
		return err;
	}
	err = fw_state_copy_identities(&st->dp, &bigger);
	if (err)
		fw_error("cannot carry counters over to the bigger maps: %s", strerror(-err));
	else
		fw_info("%s: growing rule capacity from %u to %u rules", st->pin_dir,
			st->dp.capacity, capacity);
	if (!err) {
		fw_datapath_close(&st->dp);
		st->dp = bigger;
		st->unpinned = true;
		return 0;
	}
	fw_datapath_close(&bigger);
	return err;
}

int fw_state_open(struct fw_state *st, const char *pin_dir, uint32_t min_capacity)
{
	bool create = min_capacity > 0;
	int err;

	memset(st, 0, sizeof(*st));
	st->pin_dir = pin_dir;
	fw_datapath_init(&st->dp);
	err = fw_pin_lock(pin_dir, create, &st->lock_fd);
	if (err) {
		if (err == -ENOENT)
			fw_error("%s: nothing is pinned here; start xdpfw with 'xdpfw run' or "
				 "'xdpfw apply'", pin_dir);
		st->lock_fd = -1;
		return err;
	}
	err = fw_pin_adopt(pin_dir, &st->dp);
	if (err == -ENOENT && create) {
		err = fw_pin_create(pin_dir, &st->dp, min_capacity);
		if (!err)
			fw_debug("%s: loaded a new XDP program for %u rules", pin_dir, min_capacity);
	} else if (err == -ENOENT) {
		fw_error("%s: nothing is pinned here; start xdpfw with 'xdpfw run' or 'xdpfw "
			 "apply'", pin_dir);
	} else if (!err) {
		fw_debug("%s: adopted the pinned XDP program (%u rules per set)", pin_dir,
			 st->dp.capacity);
		if (min_capacity > st->dp.capacity)
			err = fw_state_grow(st, min_capacity);
	}
	if (err)
		fw_state_close(st);
	return err;
}

void fw_state_close(struct fw_state *st)
{
	fw_datapath_close(&st->dp);
	fw_pin_unlock(st->lock_fd);
	st->lock_fd = -1;
}

int fw_state_apply(struct fw_state *st, struct fw_config *cfg, struct fw_sync_report *report)
{
	bool grown = st->unpinned;
	int err = fw_interfaces_resolve(cfg->path, cfg->interfaces, cfg->interface_count);

	if (err)
		return err;
	err = fw_rules_sync(&st->dp, &cfg->rules, report);
	if (err == -ENOSPC || err == -E2BIG)
		fw_error("%s: the maps are full (%zu rules, room for %u); raise settings.max_rules",
			 cfg->path, cfg->rules.count, st->dp.capacity);
	else if (err)
		fw_error("%s: syncing the rules into the kernel failed: %s; the previous rules "
			 "stay in force", cfg->path, strerror(-err));
	if (!err && grown)
		err = fw_links_update_prog(st->pin_dir, st->dp.prog_fd);
	if (!err && grown)
		err = fw_pin_replace(st->pin_dir, &st->dp);
	if (!err)
		st->unpinned = false;
	if (!err)
		err = fw_attach_interfaces(st->pin_dir, st->dp.prog_fd, cfg->interfaces,
					   cfg->interface_count);
	return err;
}

int fw_config_enforce(const char *pin_dir, const char *path)
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
	err = fw_state_open(&st, pin_dir, cfg.capacity);
	if (!err) {
		err = fw_state_apply(&st, &cfg, &report);
		fw_state_close(&st);
	}
	if (!err)
		fw_info("%s: %zu rules in force (+%zu -%zu ~%zu) in %.1f ms (parse %.1f ms, kernel "
			"%.1f ms)", path, cfg.rules.count, report.added, report.removed,
			report.changed, fw_now_ms() - start, parsed - start, fw_now_ms() - parsed);
	fw_config_free(&cfg);
	return err;
}
