// SPDX-License-Identifier: GPL-2.0
#include "log_policy.h"

void fw_log_policy_fill(struct fw_log_policy *log)
{
	if (!log->interval)
		log->interval = FW_DEFAULT_LOG_INTERVAL;
	if (!log->burst) {
		uint64_t per_second = (FW_NS_PER_SEC + log->interval - 1) / log->interval;

		log->burst = per_second > UINT32_MAX ? UINT32_MAX : (uint32_t)per_second;
	}
}
