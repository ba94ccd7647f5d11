// SPDX-License-Identifier: GPL-2.0
/* Floor programs: the least any XDP source filter must do, step by step. */
#include "bench_parse.h"

/* Source address (16 bytes, v4-mapped for IPv4) -> packet counter. Sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, 16);
	__uint(value_size, sizeof(__u64));
} floor_rules SEC(".maps");

/* Bare XDP_DROP: the cost of running any program at all. */
SEC("xdp")
int floor_drop(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}

/* Parse, then pass. */
SEC("xdp")
int floor_parse(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	/* Keep every parsed byte live, as a lookup would. */
	asm volatile("" : : "r"(&pkt) : "memory");
	return XDP_PASS;
}

/* Parse and one hash lookup; never counts, so on a miss it is the parse + miss floor. */
SEC("xdp")
int floor_miss(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	return bpf_map_lookup_elem(&floor_rules, pkt.src) ? XDP_DROP : XDP_PASS;
}

/* Parse, one hash lookup and, on a hit, one atomic add: the parse + hit + atomic floor. */
SEC("xdp")
int floor_hit(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u64 *count;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	count = bpf_map_lookup_elem(&floor_rules, pkt.src);
	if (!count)
		return XDP_PASS;
	__sync_fetch_and_add(count, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
