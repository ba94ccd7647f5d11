/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate limits (DESIGN §1b): the GCRA token bucket of fw/xdpfw.h, per rule
 * or per source. A bucket moves by compare-and-swap, and a packet whose
 * every try lost a race drops, so CPUs racing on one bucket never pass
 * more than rate * time + burst.
 */
#ifndef XDPFW_LIMIT_H
#define XDPFW_LIMIT_H

#include "bans.h"

#define FW_LIMIT_TRIES 4

/* What a bucket says of a packet. A lost race drops too, but bans no one. */
enum fw_limit_verdict {
	FW_LIMIT_RACED = -1,
	FW_LIMIT_EXCESS = 0,
	FW_LIMIT_PASS = 1,
};

/* Takes one token from the bucket whose theoretical arrival time is *tat. */
static __always_inline enum fw_limit_verdict fw_gcra(__u64 *tat,
						     const struct fw_limit_value *lim, __u64 now)
{
	for (int i = 0; i < FW_LIMIT_TRIES; i++) {
		__u64 old = *(volatile __u64 *)tat;
		__u64 next = (fw_before(now, old) ? old : now) + lim->interval;

		if (next - now > lim->burst_window)
			return FW_LIMIT_EXCESS;
		if (__sync_val_compare_and_swap(tat, old, next) == old)
			return FW_LIMIT_PASS;
	}
	return FW_LIMIT_RACED;
}

/* A source's bucket; a new source's first packet makes it, and passes when a burst allows one. */
static __always_inline enum fw_limit_verdict fw_limit_source(__u32 id, const struct fw_packet *pkt,
					   const struct fw_limit_value *lim, __u64 now)
{
	struct fw_limit_key key = { .rule = id };
	__u64 *tat, first = now + lim->interval;

	if (pkt->v6) {
		__builtin_memcpy(key.src, pkt->src, sizeof(key.src));
	} else {
		key.src[2] = bpf_htonl(0xffff);
		key.src[3] = pkt->src[0];
	}
	tat = bpf_map_lookup_elem(&fw_limit_buckets, &key);
	if (!tat) {
		if (lim->interval > lim->burst_window)
			return FW_LIMIT_EXCESS;
		if (!bpf_map_update_elem(&fw_limit_buckets, &key, &first, BPF_NOEXIST))
			return FW_LIMIT_PASS;
		/* Another CPU made it first. */
		tat = bpf_map_lookup_elem(&fw_limit_buckets, &key);
		if (!tat)
			return FW_LIMIT_RACED;
	}
	return fw_gcra(tat, lim, now);
}

/* ban_for: bans the source for that long, unless settings.never_ban holds it. */
static __always_inline void fw_limit_ban(const struct fw_packet *pkt,
					 const struct fw_limit_value *lim, __u64 now)
{
	struct fw_ban_value ban = {
		.expires = now + lim->ban_for, .since = now, .origin = lim->ban_origin
	};

	ban.expires += !ban.expires; /* 0 would mean until unbanned */
	if (pkt->v6) {
		struct fw_ban_prefix6_key key = { .prefixlen = 128 };

		__builtin_memcpy(key.addr, pkt->src, sizeof(key.addr));
		if (!bpf_map_lookup_elem(&fw_never_ban6, &key))
			fw_ban_insert(&fw_bans6, pkt->src, &ban, FW_BANS_EXACT6);
	} else {
		struct fw_ban_prefix4_key key = { .prefixlen = 32, .addr = pkt->src[0] };

		if (!bpf_map_lookup_elem(&fw_never_ban4, &key))
			fw_ban_insert(&fw_bans4, pkt->src, &ban, FW_BANS_EXACT4);
	}
}

/* A packet that matched limit rule id: within its rate it passes, the excess drops. */
static __noinline int fw_limit(__u32 id, const struct fw_packet *pkt)
{
	struct fw_limit_value *lim = bpf_map_lookup_elem(&fw_limits, &id);
	enum fw_limit_verdict verdict;
	__u64 now;

	if (!lim)
		return FW_STAT_DROP_LIMIT;
	now = fw_now();
	verdict = lim->per_source ? fw_limit_source(id, pkt, lim, now)
				  : fw_gcra(&lim->tat, lim, now);
	if (verdict == FW_LIMIT_PASS)
		return FW_STAT_PASS_RULE;
	if (verdict == FW_LIMIT_EXCESS && lim->ban_for)
		fw_limit_ban(pkt, lim, now);
	return FW_STAT_DROP_LIMIT;
}

#endif /* XDPFW_LIMIT_H */
