/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events (DESIGN §1b, fw/xdpfw.h): a logged packet becomes a struct
 * fw_event in every reader's ring while the host-wide log_rate bucket
 * allows; what the bucket holds back is only counted. The work is out of
 * line, so with FW_PARAM_LOG at 0 a packet pays one load and a branch.
 */
#ifndef XDPFW_EVENTS_H
#define XDPFW_EVENTS_H

#include "limit.h"
#include "parse.h"

static __always_inline void fw_event_count(__u32 stat)
{
	__u64 *count = bpf_map_lookup_elem(&fw_event_stats, &stat);

	if (count)
		(*count)++;
}

/* Copies the event into one reader's ring, if the slot holds one: bpf_loop's body. */
static long fw_event_copy(__u32 slot, void *ev)
{
	void *ring = bpf_map_lookup_elem(&fw_event_rings, &slot);

	if (ring && bpf_ringbuf_output(ring, ev, sizeof(struct fw_event), 0))
		fw_event_count(FW_EVENT_STAT_LOST0 + slot);
	return 0;
}

/* The log_rate bucket takes a token; an interval of 0 is a bucket no sync has written. */
static __always_inline int fw_event_allowed(__u64 now)
{
	__u32 zero = 0;
	struct fw_limit_value *bucket = bpf_map_lookup_elem(&fw_log, &zero);

	return bucket && bucket->interval && fw_gcra(&bucket->tat, bucket, now) == FW_LIMIT_PASS;
}

/*
 * Sends the event of the packet in ctx, which reason decided (rule, or a
 * ban of origin), the bucket having let it through at now. The frame is
 * parsed again for what the decision did not keep: the hot path's parse
 * never fills those fields.
 */
static __noinline int fw_event_send(struct xdp_md *ctx, __u32 rule, __u32 origin, __u32 reason,
				    __u64 now)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fw_event ev = { .time = now, .rule = rule, .origin = origin, .reason = reason };
	struct fw_packet pkt = {};

	ev.ifindex = ctx->ingress_ifindex;
	ev.len = data_end - data;
	fw_parse_event(data, data_end, &pkt, &ev);
	bpf_loop(FW_EVENT_READERS, fw_event_copy, &ev, 0);
	return 0;
}

/* The bucket's say: an event it holds back costs a clock read and a count, and builds nothing. */
static __always_inline void fw_event(struct xdp_md *ctx, __u32 rule, __u32 origin, __u32 reason)
{
	__u64 now = fw_now();

	if (!fw_event_allowed(now)) {
		fw_event_count(FW_EVENT_STAT_SUPPRESSED);
		return;
	}
	fw_event_count(FW_EVENT_STAT_SENT);
	fw_event_send(ctx, rule, origin, reason, now);
}

/* Rule id decided the packet: an event if the rule logs, or for a limit's excess with limit_log. */
static __noinline int fw_event_rule(struct xdp_md *ctx, __u32 id, __u32 reason, __u32 log)
{
	if (reason != FW_STAT_DROP_LIMIT || !(log & FW_LOG_LIMITS)) {
		struct fw_rule_info *info;

		if (!(log & FW_LOG_RULES))
			return 0;
		info = bpf_map_lookup_elem(&fw_rule_info, &id);
		if (!info || !(info->flags & FW_RULE_LOG))
			return 0;
	}
	fw_event(ctx, id, 0, reason);
	return 0;
}

/* A ban of origin dropped the packet. */
static __noinline int fw_event_ban(struct xdp_md *ctx, __u32 origin)
{
	fw_event(ctx, FW_EVENT_NO_RULE, origin, FW_STAT_DROP_BAN);
	return 0;
}

/*
 * After rule *id's verdict. ctx and id wait in stack slots, read only for
 * an event: kept in registers across the lookups, they would push the hot
 * path's values out of theirs.
 */
static __always_inline void fw_log_rule(struct xdp_md *volatile *ctx, const __u32 *id,
					__u32 reason)
{
	__u32 log = fw_param(FW_PARAM_LOG);

	if (__builtin_expect(log != 0, 0))
		fw_event_rule(*ctx, *id, reason, log);
}

/* After a ban's drop. */
static __always_inline void fw_log_ban(struct xdp_md *volatile *ctx, __u32 origin)
{
	if (__builtin_expect(fw_param(FW_PARAM_LOG) & FW_LOG_BANS, 0))
		fw_event_ban(*ctx, origin);
}

#endif /* XDPFW_EVENTS_H */
