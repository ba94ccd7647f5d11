// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath's ban check (bpf/bans.h) over the pinned ban maps: the
 * source's exact ban, else its longest prefix ban, each only while live.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "lookup.h"

static bool fw_ban_live(const struct fw_ban_value *ban, uint64_t now)
{
	return !ban->expires || (int64_t)(now - ban->expires) < 0;
}

/* Reads key's value; *found false when the map holds none. */
static int fw_ban_elem(int fd, const void *key, struct fw_ban_value *ban, bool *found)
{
	*found = !bpf_map_lookup_elem(fd, key, ban);
	return *found || errno == ENOENT ? 0 : -errno;
}

/* The same ban, its counters aside (packets may count on it between two reads). */
static bool fw_ban_same(const struct fw_ban_value *a, const struct fw_ban_value *b)
{
	return a->expires == b->expires && a->since == b->since && a->origin == b->origin;
}

/*
 * The trie's longest match for src, and its length: a lookup with a
 * shorter prefixlen finds the same ban down to the match's own length.
 * Two nested bans alike in every field read as the shorter one.
 */
static int fw_ban_prefix_find(int fd, bool v4, const uint8_t src[16], struct fw_lookup *out,
			      bool *found)
{
	struct fw_ban_prefix6_key key = { 0 };
	struct fw_ban_value shorter;
	uint32_t len = v4 ? 32 : 128, bytes = v4 ? 4 : 16;
	bool more;
	int err;

	memcpy(key.addr, v4 ? src + 12 : src, bytes);
	key.prefixlen = len;
	err = fw_ban_elem(fd, &key, &out->ban, found);
	for (more = *found; !err && more && len > 1;) {
		key.prefixlen = len - 1;
		err = fw_ban_elem(fd, &key, &shorter, &more);
		more = more && fw_ban_same(&shorter, &out->ban);
		len -= more;
	}
	memcpy(out->ban_prefix.addr, src, sizeof(out->ban_prefix.addr));
	out->ban_prefix.len = (uint8_t)(v4 ? 96 + len : len);
	fw_prefix_mask(out->ban_prefix.addr, out->ban_prefix.len);
	return err;
}

int fw_lookup_ban(const struct fw_datapath *dp, const uint8_t src[16], struct fw_lookup *out)
{
	bool v4 = fw_addr_is_v4_mapped(src), found = false;
	uint32_t bits;
	int err = fw_param_read(dp, FW_PARAM_BANS, &bits);

	out->banned = false;
	if (!err && (bits & (v4 ? FW_BANS_EXACT4 : FW_BANS_EXACT6))) {
		err = fw_ban_elem(v4 ? dp->bans4_fd : dp->bans6_fd, v4 ? src + 12 : src, &out->ban,
				  &found);
		memcpy(out->ban_prefix.addr, src, sizeof(out->ban_prefix.addr));
		out->ban_prefix.len = 128;
	}
	if (!err && !(found && fw_ban_live(&out->ban, out->now)) &&
	    (bits & (v4 ? FW_BANS_PREFIX4 : FW_BANS_PREFIX6)))
		err = fw_ban_prefix_find(v4 ? dp->ban_prefix4_fd : dp->ban_prefix6_fd, v4, src, out,
					 &found);
	out->banned = !err && found && fw_ban_live(&out->ban, out->now);
	return err;
}
