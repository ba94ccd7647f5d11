/* SPDX-License-Identifier: GPL-2.0 */
/* Builds test frames: Ethernet, VLAN tags, IPv4 (options, fragments), IPv6 (extension headers), L4. */
#ifndef TEST_PKT_H
#define TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX 2048
#define PKT_MAX_EXT 12

struct pkt_spec {
	uint16_t vlan_tpid[2];   /* 0x8100 or 0x88a8; 0 ends the list */
	uint16_t ethertype;      /* 0 = from src (0x0800 / 0x86dd) */
	const char *src;         /* "198.18.0.1" or "2001:2::1" */
	const char *dst;         /* NULL = same family's .2 */
	uint8_t ipproto;         /* IPPROTO_TCP, UDP, ICMP, ICMPV6, ... */
	uint16_t dport;
	uint16_t sport;
	uint8_t icmp_type;
	uint8_t ipv4_option_words; /* 32-bit words of NOP options */
	uint8_t ext[PKT_MAX_EXT];  /* IPv6 extension headers in order: IPPROTO_HOPOPTS, ... */
	uint16_t frag_offset;      /* in 8-byte units; a fragment header/flags are added if set or more_frags */
	uint8_t more_frags;
	uint8_t fragment;          /* force a (first) fragment header even with offset 0 and !more_frags */
	uint16_t payload;          /* bytes after the L4 header */
	int truncate;              /* >0: cut the frame to this many bytes */
	int ihl;                   /* >0: override the IPv4 IHL field */
	int version;               /* >0: override the IP version field */
};

/* Writes the frame into buf (PKT_MAX bytes) and returns its length. */
size_t pkt_build(const struct pkt_spec *spec, uint8_t *buf);

/* Parses "a.b.c.d" or an IPv6 literal into the 16-byte form rules use (v4-mapped). */
void pkt_addr(const char *text, uint8_t out[16]);

#endif /* TEST_PKT_H */
