// SPDX-License-Identifier: GPL-2.0
/* xdpfw datapath: parse, pick the most specific rule, count, decide. */
#include "parse.h"
#include "maps.h"
#include "clock.h"
#include "bans.h"
#include "limit.h"
#include "events.h"

static __always_inline int fw_ref_found(const struct fw_rule_ref *ref)
{
	return ref && ref->action != FW_ACTION_NONE;
}

/* Source-less rules, already resolved per (port, protocol) by the compiler. */
static __always_inline const struct fw_rule_ref *fw_match_port(__u32 set,
							       const struct fw_packet *pkt)
{
	__u32 index = set * FW_PORTS + pkt->dport;
	struct fw_port_value *ports = bpf_map_lookup_elem(&fw_ports, &index);

	if (!ports || pkt->proto >= FW_PROTO_COUNT)
		return 0;
	return fw_ref_found(&ports->by_proto[pkt->proto]) ? &ports->by_proto[pkt->proto] : 0;
}

/*
 * One call site per map: if clang merged the lookups into one call with a
 * choice of maps, the verifier could no longer inline them. The distinct
 * asm markers keep the calls apart.
 */
#define FW_LOOKUP(map, key, marker)                                   \
	({                                                            \
		void *value_ = bpf_map_lookup_elem(&(map), (key));    \
		asm volatile("/* " marker " */" : "+r"(value_));      \
		value_;                                               \
	})

/* The maps of a set are separate, so the set picks the map, not a key byte. */
static __always_inline struct fw_source_value *fw_source_lookup(__u32 set,
								 const struct fw_packet *pkt)
{
	if (pkt->v6)
		return set ? FW_LOOKUP(fw_sources6_1, pkt->src, "s6_1")
			   : FW_LOOKUP(fw_sources6_0, pkt->src, "s6_0");
	return set ? FW_LOOKUP(fw_sources4_1, pkt->src, "s4_1")
		   : FW_LOOKUP(fw_sources4_0, pkt->src, "s4_0");
}

static __always_inline const struct fw_rule_ref *
fw_port_rule_lookup(__u32 set, struct fw_port_rule_key *key)
{
	const struct fw_rule_ref *ref = set ? FW_LOOKUP(fw_port_rules_1, key, "p_1")
					    : FW_LOOKUP(fw_port_rules_0, key, "p_0");

	return fw_ref_found(ref) ? ref : 0;
}

/* Levels 1 and 2 over the source's chain, resolved into one entry per class and port. */
static __always_inline const struct fw_rule_ref *
fw_match_source_port(__u32 set, __u32 port_class, const struct fw_packet *pkt)
{
	struct fw_port_rule_key key = {
		.port_class = port_class, .port = pkt->dport, .proto = pkt->proto
	};
	const struct fw_rule_ref *ref = fw_port_rule_lookup(set, &key);

	/* A SYN's entry exists only where it differs from a plain TCP packet's. */
	if (!ref && key.proto == FW_PROTO_TCP_SYN) {
		key.proto = FW_PROTO_TCP;
		ref = fw_port_rule_lookup(set, &key);
	}
	return ref;
}

static __always_inline struct fw_source_value *fw_class_value(__u32 set, __u32 class_id)
{
	if (!class_id)
		return 0;
	return set ? FW_LOOKUP(fw_classes_1, &class_id, "c_1")
		   : FW_LOOKUP(fw_classes_0, &class_id, "c_0");
}

static __always_inline __u32 fw_prefix4_entry(__u32 set, __u32 index)
{
	__u32 block = index / FW_PREFIX4_BLOCK_SIZE;
	struct fw_prefix4_block *entries = set ? FW_LOOKUP(fw_prefix4_1, &block, "t_1")
					       : FW_LOOKUP(fw_prefix4_0, &block, "t_0");

	return entries ? entries->entry[index % FW_PREFIX4_BLOCK_SIZE] : 0;
}

static __always_inline __u32 fw_prefix4_next(__u32 set, __u32 entry, __u32 byte)
{
	return fw_prefix4_entry(set, FW_PREFIX4_ROOT +
					     (entry & ~FW_PREFIX4_BLOCK) * FW_PREFIX4_BLOCK_SIZE + byte);
}

/* The 16-8-8 trie of fw/xdpfw.h: the class of the longest IPv4 prefix holding src. */
static __always_inline __u32 fw_prefix4_class(__u32 set, __be32 src)
{
	__u32 addr = bpf_ntohl(src);
	__u32 entry = fw_prefix4_entry(set, addr >> 16);

	if (entry & FW_PREFIX4_BLOCK) {
		entry = fw_prefix4_next(set, entry, (addr >> 8) & 0xff);
		if (entry & FW_PREFIX4_BLOCK)
			entry = fw_prefix4_next(set, entry, addr & 0xff);
	}
	return entry & FW_PREFIX4_BLOCK ? 0 : entry;
}

struct fw_prefix6_walk {
	__be32 src[4];
	__u32 set;
	__u32 class_id;
};

/* One prefix length of the set, longest first: bpf_loop's body. */
static long fw_prefix6_step(__u32 i, void *data)
{
	struct fw_prefix6_walk *walk = data;
	__u32 index = walk->set * FW_PREFIX6_LENGTHS + i;
	__u32 *len = bpf_map_lookup_elem(&fw_lengths6, &index);
	struct fw_prefix6_key key;
	__u32 *class_id;

	if (!len || !*len || *len >= 128)
		return 1;
	key.len = *len;
	for (int w = 0; w < 4; w++) {
		int bits = (int)key.len - 32 * w;
		__u32 mask = bits >= 32 ? ~0u : bits <= 0 ? 0 : ~0u << (32 - bits);

		__builtin_memcpy(&key.addr[4 * w], &walk->src[w], 4);
		*(__u32 *)&key.addr[4 * w] &= bpf_htonl(mask);
	}
	class_id = walk->set ? FW_LOOKUP(fw_prefix6_1, &key, "x_1")
			     : FW_LOOKUP(fw_prefix6_0, &key, "x_0");
	if (!class_id)
		return 0;
	walk->class_id = *class_id;
	return 1;
}

static __always_inline __u32 fw_prefix6_class(__u32 set, const struct fw_packet *pkt)
{
	struct fw_prefix6_walk walk = { .set = set };

	__builtin_memcpy(walk.src, pkt->src, sizeof(walk.src));
	bpf_loop(FW_PREFIX6_LENGTHS, fw_prefix6_step, &walk, 0);
	return walk.class_id;
}

/* The source's resolved value: its exact address first, else its longest prefix's class. */
static __always_inline struct fw_source_value *fw_source_find(__u32 set, __u32 active,
							       const struct fw_packet *pkt)
{
	struct fw_source_value *source = fw_source_lookup(set, pkt);

	if (source)
		return source;
	if (pkt->v6)
		return active & FW_ACTIVE_PREFIX6 ? fw_class_value(set, fw_prefix6_class(set, pkt))
						   : 0;
	return active & FW_ACTIVE_PREFIX4 ? fw_class_value(set, fw_prefix4_class(set, pkt->src[0]))
					   : 0;
}

/*
 * DESIGN §1b precedence: the longest matching prefix's (src,port,proto)
 * (src,port,any) (src,any,proto) (src,any,any), then the next shorter
 * prefix's, then (any,port,proto) (any,port,any) (any,any,proto). The
 * compiler folds each group into one slot, so a packet costs at most one
 * lookup per group, and a source no rule names costs one hash miss (and
 * the prefix walk, when prefixes exist).
 */
static __always_inline const struct fw_rule_ref *fw_match(__u32 active, const struct fw_packet *pkt)
{
	__u32 set = active & FW_ACTIVE_SET;
	struct fw_source_value *source = fw_source_find(set, active, pkt);

	if (source) {
		if (pkt->dport && source->port_class) {
			const struct fw_rule_ref *ref =
				fw_match_source_port(set, source->port_class, pkt);

			if (ref)
				return ref;
		}
		if (pkt->proto < FW_PROTO_COUNT && fw_ref_found(&source->by_proto[pkt->proto]))
			return &source->by_proto[pkt->proto];
	}
	return active & FW_ACTIVE_SOURCELESS ? fw_match_port(set, pkt) : 0;
}

/* Moves half a field's range out of `recent`; the fetch orders the two adds on every CPU kind. */
static __always_inline void fw_counter_spill(struct fw_rule_counter *counter, __u64 *spilled,
					     __u64 amount, __u64 half)
{
	__u64 before = __sync_fetch_and_add(spilled, amount);

	asm volatile("" : : "r"(before));
	__sync_fetch_and_add(&counter->recent, -half);
}

/* See struct fw_rule_counter: one locked add per packet, exact totals. */
static __always_inline void fw_counter_add(struct fw_rule_counter *counter, __u64 len)
{
	__u64 add = FW_COUNTER_PACKET + len;
	__u64 old = __sync_fetch_and_add(&counter->recent, add);
	__u64 reached = ~old & (old + add) & FW_COUNTER_HALVES;

	if (reached & FW_COUNTER_PACKETS_HALF)
		fw_counter_spill(counter, &counter->packets_spilled,
				 FW_COUNTER_PACKETS_HALF >> FW_COUNTER_BYTES_BITS,
				 FW_COUNTER_PACKETS_HALF);
	if (reached & FW_COUNTER_BYTES_HALF)
		fw_counter_spill(counter, &counter->bytes_spilled, FW_COUNTER_BYTES_HALF,
				 FW_COUNTER_BYTES_HALF);
}

/* Counts the packet on the rule that decided it, a limit rule's excess too. */
static __always_inline int fw_count_rule(struct xdp_md *volatile *ctx,
					 const struct fw_rule_ref *ref,
					 __u64 len, const struct fw_packet *pkt)
{
	__u32 id = ref->id;
	struct fw_rule_counter *counter = bpf_map_lookup_elem(&fw_counters, &id);
	int reason;

	if (counter)
		fw_counter_add(counter, len);
	if (ref->action == FW_ACTION_LIMIT)
		reason = fw_limit(id, pkt);
	else
		reason = ref->action == FW_ACTION_DROP ? FW_STAT_DROP_RULE : FW_STAT_PASS_RULE;
	fw_log_rule(ctx, &id, reason);
	return reason;
}

/*
 * A SYN without ACK is a packet class of its own only while some rule says
 * `tcp_flags: syn`; parse marks it, so other packets pay one compare.
 */
static __always_inline void fw_classify_syn(__u32 active, struct fw_packet *pkt)
{
	if (__builtin_expect(pkt->proto == FW_PROTO_TCP_SYN, 0) && !(active & FW_ACTIVE_TCP_SYN))
		pkt->proto = FW_PROTO_TCP;
}

static __always_inline enum fw_stat fw_decide(struct xdp_md *ctx, __u64 len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fw_packet pkt = {};
	const struct fw_rule_ref *ref;
	__u32 active, bans;
	__s64 origin;
	/* On the stack, not in a register the lookups want: only an event reads it back. */
	struct xdp_md *volatile event_ctx = ctx;

	switch (fw_parse(data, data_end, &pkt)) {
	case FW_PARSE_MALFORMED:
		return FW_STAT_DROP_MALFORMED;
	case FW_PARSE_LINK:
		return FW_STAT_PASS_LINK;
	case FW_PARSE_NON_IP:
		return FW_STAT_PASS_NON_IP;
	case FW_PARSE_IP:
		break;
	}

	bans = fw_param(FW_PARAM_BANS);
	if (__builtin_expect(bans != 0, 0) &&
	    (origin = fw_banned(bans, &pkt, len)) != FW_NOT_BANNED) {
		fw_log_ban(&event_ctx, origin);
		return FW_STAT_DROP_BAN;
	}

	active = fw_param(FW_PARAM_ACTIVE);
	if (pkt.fragment && (active & FW_ACTIVE_FRAGMENTS_DROP))
		return FW_STAT_DROP_FRAGMENT;

	fw_classify_syn(active, &pkt);
	ref = fw_match(active, &pkt);
	if (ref)
		return fw_count_rule(&event_ctx, ref, len, &pkt);
	if (active & FW_ACTIVE_DEFAULT_DROP)
		return FW_STAT_DROP_DEFAULT;
	return FW_STAT_PASS_DEFAULT;
}

SEC("xdp")
int xdpfw(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u32 reason = fw_decide(ctx, len);
	struct fw_stat_value *stat = bpf_map_lookup_elem(&fw_stats, &reason);

	if (stat) {
		stat->packets++;
		stat->bytes += len;
	}
	return fw_stat_is_drop(reason) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
