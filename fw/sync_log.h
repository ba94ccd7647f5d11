/* SPDX-License-Identifier: GPL-2.0 */
/* The event policy a sync puts in force beside the rules: the fw_log bucket and FW_PARAM_LOG. */
#ifndef FW_SYNC_LOG_H
#define FW_SYNC_LOG_H

#include "datapath.h"

/* The FW_LOG_* bits of rs: rules that say log: true, settings.ban_log, settings.limit_log. */
uint32_t fw_log_bits(const struct fw_ruleset *rs);

/*
 * Writes fw_log[0] for rs->log (defaults filled in), keeping the bucket's
 * state when the rate and burst are unchanged, and FW_PARAM_LOG; 0 when
 * nothing logs, so the datapath does no event work at all.
 */
int fw_log_write(const struct fw_datapath *dp, const struct fw_ruleset *rs);

#endif /* FW_SYNC_LOG_H */
