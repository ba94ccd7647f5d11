// SPDX-License-Identifier: GPL-2.0
/*
 * bpf/xdpfw.bpf.c's fw_match(), over the pinned maps: the same maps, keys
 * and order, so what this finds is what a packet meets. A map entry the
 * program would find missing (a NULL lookup) is missing here too.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "bans.h"
#include "lookup.h"
#include "prefix.h"

/* Reads key's value into value; *found false when the map holds none. */
static int fw_lookup_elem(int fd, const void *key, void *value, bool *found)
{
	*found = !bpf_map_lookup_elem(fd, key, value);
	return *found || errno == ENOENT ? 0 : -errno;
}

static bool fw_ref_found(const struct fw_rule_ref *ref)
{
	return ref->action != FW_ACTION_NONE;
}

/* The source's own entry: IPv4 keys are the 4 network-order bytes, IPv6 keys all 16. */
static int fw_exact_source(const struct fw_datapath *dp, uint32_t set,
			   const struct fw_frame_facts *pkt, bool v4,
			   struct fw_source_value *value, bool *found)
{
	if (v4)
		return fw_lookup_elem(dp->sources4_fd[set], &pkt->src[12], value, found);
	return fw_lookup_elem(dp->sources6_fd[set], pkt->src, value, found);
}

/* Entry index of the 16-8-8 trie: block index / 256, slot index % 256; 0 past the map. */
static int fw_prefix4_entry(const struct fw_datapath *dp, uint32_t set, uint32_t index,
			    uint32_t *entry)
{
	uint32_t block = index / FW_PREFIX4_BLOCK_SIZE;
	struct fw_prefix4_block entries;
	bool found;
	int err = fw_lookup_elem(dp->prefix4_fd[set], &block, &entries, &found);

	*entry = found ? entries.entry[index % FW_PREFIX4_BLOCK_SIZE] : 0;
	return err;
}

static int fw_prefix4_next(const struct fw_datapath *dp, uint32_t set, uint32_t *entry,
			   uint32_t byte)
{
	return fw_prefix4_entry(dp, set,
				FW_PREFIX4_ROOT +
					(*entry & ~FW_PREFIX4_BLOCK) * FW_PREFIX4_BLOCK_SIZE + byte,
				entry);
}

static int fw_prefix4_class(const struct fw_datapath *dp, uint32_t set, const uint8_t src[4],
			    uint32_t *class_id)
{
	uint32_t addr = (uint32_t)src[0] << 24 | (uint32_t)src[1] << 16 | (uint32_t)src[2] << 8 |
			src[3];
	uint32_t entry;
	int err = fw_prefix4_entry(dp, set, addr >> 16, &entry);

	if (!err && (entry & FW_PREFIX4_BLOCK)) {
		err = fw_prefix4_next(dp, set, &entry, (addr >> 8) & 0xff);
		if (!err && (entry & FW_PREFIX4_BLOCK))
			err = fw_prefix4_next(dp, set, &entry, addr & 0xff);
	}
	*class_id = entry & FW_PREFIX4_BLOCK ? 0 : entry;
	return err;
}

/* The set's IPv6 prefix lengths, longest first, until one holds src. */
static int fw_prefix6_class(const struct fw_datapath *dp, uint32_t set, const uint8_t src[16],
			    uint32_t *class_id)
{
	*class_id = 0;
	for (uint32_t i = 0; i < FW_PREFIX6_LENGTHS; i++) {
		uint32_t index = set * FW_PREFIX6_LENGTHS + i, len;
		struct fw_prefix6_key key;
		bool found;
		int err = fw_lookup_elem(dp->lengths6_fd, &index, &len, &found);

		if (err || !found || !len || len >= 128)
			return err;
		memset(&key, 0, sizeof(key));
		key.len = len;
		memcpy(key.addr, src, sizeof(key.addr));
		fw_prefix_mask(key.addr, len);
		err = fw_lookup_elem(dp->prefix6_fd[set], &key, class_id, &found);
		if (err || found)
			return err;
		*class_id = 0;
	}
	return 0;
}

/* The source's value: its own entry first, else its longest prefix's class. */
static int fw_source_find(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
			  struct fw_lookup *out, struct fw_source_value *value, bool *found)
{
	uint32_t set = out->active & FW_ACTIVE_SET;
	bool v4 = fw_addr_is_v4_mapped(pkt->src);
	int err = fw_exact_source(dp, set, pkt, v4, value, found);

	out->exact_source = *found;
	if (err || *found)
		return err;
	if (v4 && (out->active & FW_ACTIVE_PREFIX4))
		err = fw_prefix4_class(dp, set, &pkt->src[12], &out->class_id);
	else if (!v4 && (out->active & FW_ACTIVE_PREFIX6))
		err = fw_prefix6_class(dp, set, pkt->src, &out->class_id);
	if (err || !out->class_id)
		return err;
	return fw_lookup_elem(dp->classes_fd[set], &out->class_id, value, found);
}

static void fw_lookup_decided(struct fw_lookup *out, const struct fw_rule_ref *ref)
{
	out->by_rule = true;
	out->rule_id = ref->id;
	out->reason = ref->action == FW_ACTION_DROP ? FW_STAT_DROP_RULE : FW_STAT_PASS_RULE;
	out->limited = ref->action == FW_ACTION_LIMIT; /* its bucket decides: fw_lookup_limit() */
}

/* The class's port rule: a SYN's own first, else the one of TCP. */
static int fw_port_rule(const struct fw_datapath *dp, uint32_t set, struct fw_port_rule_key *key,
			struct fw_rule_ref *ref, bool *found)
{
	int err = fw_lookup_elem(dp->port_rules_fd[set], key, ref, found);

	if (err || (*found && fw_ref_found(ref)) || key->proto != FW_PROTO_TCP_SYN)
		return err;
	key->proto = FW_PROTO_TCP;
	return fw_lookup_elem(dp->port_rules_fd[set], key, ref, found);
}

/* The source's port rule, then its protocol slot; *ref stays unset when neither decides. */
static int fw_source_rule(const struct fw_datapath *dp, uint32_t set,
			  const struct fw_frame_facts *pkt, uint8_t proto,
			  const struct fw_source_value *source, struct fw_rule_ref *ref)
{
	bool found = false;
	int err = 0;

	if (pkt->dport && source->port_class) {
		struct fw_port_rule_key key = { .port_class = source->port_class,
						.port = pkt->dport, .proto = proto };

		err = fw_port_rule(dp, set, &key, ref, &found);
	}
	if (err || (found && fw_ref_found(ref)))
		return err;
	if (proto < FW_PROTO_COUNT)
		*ref = source->by_proto[proto];
	return 0;
}

/* fw_match(): the source's rules, then the source-less ones. */
static int fw_lookup_match(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
			   struct fw_lookup *out)
{
	uint32_t set = out->active & FW_ACTIVE_SET;
	struct fw_source_value source;
	struct fw_port_value ports;
	struct fw_rule_ref ref = { 0 };
	bool found;
	int err = fw_source_find(dp, pkt, out, &source, &found);

	if (!err && found)
		err = fw_source_rule(dp, set, pkt, out->proto, &source, &ref);
	if (err || fw_ref_found(&ref) || !(out->active & FW_ACTIVE_SOURCELESS)) {
		if (!err && fw_ref_found(&ref))
			fw_lookup_decided(out, &ref);
		return err;
	}
	err = fw_lookup_elem(dp->ports_fd, &(uint32_t){ set * FW_PORTS + pkt->dport }, &ports,
			     &found);
	if (!err && found && out->proto < FW_PROTO_COUNT &&
	    fw_ref_found(&ports.by_proto[out->proto]))
		fw_lookup_decided(out, &ports.by_proto[out->proto]);
	return err;
}

/*
 * bpf/limit.h's token bucket, read and not taken: whether a packet now
 * finds room in the rule's bucket (its source's, for `per: source`). A
 * limit rule whose policy is missing drops, as in the datapath.
 */
static int fw_lookup_limit(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
			   struct fw_lookup *out)
{
	struct fw_limit_key key = { .rule = out->rule_id };
	const struct fw_limit_value *lim = &out->limit;
	uint64_t tat, next;
	bool found;
	int err = fw_lookup_elem(dp->limits_fd, &out->rule_id, &out->limit, &found);

	out->limited = found;
	if (err || !found) {
		out->reason = FW_STAT_DROP_LIMIT;
		return err;
	}
	tat = lim->tat;
	if (lim->per_source) {
		memcpy(key.src, pkt->src, sizeof(key.src));
		err = fw_lookup_elem(dp->limit_buckets_fd, &key, &tat, &found);
		if (!err && !found) { /* a new source's first packet */
			out->reason = lim->interval <= lim->burst_window ? FW_STAT_PASS_RULE
									 : FW_STAT_DROP_LIMIT;
			return 0;
		}
	}
	next = ((int64_t)(out->now - tat) < 0 ? tat : out->now) + lim->interval;
	out->reason = next - out->now <= lim->burst_window ? FW_STAT_PASS_RULE : FW_STAT_DROP_LIMIT;
	return err;
}

int fw_lookup_packet(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
		     struct fw_lookup *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	switch (pkt->kind) {
	case FW_FRAME_MALFORMED:
		out->reason = FW_STAT_DROP_MALFORMED;
		return 0;
	case FW_FRAME_LINK:
		out->reason = FW_STAT_PASS_LINK;
		return 0;
	case FW_FRAME_NON_IP:
		out->reason = FW_STAT_PASS_NON_IP;
		return 0;
	case FW_FRAME_IP:
		break;
	}
	out->now = fw_bans_clock(dp);
	err = fw_lookup_ban(dp, pkt->src, out);
	if (out->banned)
		out->reason = FW_STAT_DROP_BAN;
	if (err || out->banned)
		return err;
	err = fw_param_read(dp, FW_PARAM_ACTIVE, &out->active);
	if (err)
		return err;
	if (pkt->fragment && (out->active & FW_ACTIVE_FRAGMENTS_DROP)) {
		out->reason = FW_STAT_DROP_FRAGMENT;
		return 0;
	}
	out->proto = pkt->proto == FW_PROTO_TCP && pkt->tcp_syn &&
				     (out->active & FW_ACTIVE_TCP_SYN)
			     ? FW_PROTO_TCP_SYN
			     : pkt->proto;
	err = fw_lookup_match(dp, pkt, out);
	if (!err && !out->by_rule)
		out->reason = out->active & FW_ACTIVE_DEFAULT_DROP ? FW_STAT_DROP_DEFAULT
								   : FW_STAT_PASS_DEFAULT;
	if (!err && out->limited)
		err = fw_lookup_limit(dp, pkt, out);
	return err;
}
