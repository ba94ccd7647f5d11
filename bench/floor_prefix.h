/* SPDX-License-Identifier: GPL-2.0 */
/* Keys and layout of bench/floor_prefix.bpf.c's maps, shared with the loader. */
#ifndef BENCH_FLOOR_PREFIX_H
#define BENCH_FLOOR_PREFIX_H

#include <linux/types.h>

/* BPF_MAP_TYPE_LPM_TRIE keys: the length in bits, then the address. */
struct floor_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct floor_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/* One hash per prefix length, folded into one hash keyed by {length, masked address}. */
struct floor_plen4_key {
	__u32 len;
	__u8 addr[4];
};

struct floor_plen6_key {
	__u32 len;
	__u8 addr[16];
};

/* The lengths present, longest first, 0-ended. */
struct floor_plen_lengths {
	__u32 v4[33];
	__u32 v6[129];
};

/*
 * The guided walk (IPv6): the top 32 bits of an address -> the lengths
 * present in that /32, longest first, 0-ended; only those are probed.
 */
#define FLOOR_GUIDE_LENGTHS 8

struct floor_guide6_value {
	__u8 lens[FLOOR_GUIDE_LENGTHS];
};

/*
 * DIR-24-8 (DPDK rte_lpm): tbl24 indexed by the top 24 bits, 2^24 entries;
 * an entry is 0, FLOOR_DIR_HIT, or FLOOR_DIR_GROUP | g: then tbl8 group g
 * is indexed by the last byte. Values are blocks of 256 entries (an ARRAY
 * pads each value to 8 bytes; blocks keep the 4 bytes an entry needs).
 */
#define FLOOR_DIR_HIT 1u
#define FLOOR_DIR_GROUP 0x80000000u
#define FLOOR_DIR_TBL24_BLOCKS (1u << 16)

struct floor_dir_block {
	__u32 entry[256];
};

#endif
