/* SPDX-License-Identifier: GPL-2.0 */
/* Puts a compiled rule set in force as one whole set, keeping each rule's id and counters. */
#ifndef FW_SYNC_H
#define FW_SYNC_H

#include "datapath.h"
#include "identity.h"

struct fw_set_cache;

/*
 * Puts rs, compiled from it, in force like fw_datapath_sync(), but gives each rule its id
 * itself (rs->rules[i].id is set), keeps counters of unchanged rules and
 * records names so `xdpfw rules` and a restarted daemon can find them.
 * cache, if not NULL, is what this process wrote into the sets before
 * (fw/set_cache.h); compiled's entries move into it.
 */
int fw_rules_sync(struct fw_datapath *dp, struct fw_ruleset *rs, struct fw_compiled *compiled,
		  struct fw_sync_report *report, struct fw_set_cache *cache);

#endif /* FW_SYNC_H */
