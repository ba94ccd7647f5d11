/* SPDX-License-Identifier: GPL-2.0 */
/* Builds test frames: Ethernet, VLAN tags, IPv4 (options, fragments), IPv6 (extension headers), L4. */
#ifndef TEST_PKT_H
#define TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX 2048
#define PKT_MAX_EXT 12
#define PKT_ZERO (-1) /* for the ihl and version overrides, where 0 means "no override" */
#define PKT_MAX_VLAN 3 /* one more than the datapath walks, to build frames it must reject */

struct pkt_spec {
	uint16_t vlan_tpid[PKT_MAX_VLAN]; /* 0x8100 or 0x88a8, outermost first; 0 ends the list */
	uint16_t ethertype;      /* 0 = from src (0x0800 / 0x86dd) */
	const char *src;         /* "198.18.0.1" or "2001:2::1"; for ethertype 0x0806, ARP's sender */
	const char *dst;         /* NULL = same family's .2 */
	uint8_t ipproto;         /* IPPROTO_TCP, UDP, ICMP, ICMPV6, ... */
	/*
	 * Also written as bait where a parser that wrongly looks for ports
	 * would find one: in an ICMP header's checksum (where TCP and UDP keep
	 * the destination port) and at the start of a later fragment's payload.
	 */
	uint16_t dport;
	uint16_t sport;
	uint8_t icmp_type;
	uint8_t ipv4_option_words; /* 32-bit words of NOP options */
	/*
	 * IPv6 extension headers in order. The list ends at the first 0 unless
	 * ext_count says how long it is; IPPROTO_HOPOPTS is 0, so a chain with
	 * hop-by-hop needs ext_count: write it with PKT_EXT().
	 */
	uint8_t ext[PKT_MAX_EXT];
	uint16_t frag_offset;      /* in 8-byte units; a fragment header/flags are added if set or more_frags */
	uint8_t more_frags;
	uint8_t fragment;          /* force a (first) fragment header even with offset 0 and !more_frags */
	uint16_t payload;          /* bytes after the L4 header */
	int truncate;              /* >0: cut the frame to this many bytes */
	int ihl;                   /* >0: override the IPv4 IHL field; PKT_ZERO: write 0 */
	int version;               /* >0: override the IP version field; PKT_ZERO: write 0 */
	uint8_t dont_frag;         /* set the IPv4 DF flag, which does not make a fragment */
	uint8_t ext_words[PKT_MAX_EXT]; /* Hdr Ext Len of each option-type ext[]: 8n + 8 bytes */
	uint8_t ext_count;         /* entries of ext[] to build; 0 = up to the first 0 */
};

/* Designators for an extension-header chain: PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING). */
#define PKT_EXT(...) \
	.ext = { __VA_ARGS__ }, .ext_count = sizeof((const uint8_t[]){ __VA_ARGS__ })

/* Writes the frame into buf (PKT_MAX bytes) and returns its length. */
size_t pkt_build(const struct pkt_spec *spec, uint8_t *buf);

/* Parses "a.b.c.d" or an IPv6 literal into the 16-byte form rules use (v4-mapped). */
void pkt_addr(const char *text, uint8_t out[16]);

#endif /* TEST_PKT_H */
