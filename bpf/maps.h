/* SPDX-License-Identifier: GPL-2.0 */
/* The maps of the datapath. Userspace resizes them before load. */
#ifndef XDPFW_MAPS_H
#define XDPFW_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <linux/in6.h>
#include "xdpfw.h"

/*
 * One hash map per set, so a key is just what the packet holds; see
 * fw/xdpfw.h. Userspace sizes them to the config and they are
 * preallocated: inserting a large set is then twice as fast.
 */
#define FW_SET_HASH(name, key_type, value_type)                 \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_HASH);                \
		__uint(max_entries, 1024);                      \
		__type(key, key_type);                          \
		__type(value, value_type);                      \
	} name SEC(".maps")

/* IPv4 sources that some rule names: precedence 3 and 4, and the way to 1 and 2. */
FW_SET_HASH(fw_sources4_0, __be32, struct fw_source_value);
FW_SET_HASH(fw_sources4_1, __be32, struct fw_source_value);
/* IPv6 sources, the same. */
FW_SET_HASH(fw_sources6_0, struct in6_addr, struct fw_source_value);
FW_SET_HASH(fw_sources6_1, struct in6_addr, struct fw_source_value);
/* (class, port, proto) rules: precedence 1 and 2 over a class's chain. */
FW_SET_HASH(fw_port_rules_0, struct fw_port_rule_key, struct fw_rule_ref);
FW_SET_HASH(fw_port_rules_1, struct fw_port_rule_key, struct fw_rule_ref);
/* IPv6 prefixes shorter than /128: {length, address} -> class id. */
FW_SET_HASH(fw_prefix6_0, struct fw_prefix6_key, __u32);
FW_SET_HASH(fw_prefix6_1, struct fw_prefix6_key, __u32);

/* Per-set ARRAYs, sized by userspace before load. */
#define FW_SET_ARRAY(name, value_type, flags)                   \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_ARRAY);               \
		__uint(max_entries, 1);                         \
		__uint(map_flags, flags);                       \
		__type(key, __u32);                             \
		__type(value, value_type);                      \
	} name SEC(".maps")

/* Class id -> its resolved value: what a prefix decides. */
FW_SET_ARRAY(fw_classes_0, struct fw_source_value, 0);
FW_SET_ARRAY(fw_classes_1, struct fw_source_value, 0);
/* The IPv4 prefix trie, a block per value; userspace writes it through mmap. */
FW_SET_ARRAY(fw_prefix4_0, struct fw_prefix4_block, BPF_F_MMAPABLE);
FW_SET_ARRAY(fw_prefix4_1, struct fw_prefix4_block, BPF_F_MMAPABLE);

/* The IPv6 prefix lengths present, per set, longest first and 0-ended. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_SETS * FW_PREFIX6_LENGTHS);
	__type(key, __u32);
	__type(value, __u32);
} fw_lengths6 SEC(".maps");

/* Source-less rules by destination port, per set: precedence 5, 6 and 7 (port 0). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_SETS * FW_PORTS);
	__type(key, __u32);
	__type(value, struct fw_port_value);
} fw_ports SEC(".maps");

/*
 * Packets and bytes per rule id; ids are shared by both sets so counters
 * survive a swap. Userspace maps it to read and reset counters in place.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct fw_rule_counter);
} fw_counters SEC(".maps");

/* Userspace only: the named sets in force, for `xdpfw sets` and `rules`. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_SETS * FW_MAX_NAMED_SETS);
	__type(key, __u32);
	__type(value, struct fw_set_info);
} fw_set_info SEC(".maps");

/* Userspace only, through mmap: rule id -> name and match, so counters survive restarts. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct fw_rule_info);
} fw_rule_info SEC(".maps");

/*
 * Bans, outside the rule sets: see fw/xdpfw.h. Userspace sizes the ban
 * maps to settings.max_bans and a new program reuses them, so bans outlive
 * reloads and map replacements.
 */
#define FW_BAN_MAP(name, map_type, key_type, entries)          \
	struct {                                                \
		__uint(type, map_type);                         \
		__uint(max_entries, entries);                   \
		__uint(map_flags, BPF_F_NO_PREALLOC);           \
		__type(key, key_type);                          \
		__type(value, struct fw_ban_value);             \
	} name SEC(".maps")

FW_BAN_MAP(fw_bans4, BPF_MAP_TYPE_HASH, __be32, FW_DEFAULT_MAX_BANS);
FW_BAN_MAP(fw_bans6, BPF_MAP_TYPE_HASH, struct in6_addr, FW_DEFAULT_MAX_BANS);
FW_BAN_MAP(fw_ban_prefix4, BPF_MAP_TYPE_LPM_TRIE, struct fw_ban_prefix4_key, FW_DEFAULT_MAX_BANS);
FW_BAN_MAP(fw_ban_prefix6, BPF_MAP_TYPE_LPM_TRIE, struct fw_ban_prefix6_key, FW_DEFAULT_MAX_BANS);

/* Userspace only: why each ban was made. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_BAN_ORIGINS);
	__type(key, __u32);
	__type(value, struct fw_ban_origin);
} fw_ban_origins SEC(".maps");

/* settings.never_ban, as prefixes: value = its config line. */
#define FW_NEVER_BAN_MAP(name, key_type)                        \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_LPM_TRIE);            \
		__uint(max_entries, FW_NEVER_BAN_MAX);          \
		__uint(map_flags, BPF_F_NO_PREALLOC);           \
		__type(key, key_type);                          \
		__type(value, __u32);                           \
	} name SEC(".maps")

FW_NEVER_BAN_MAP(fw_never_ban4, struct fw_ban_prefix4_key);
FW_NEVER_BAN_MAP(fw_never_ban6, struct fw_ban_prefix6_key);

/* Rate limits: the policy of each limit rule, by rule id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FW_SETS * FW_MAX_LIMITS); /* both sets, while a reload swaps */
	__type(key, __u32);
	__type(value, struct fw_limit_value);
} fw_limits SEC(".maps");

/* Per-source buckets of `per: source` limits; LRU, so new sources evict old ones. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FW_LIMIT_BUCKETS);
	__type(key, struct fw_limit_key);
	__type(value, __u64);
} fw_limit_buckets SEC(".maps");

/*
 * Events: one ring per reader, each made by its reader and put in a slot;
 * see fw/xdpfw.h. The template only gives the slots their type.
 */
struct fw_event_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, FW_EVENT_RING_BYTES);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, FW_EVENT_READERS);
	__type(key, __u32);
	__array(values, struct fw_event_ring);
} fw_event_rings SEC(".maps");

/* Userspace only: which process owns each ring slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_EVENT_READERS);
	__type(key, __u32);
	__type(value, struct fw_event_reader);
} fw_event_readers SEC(".maps");

/* Events sent, held back by log_rate, and lost to a full ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_EVENT_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} fw_event_stats SEC(".maps");

/* The log_rate bucket for the whole host. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fw_limit_value);
} fw_log SEC(".maps");

/* Userspace only: how the syncs of configs ended, for the metrics. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fw_reload_stats);
} fw_reloads SEC(".maps");

/*
 * The set in force and its policy, and layout facts; indexed by enum
 * fw_param. A global rather than a map entry: the program reads the policy
 * word with one load from a fixed address, about 1 ns less per packet than
 * a lookup. libbpf makes the section a one-entry mmapable ARRAY map, which
 * userspace maps and pins as fw_params.
 */
__u32 fw_params[FW_PARAM_COUNT] SEC(".data.params");

/* One slot per reason a packet was passed or dropped. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_STAT_COUNT);
	__type(key, __u32);
	__type(value, struct fw_stat_value);
} fw_stats SEC(".maps");

#endif /* XDPFW_MAPS_H */
