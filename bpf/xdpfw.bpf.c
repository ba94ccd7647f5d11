// SPDX-License-Identifier: GPL-2.0
/* xdpfw datapath: parse, pick the most specific rule, count, decide. */
#include "parse.h"
#include "maps.h"

/* Read once per packet: userspace rewrites it while the program runs. */
static __always_inline __u32 fw_param(__u32 index)
{
	return *(volatile __u32 *)&fw_params[index];
}

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

/* Levels 1 and 2 (resolved into one entry), only for sources known to have port rules. */
static __always_inline const struct fw_rule_ref *fw_match_source_port(__u32 set,
								       const struct fw_packet *pkt)
{
	struct fw_port_rule_key key = { .port = pkt->dport, .proto = pkt->proto };

	if (pkt->v6) {
		__builtin_memcpy(key.addr, pkt->src, 16);
	} else {
		key.addr[10] = 0xff;
		key.addr[11] = 0xff;
		__builtin_memcpy(&key.addr[12], pkt->src, 4);
	}
	return fw_port_rule_lookup(set, &key);
}

/*
 * DESIGN §1 precedence: (src,port,proto) (src,port,any) (src,any,proto)
 * (src,any,any) (any,port,proto) (any,port,any) (any,any,proto). The
 * compiler folds each group into one slot, so a packet costs at most one
 * lookup per group, and a source no rule names costs one hash miss.
 */
static __always_inline const struct fw_rule_ref *fw_match(__u32 active, const struct fw_packet *pkt)
{
	__u32 set = active & FW_ACTIVE_SET;
	struct fw_source_value *source = fw_source_lookup(set, pkt);

	if (source) {
		if (pkt->dport && (source->flags & FW_SOURCE_HAS_PORT_RULES)) {
			const struct fw_rule_ref *ref = fw_match_source_port(set, pkt);

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

static __always_inline int fw_count_rule(const struct fw_rule_ref *ref, __u64 len)
{
	__u32 id = ref->id;
	struct fw_rule_counter *counter = bpf_map_lookup_elem(&fw_counters, &id);

	if (counter)
		fw_counter_add(counter, len);
	return ref->action == FW_ACTION_DROP ? FW_STAT_DROP_RULE : FW_STAT_PASS_RULE;
}

static __always_inline enum fw_stat fw_decide(struct xdp_md *ctx, __u64 len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct fw_packet pkt = {};
	const struct fw_rule_ref *ref;
	__u32 active;

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

	active = fw_param(FW_PARAM_ACTIVE);
	if (pkt.fragment && (active & FW_ACTIVE_FRAGMENTS_DROP))
		return FW_STAT_DROP_FRAGMENT;

	ref = fw_match(active, &pkt);
	if (ref)
		return fw_count_rule(ref, len);
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
