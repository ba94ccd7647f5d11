/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bans (DESIGN §1b): a banned source drops before any rule. The check is
 * a subprogram of its own, so a host without bans pays one load and a
 * branch and its hot path keeps its registers.
 */
#ifndef XDPFW_BANS_H
#define XDPFW_BANS_H

#include "clock.h"
#include "parse.h"

/* Expired bans stay until userspace reclaims them; the datapath only ignores them. */
static __always_inline int fw_ban_live(const struct fw_ban_value *ban)
{
	return ban && (!ban->expires || fw_before(fw_now(), ban->expires));
}

#define FW_NOT_BANNED (-1)

/*
 * The source's exact ban, else its longest prefix ban; bans says which maps
 * hold any. Returns the ban's origin, for its event, or FW_NOT_BANNED.
 */
static __noinline __s64 fw_banned(__u32 bans, const struct fw_packet *pkt, __u64 len)
{
	struct fw_ban_value *ban = 0;

	if (pkt->v6) {
		if (bans & FW_BANS_EXACT6)
			ban = bpf_map_lookup_elem(&fw_bans6, pkt->src);
		if (!fw_ban_live(ban) && (bans & FW_BANS_PREFIX6)) {
			struct fw_ban_prefix6_key key = { .prefixlen = 128 };

			__builtin_memcpy(key.addr, pkt->src, sizeof(key.addr));
			ban = bpf_map_lookup_elem(&fw_ban_prefix6, &key);
		}
	} else {
		if (bans & FW_BANS_EXACT4)
			ban = bpf_map_lookup_elem(&fw_bans4, pkt->src);
		if (!fw_ban_live(ban) && (bans & FW_BANS_PREFIX4)) {
			struct fw_ban_prefix4_key key = { .prefixlen = 32, .addr = pkt->src[0] };

			ban = bpf_map_lookup_elem(&fw_ban_prefix4, &key);
		}
	}
	if (!fw_ban_live(ban))
		return FW_NOT_BANNED;
	__sync_fetch_and_add(&ban->packets, 1);
	__sync_fetch_and_add(&ban->bytes, len);
	return ban->origin;
}

/*
 * Bans one address unless a live ban holds it already (an expired one is
 * replaced), and tells the ban check to read its map.
 */
static __always_inline void fw_ban_insert(void *bans_map, const void *src,
					  const struct fw_ban_value *ban, __u32 bit)
{
	if (bpf_map_update_elem(bans_map, src, ban, BPF_NOEXIST)) {
		struct fw_ban_value *old = bpf_map_lookup_elem(bans_map, src);

		if (old && old->expires && !fw_before(ban->since, old->expires))
			bpf_map_update_elem(bans_map, src, ban, BPF_EXIST);
	}
	/* Read first: most packets find the bit set, and a locked OR would dirty the line. */
	if (!(fw_param(FW_PARAM_BANS) & bit))
		__sync_fetch_and_or(&fw_params[FW_PARAM_BANS], bit);
}

#endif /* XDPFW_BANS_H */
