/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark's rule sources and test frames, inside 198.18.0.0/15 and
 * 2001:2::/48 but for bans. A set of n rules is min(n/2, 65536) IPv4 sources
 * 198.18.0.0 + i and the rest IPv6 sources 2001:2::i; misses come from
 * 198.19.0.0/16 and 2001:2:0:1::/64, where no rule lives.
 * Bans (issue 10) need a million IPv4 addresses: 100.64.0.0 + i (RFC 6598
 * shared space, 4M addresses) and 2001:2:0:2::i; no rule or miss is there.
 * They lie outside RFC 2544 as 198.18.0.0/15 holds only 131072: they are map
 * keys, ipset entries and BPF_PROG_TEST_RUN sources, never sent on a wire.
 */
#ifndef BENCH_ADDRS_H
#define BENCH_ADDRS_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_V4_MAX 65536u

struct bench_split {
	uint32_t v4;
	uint32_t v6;
};

struct bench_split bench_split(uint32_t rules);
/* Rule i of a set split as s: its 16-byte source (v4-mapped for IPv4). */
void bench_rule_addr(const struct bench_split *s, uint32_t i, uint8_t out[16]);
/* The network-order IPv4 address of rule i < s->v4, for maps keyed by IPv4 alone. */
uint32_t bench_rule_v4(uint32_t i);

#define BENCH_BANS_V4_MAX (1u << 22)

/* Ban i: the network-order IPv4 address (i < BENCH_BANS_V4_MAX), the IPv6 one. */
uint32_t bench_ban_v4(uint32_t i);
void bench_ban_v6(uint32_t i, uint8_t out[16]);

/*
 * A 64-byte UDP frame (60 without FCS; IPv6 needs 66) to port 53 from the
 * source of index `index` of the family, hit (a rule source) or miss.
 * Returns its length; *addr_off is the offset where rotor rewrites the source.
 */
size_t bench_frame(int ipv6, int hit, uint32_t index, uint8_t *buf, uint32_t *addr_off);
/* The same frame from any source (16-byte form); *addr_off is where the whole source starts. */
size_t bench_frame_from(const uint8_t addr[16], uint8_t *buf, uint32_t *addr_off);

#endif
