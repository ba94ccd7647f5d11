// SPDX-License-Identifier: GPL-2.0
/*
 * Floor programs: the least any XDP source filter must do, step by step.
 * Keys are what xdpfw hashes: the 4-byte IPv4 source, the 16-byte IPv6 one.
 */
#include "bench_parse.h"

/* Source -> packet counter, per family. Sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __be32);
	__type(value, __u64);
} floor_rules4 SEC(".maps");

struct floor_addr6 {
	__u8 bytes[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct floor_addr6);
	__type(value, __u64);
} floor_rules6 SEC(".maps");

/* The mission's own key: (source, destination port, IP protocol) -> packet counter. */
struct floor_port4_key {
	__be32 src;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct floor_port6_key {
	__u8 src[16];
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct floor_port4_key);
	__type(value, __u64);
} floor_port4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct floor_port6_key);
	__type(value, __u64);
} floor_port6 SEC(".maps");

/* A counter per CPU: what a rule counter costs when no two CPUs share its cache line. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} floor_cpu_counter SEC(".maps");

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

static __always_inline __u64 *floor_source(struct bench_pkt *pkt)
{
	if (pkt->v6)
		return bpf_map_lookup_elem(&floor_rules6, pkt->src);
	return bpf_map_lookup_elem(&floor_rules4, &pkt->src[12]);
}

/* Parse and one hash lookup; never counts, so on a miss it is the parse + miss floor. */
SEC("xdp")
int floor_miss(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	return floor_source(&pkt) ? XDP_DROP : XDP_PASS;
}

/* Parse, one hash lookup and, on a hit, one atomic add: the parse + hit + atomic floor. */
SEC("xdp")
int floor_hit(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u64 *count;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	count = floor_source(&pkt);
	if (!count)
		return XDP_PASS;
	__sync_fetch_and_add(count, 1);
	return XDP_DROP;
}

/*
 * floor_hit as a token bucket would: a clock read and a compare-and-swap of
 * the entry instead of the add, what any rate limit must do per packet.
 */
SEC("xdp")
int floor_hit_clock(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u64 *tat, old, now;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	tat = floor_source(&pkt);
	if (!tat)
		return XDP_DROP;
	now = bpf_ktime_get_boot_ns();
	old = *(volatile __u64 *)tat;
	__sync_val_compare_and_swap(tat, old, (old > now ? old : now) + 1);
	return XDP_PASS;
}

/* floor_hit with the count in a per-CPU counter instead of the entry: no shared cache line. */
SEC("xdp")
int floor_hit_percpu(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u32 zero = 0;
	__u64 *count;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	if (!floor_source(&pkt))
		return XDP_PASS;
	count = bpf_map_lookup_elem(&floor_cpu_counter, &zero);
	if (count)
		*count += 1;
	return XDP_DROP;
}

/* Parse, one lookup of a {source, port, proto} key and the atomic add on a hit. */
SEC("xdp")
int floor_port_hit(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u64 *count;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	if (pkt.v6) {
		struct floor_port6_key key = { .port = pkt.dport, .proto = pkt.ipproto };

		__builtin_memcpy(key.src, pkt.src, 16);
		count = bpf_map_lookup_elem(&floor_port6, &key);
	} else {
		struct floor_port4_key key = { .port = pkt.dport, .proto = pkt.ipproto };

		__builtin_memcpy(&key.src, &pkt.src[12], 4);
		count = bpf_map_lookup_elem(&floor_port4, &key);
	}
	if (!count)
		return XDP_PASS;
	__sync_fetch_and_add(count, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
