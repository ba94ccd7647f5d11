/* SPDX-License-Identifier: GPL-2.0 */
/* Putting a config in force: parse, plan, load or reuse maps, sync, switch, attach. */
#ifndef FW_APPLY_H
#define FW_APPLY_H

struct fw_config;
struct fw_set_cache;

/*
 * Loads path and puts it in force: the one path shared by `apply`, `run`
 * and SIGHUP. On error what was in force stays. cache: what the daemon
 * keeps across reloads (see fw_rules_sync()); NULL for none.
 */
int fw_config_enforce(const char *pin_dir, const char *path, struct fw_set_cache *cache);
/*
 * The same, and on success the config put in force goes to *kept instead of
 * being freed (the daemon reads its crowdsec section); free it with
 * fw_config_free().
 */
int fw_config_enforce_keep(const char *pin_dir, const char *path, struct fw_set_cache *cache,
			   struct fw_config *kept);

#endif /* FW_APPLY_H */
