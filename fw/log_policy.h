/* SPDX-License-Identifier: GPL-2.0 */
/* settings.log_rate and log_burst as the fw_log bucket counts them, defaults filled in. */
#ifndef FW_LOG_POLICY_H
#define FW_LOG_POLICY_H

#include "duration.h"
#include "ruleset.h"

/* ns per event at FW_DEFAULT_LOG_RATE, rounded up. */
#define FW_DEFAULT_LOG_INTERVAL ((FW_NS_PER_SEC + FW_DEFAULT_LOG_RATE - 1) / FW_DEFAULT_LOG_RATE)

/* interval 0: FW_DEFAULT_LOG_RATE; burst 0: one second's worth at the interval, at least 1. */
void fw_log_policy_fill(struct fw_log_policy *log);

#endif /* FW_LOG_POLICY_H */
