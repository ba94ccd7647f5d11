// SPDX-License-Identifier: GPL-2.0
/*
 * Floors for prefix sets: the least each candidate structure costs with the
 * floor parser, one rule and its atomic counter. Maps are sized by the
 * loader (bench/pktset.c); unsized they hold one entry.
 */
#include "bench_parse.h"
#include "floor_prefix.h"

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct floor_lpm4_key);
	__type(value, __u64);
} floor_lpm4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct floor_lpm6_key);
	__type(value, __u64);
} floor_lpm6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct floor_plen4_key);
	__type(value, __u64);
} floor_plen4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct floor_plen6_key);
	__type(value, __u64);
} floor_plen6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct floor_plen_lengths);
} floor_lengths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct floor_guide6_value);
} floor_guide6 SEC(".maps");

/* DIR-24-8, with the /32s in an exact hash read first (as xdpfw does). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct floor_dir_block);
} floor_tbl24 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct floor_dir_block);
} floor_tbl8 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __be32);
	__type(value, __u64);
} floor_exact4 SEC(".maps");

/* The set rule's counter, for structures whose entries hold no counter. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} floor_set_counter SEC(".maps");

static __always_inline int floor_count(__u64 *count)
{
	if (!count)
		return XDP_PASS;
	__sync_fetch_and_add(count, 1);
	return XDP_DROP;
}

/* Parse and one lookup in the kernel's LPM trie; the atomic add on a hit. */
SEC("xdp")
int floor_lpm(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	if (pkt.v6) {
		struct floor_lpm6_key key = { .prefixlen = 128 };

		__builtin_memcpy(key.addr, pkt.src, 16);
		return floor_count(bpf_map_lookup_elem(&floor_lpm6, &key));
	} else {
		struct floor_lpm4_key key = { .prefixlen = 32 };

		__builtin_memcpy(key.addr, &pkt.src[12], 4);
		return floor_count(bpf_map_lookup_elem(&floor_lpm4, &key));
	}
}

static __always_inline void floor_plen6_key(struct floor_plen6_key *key, const __u8 *src, __u32 len)
{
	key->len = len;
	for (int w = 0; w < 4; w++) {
		int bits = (int)len - 32 * w;
		__u32 mask = bits >= 32 ? ~0u : bits <= 0 ? 0 : ~0u << (32 - bits);
		__u32 word;

		__builtin_memcpy(&word, &src[4 * w], 4);
		word &= bpf_htonl(mask);
		__builtin_memcpy(&key->addr[4 * w], &word, 4);
	}
}

/* Parse, then one hash lookup per length present, longest first, until one hits. */
SEC("xdp")
int floor_plen(struct xdp_md *ctx)
{
	struct floor_plen_lengths *lengths;
	struct bench_pkt pkt = {};
	__u32 zero = 0;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	lengths = bpf_map_lookup_elem(&floor_lengths, &zero);
	if (!lengths)
		return XDP_PASS;
	if (pkt.v6) {
		for (int i = 0; i < 129; i++) {
			struct floor_plen6_key key;
			__u32 len = lengths->v6[i];
			__u64 *count;

			if (!len || len > 128)
				break;
			floor_plen6_key(&key, pkt.src, len);
			count = bpf_map_lookup_elem(&floor_plen6, &key);
			if (count)
				return floor_count(count);
		}
	} else {
		__u32 src;

		__builtin_memcpy(&src, &pkt.src[12], 4);
		for (int i = 0; i < 33; i++) {
			struct floor_plen4_key key;
			__u32 len = lengths->v4[i], masked;
			__u64 *count;

			if (!len || len > 32)
				break;
			key.len = len;
			masked = src & bpf_htonl(~0u << (32 - len));
			__builtin_memcpy(key.addr, &masked, 4);
			count = bpf_map_lookup_elem(&floor_plen4, &key);
			if (count)
				return floor_count(count);
		}
	}
	return XDP_PASS;
}

struct floor_walk6 {
	__u8 src[16];
	__u32 found;
};

/* floor_plen's IPv6 step as xdpfw takes it: a bpf_loop body that reads its length from the map. */
static long floor_walk6_step(__u32 i, void *data)
{
	struct floor_walk6 *walk = data;
	struct floor_plen_lengths *lengths;
	struct floor_plen6_key key;
	__u32 zero = 0, len;

	lengths = bpf_map_lookup_elem(&floor_lengths, &zero);
	if (!lengths || i >= 129)
		return 1;
	len = lengths->v6[i];
	if (!len || len > 128)
		return 1;
	floor_plen6_key(&key, walk->src, len);
	if (!bpf_map_lookup_elem(&floor_plen6, &key))
		return 0;
	walk->found = 1;
	return 1;
}

/* floor_plen for IPv6 through bpf_loop, counting on the set's one counter. IPv6 only. */
SEC("xdp")
int floor_plen_loop(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	struct floor_walk6 walk = {};
	__u32 zero = 0;

	if (bench_parse(ctx, &pkt) || !pkt.v6)
		return XDP_PASS;
	__builtin_memcpy(walk.src, pkt.src, 16);
	bpf_loop(129, floor_walk6_step, &walk, 0);
	if (!walk.found)
		return XDP_PASS;
	return floor_count(bpf_map_lookup_elem(&floor_set_counter, &zero));
}

/*
 * Parse, one lookup of the source's /32 in the guide, then one hash lookup
 * per length the guide lists for it. IPv6 only; the sets measured hold no
 * prefix shorter than /32 (those would be probed after a guide miss).
 */
SEC("xdp")
int floor_guided(struct xdp_md *ctx)
{
	struct floor_guide6_value *guide;
	struct bench_pkt pkt = {};
	__u32 top;

	if (bench_parse(ctx, &pkt) || !pkt.v6)
		return XDP_PASS;
	__builtin_memcpy(&top, pkt.src, 4);
	guide = bpf_map_lookup_elem(&floor_guide6, &top);
	if (!guide)
		return XDP_PASS;
	for (int i = 0; i < FLOOR_GUIDE_LENGTHS; i++) {
		struct floor_plen6_key key;
		__u32 len = guide->lens[i];
		__u64 *count;

		if (!len)
			break;
		floor_plen6_key(&key, pkt.src, len);
		count = bpf_map_lookup_elem(&floor_plen6, &key);
		if (count)
			return floor_count(count);
	}
	return XDP_PASS;
}

static __always_inline __u32 floor_dir_entry(void *map, __u32 index)
{
	__u32 block = index / 256;
	struct floor_dir_block *b = bpf_map_lookup_elem(map, &block);

	return b ? b->entry[index % 256] : 0;
}

/* Parse, the exact hash, then DIR-24-8: one array read, a second for /25-/31. IPv4 only. */
SEC("xdp")
int floor_dir24(struct xdp_md *ctx)
{
	struct bench_pkt pkt = {};
	__u32 src, addr, entry, zero = 0;
	__u64 *count;

	if (bench_parse(ctx, &pkt))
		return XDP_DROP;
	if (pkt.v6)
		return XDP_PASS;
	__builtin_memcpy(&src, &pkt.src[12], 4);
	count = bpf_map_lookup_elem(&floor_exact4, &src);
	if (count)
		return floor_count(count);
	addr = bpf_ntohl(src);
	entry = floor_dir_entry(&floor_tbl24, addr >> 8);
	if (entry & FLOOR_DIR_GROUP)
		entry = floor_dir_entry(&floor_tbl8, (entry & ~FLOOR_DIR_GROUP) * 256 + (addr & 0xff));
	if (entry != FLOOR_DIR_HIT)
		return XDP_PASS;
	return floor_count(bpf_map_lookup_elem(&floor_set_counter, &zero));
}

char LICENSE[] SEC("license") = "GPL";
