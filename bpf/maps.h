/* SPDX-License-Identifier: GPL-2.0 */
/* The maps of the datapath. Userspace resizes them before load. */
#ifndef XDPFW_MAPS_H
#define XDPFW_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpfw.h"

/* Every source address that some rule names, per set: precedence 3 and 4. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, struct fw_source_key);
	__type(value, struct fw_source_value);
} fw_sources SEC(".maps");

/* (source, port, proto) rules, per set: precedence 1 and 2. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, struct fw_port_rule_key);
	__type(value, struct fw_rule_ref);
} fw_port_rules SEC(".maps");

/* Source-less rules by destination port, per set: precedence 5, 6 and 7 (port 0). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_SETS * FW_PORTS);
	__type(key, __u32);
	__type(value, struct fw_port_value);
} fw_ports SEC(".maps");

/* Packets and bytes per rule id; ids are shared by both sets so counters survive a swap. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct fw_counter);
} fw_counters SEC(".maps");

/* Userspace only: rule id -> name and match, so counters survive restarts. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, FW_SETS * FW_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct fw_rule_info);
} fw_rule_info SEC(".maps");

/* Active set selector and per-set policy, indexed by enum fw_global_param / FW_PARAM_INDEX(). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_PARAM_ENTRIES);
	__type(key, __u32);
	__type(value, __u32);
} fw_params SEC(".maps");

/* One slot per reason a packet was passed or dropped. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_STAT_COUNT);
	__type(key, __u32);
	__type(value, struct fw_stat_value);
} fw_stats SEC(".maps");

#endif /* XDPFW_MAPS_H */
