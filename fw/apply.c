// SPDX-License-Identifier: GPL-2.0
/*
 * One function a step: parse, plan, load or reuse maps, sync, switch,
 * attach. A step runs only when the one before succeeded, and each says
 * what failed; until the switch, nothing the packets see has changed.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "apply.h"
#include "attach.h"
#include "config.h"
#include "journal.h"
#include "load_ahead.h"
#include "log.h"
#include "reloads.h"
#include "state.h"
#include "sync.h"

struct fw_apply {
	struct fw_config cfg;
	struct fw_state st;
	uint32_t capacity;          /* rules per set of the maps the config gets */
	uint32_t max_bans;          /* entries per ban map the config asks for */
	struct fw_compiled compiled;
	struct fw_load_ahead ahead;
	struct fw_sync_report report;
	struct fw_set_cache *cache;
	double started, parsed, maps_ready;
};

static int fw_apply_parse(struct fw_apply *a, const char *path)
{
	int err = fw_config_load(path, &a->cfg, stderr);

	a->parsed = fw_now_ms();
	if (err)
		fw_error("%s: not applied; the rules in force are unchanged", path);
	return err;
}

/*
 * Checks the interfaces and compiles the rules. When new maps are certain
 * (none loaded, or too few ids), they load meanwhile on another thread.
 */
static int fw_apply_plan(struct fw_apply *a)
{
	const struct fw_datapath *dp = &a->st.dp;
	bool loaded = dp->prog_fd >= 0;
	struct fw_config *cfg = &a->cfg;
	int err = fw_interfaces_resolve(cfg->path, cfg->interfaces, cfg->interface_count);

	if (err)
		return err;
	/* Never fewer ids than the loaded maps hold: rule ids and counters live there. */
	a->capacity = loaded && dp->capacity > cfg->capacity ? dp->capacity : cfg->capacity;
	a->max_bans = cfg->max_bans ? cfg->max_bans : FW_DEFAULT_MAX_BANS;
	if (!loaded || dp->capacity < cfg->capacity || dp->max_bans != a->max_bans) {
		struct fw_room room = fw_room_for_rules(&cfg->rules, loaded ? &dp->room : NULL);

		fw_load_ahead_start(&a->ahead, a->capacity, &room, a->max_bans,
				    loaded ? dp : NULL);
	}
	err = fw_compile(&cfg->rules, &a->compiled);
	if (err)
		fw_error("%s: cannot compile the rules: %s", cfg->path, strerror(-err));
	return err;
}

/* Keeps the loaded maps when the compiled rules fit them, else takes new ones. */
static int fw_apply_maps(struct fw_apply *a)
{
	const struct fw_datapath *dp = &a->st.dp;
	bool loaded = dp->prog_fd >= 0;
	struct fw_datapath fresh;
	struct fw_room room;
	int err = -ENOENT;

	if (loaded && dp->capacity >= a->cfg.capacity && fw_room_fits(&dp->room, &a->compiled) &&
	    dp->max_bans == a->max_bans)
		return 0;
	room = fw_room_for(&a->compiled, loaded ? &dp->room : NULL);
	if (a->ahead.capacity == a->capacity && fw_room_fits(&a->ahead.room, &a->compiled))
		err = fw_load_ahead_take(&a->ahead, &fresh);
	if (err) /* none loaded ahead, or it failed: its room was larger */
		err = fw_datapath_load_over(&fresh, a->capacity, &room, a->max_bans,
					    loaded ? dp : NULL);
	if (err == -EPERM || err == -EACCES) {
		fw_error("cannot load the program and its maps: %s; xdpfw needs CAP_BPF, "
			 "CAP_NET_ADMIN and CAP_PERFMON (or root), and a verifier that accepts the "
			 "program ('xdpfw -v' shows libbpf's account)", strerror(-err));
		return err;
	}
	if (err) {
		fw_error("cannot create maps for %u rules (%u IPv4 and %u IPv6 sources, %u source "
			 "port rules, %u bans): %s; lower settings.max_rules or settings.max_bans, "
			 "or raise the memory limit ('xdpfw -v' shows libbpf's account)",
			 a->capacity, room.sources4, room.sources6, room.port_rules, a->max_bans,
			 strerror(-err));
		return err;
	}
	return fw_state_replace_maps(&a->st, &fresh);
}

static int fw_apply_sync(struct fw_apply *a)
{
	const char *path = a->cfg.path;
	int err = fw_rules_sync(&a->st.dp, &a->cfg.rules, &a->compiled, &a->report, a->cache);

	fw_debug("apply: compile and maps %.1f ms, sync %.1f ms", a->maps_ready - a->parsed,
		 fw_now_ms() - a->maps_ready);
	if (err == -ENOSPC)
		fw_error("%s: the maps are full (%zu rules, room for %u); raise "
			 "settings.max_rules", path, a->cfg.rules.count, a->st.dp.capacity);
	else if (err)
		fw_error("%s: syncing the rules into the kernel failed: %s; the previous "
			 "rules stay in force", path, strerror(-err));
	return err;
}

static int fw_apply_attach(struct fw_apply *a)
{
	return fw_attach_interfaces(a->st.pin_dir, a->st.dp.prog_fd, a->cfg.interfaces,
				    a->cfg.interface_count);
}

/* The steps that need the pinned state, held locked by the caller. */
static int fw_apply_locked(struct fw_apply *a)
{
	int err = fw_apply_plan(a);

	if (!err)
		err = fw_apply_maps(a);
	fw_load_ahead_close(&a->ahead); /* taken, or not needed any more */
	a->maps_ready = fw_now_ms();
	if (!err)
		err = fw_apply_sync(a);
	fw_compiled_free(&a->compiled);
	if (!err)
		err = fw_state_switch(&a->st);
	if (!err)
		err = fw_apply_attach(a);
	return err;
}

int fw_config_enforce_keep(const char *pin_dir, const char *path, struct fw_set_cache *cache,
			   struct fw_config *kept)
{
	struct fw_apply a = { .cache = cache, .started = fw_now_ms() };
	char done[PATH_MAX + 160];
	int err;

	fw_load_ahead_init(&a.ahead);
	err = fw_apply_parse(&a, path);
	if (!err)
		err = fw_state_open(&a.st, pin_dir, true);
	if (!err) {
		err = fw_apply_locked(&a);
		fw_state_close(&a.st);
	}
	/* Said by the journal writer: with the reload's fields, when the journal takes them. */
	if (!err)
		snprintf(done, sizeof(done), "%s: %zu rules in force (+%zu -%zu ~%zu) in %.1f ms "
			 "(parse %.1f ms, kernel %.1f ms)", path, a.cfg.rules.count,
			 a.report.added, a.report.removed, a.report.changed,
			 fw_now_ms() - a.started, a.parsed - a.started, fw_now_ms() - a.parsed);
	fw_reloads_record(pin_dir, !err);
	fw_journal_reload(path, !err, a.cfg.rules.count, err ? strerror(-err) : done);
	if (!err && kept) {
		*kept = a.cfg;
		memset(&a.cfg, 0, sizeof(a.cfg));
	}
	fw_config_free(&a.cfg);
	return err;
}

int fw_config_enforce(const char *pin_dir, const char *path, struct fw_set_cache *cache)
{
	return fw_config_enforce_keep(pin_dir, path, cache, NULL);
}
