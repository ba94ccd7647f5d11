/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds test frames: Ethernet, VLAN tags, IPv4 (options, AH, fragments),
 * IPv6 (extension headers, AH), L4, padded to the 60-byte Ethernet minimum.
 */
#ifndef TEST_PKT_H
#define TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX 2048
#define PKT_MAX_EXT 12
#define PKT_ZERO (-1) /* for the ihl, version and ip_len overrides, where 0 means "no override" */
#define PKT_MIN_FRAME 60 /* every sender pads a shorter frame to this, less the FCS */
#define PKT_AH_WORDS 4   /* AH's Payload Len with a 96-bit ICV: 24 bytes */
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
	uint8_t tcp_flags;         /* TCP's flags byte (0x02 SYN, 0x10 ACK); 0 = none set */
	uint8_t icmp_type;
	uint8_t ipv4_option_words; /* 32-bit words of NOP options */
	/*
	 * Extension headers in order: IPv6's, and IPPROTO_AH, the only one an
	 * IPv4 packet may list. The list ends at the first 0 unless ext_count
	 * says how long it is; IPPROTO_HOPOPTS is 0, so a chain with hop-by-hop
	 * needs ext_count: write it with PKT_EXT().
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
	/*
	 * Hdr Ext Len of each option-type ext[] (8n + 8 bytes); for AH its
	 * Payload Len (4n + 8 bytes), where 0 means PKT_AH_WORDS.
	 */
	uint8_t ext_words[PKT_MAX_EXT];
	uint8_t ext_count;         /* entries of ext[] to build; 0 = up to the first 0 */
	/*
	 * >0: override the IPv4 total length or IPv6 payload length; PKT_ZERO:
	 * write 0. The frame keeps every header built, so a short length leaves
	 * headers in what is then link padding.
	 */
	int ip_len;
	uint8_t pad;               /* what fills the padding up to PKT_MIN_FRAME; senders use 0 */
};

/* Designators for an extension-header chain: PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING). */
#define PKT_EXT(...) \
	.ext = { __VA_ARGS__ }, .ext_count = sizeof((const uint8_t[]){ __VA_ARGS__ })

/* Writes the frame into buf (PKT_MAX bytes) and returns its length. */
size_t pkt_build(const struct pkt_spec *spec, uint8_t *buf);

/* How many entries of spec->ext pkt_build() writes, and how long entry i is. */
size_t pkt_ext_count(const struct pkt_spec *spec);
size_t pkt_ext_len(const struct pkt_spec *spec, size_t i);

/* Parses "a.b.c.d" or an IPv6 literal into the 16-byte form rules use (v4-mapped). */
void pkt_addr(const char *text, uint8_t out[16]);

#endif /* TEST_PKT_H */
