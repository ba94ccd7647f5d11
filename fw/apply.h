/* SPDX-License-Identifier: GPL-2.0 */
/* Putting a config in force: parse, plan, load or reuse maps, sync, switch, attach. */
#ifndef FW_APPLY_H
#define FW_APPLY_H

struct fw_set_cache;

/*
 * Loads path and puts it in force: the one path shared by `apply`, `run`
 * and SIGHUP. On error what was in force stays. cache: what the daemon
 * keeps across reloads (see fw_rules_sync()); NULL for none.
 */
int fw_config_enforce(const char *pin_dir, const char *path, struct fw_set_cache *cache);

#endif /* FW_APPLY_H */
