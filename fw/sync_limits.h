/* SPDX-License-Identifier: GPL-2.0 */
/* The policies of limit rules in fw_limits, kept in step with the rule set a sync puts in force. */
#ifndef FW_SYNC_LIMITS_H
#define FW_SYNC_LIMITS_H

#include "datapath.h"

/* The "limit:RULE" origin a rule's bans get, as fw_ban_origins holds it (cut to fit). */
void fw_limit_origin_name(char out[FW_RULE_NAME_MAX], const char *rule);

/*
 * Before the flip: fw_limits[id] for every limit rule of rs, by the ids it
 * carries. An entry that already says the same is left alone, so a `per:
 * rule` bucket keeps its state across reloads; a changed one starts afresh.
 */
int fw_limits_write(const struct fw_datapath *dp, const struct fw_ruleset *rs);

/* After the flip has settled: deletes the entries of ids that are no limit rule of rs. */
int fw_limits_prune(const struct fw_datapath *dp, const struct fw_ruleset *rs);

#endif /* FW_SYNC_LIMITS_H */
