// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <bpf/bpf.h>
#include "log_policy.h"
#include "sync_log.h"

uint32_t fw_log_bits(const struct fw_ruleset *rs)
{
	uint32_t bits = 0;

	for (size_t i = 0; i < rs->count; i++) {
		if (rs->rules[i].log) {
			bits |= FW_LOG_RULES;
			break;
		}
	}
	if (rs->log.bans)
		bits |= FW_LOG_BANS;
	if (rs->log.limits)
		bits |= FW_LOG_LIMITS;
	return bits;
}

int fw_log_write(const struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	struct fw_log_policy policy = rs->log;
	struct fw_limit_value want = { 0 }, have;
	uint32_t key = 0;

	fw_log_policy_fill(&policy);
	want.interval = policy.interval;
	/* The config keeps the window far below; a ruleset made otherwise saturates. */
	want.burst_window = policy.burst > UINT64_MAX / policy.interval
				    ? UINT64_MAX : policy.burst * policy.interval;
	if (bpf_map_lookup_elem(dp->log_fd, &key, &have))
		return -errno;
	/* The same policy keeps the bucket's state: a reload does not refill it. */
	if ((have.interval != want.interval || have.burst_window != want.burst_window) &&
	    bpf_map_update_elem(dp->log_fd, &key, &want, BPF_ANY))
		return -errno;
	return fw_param_write(dp, FW_PARAM_LOG, fw_log_bits(rs));
}
