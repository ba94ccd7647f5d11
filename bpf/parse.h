/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Header walking: Ethernet, VLAN, IPv4/IPv6 with options and extension
 * headers (AH in both versions), L4. Every header must end within the IP
 * length fields: bytes past them are link padding, never headers.
 */
#ifndef XDPFW_PARSE_H
#define XDPFW_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdpfw.h"

enum fw_parse_result {
	FW_PARSE_IP,
	FW_PARSE_LINK,      /* ARP or neighbour discovery: always passes */
	FW_PARSE_NON_IP,
	FW_PARSE_MALFORMED,
};

/* What the rules look at. */
struct fw_packet {
	/*
	 * The source address, 4 bytes or 16 when v6: a copy, so no packet
	 * pointer reaches the rule lookups and the verifier checks them once
	 * per parse outcome, not once per header layout.
	 */
	__be32 src[4];
	__u16 dport;      /* host order; 0 = the packet carries no port */
	/*
	 * enum fw_proto, or FW_PROTO_OTHER; a SYN without ACK is TCP_SYN here,
	 * and TCP again unless a rule says `tcp_flags: syn` (fw_decide).
	 */
	__u8 proto;
	__u8 fragment;    /* any fragment, first or not; not an IPv6 atomic fragment */
	__u8 v6;
	__u8 fragment_header; /* an IPv6 fragment header, atomic ones too */
};

struct fw_cursor {
	void *pos;
	void *end;    /* the frame's end: the verifier bounds every read by it */
	void *ip_end; /* the IP length fields' end: headers must end by it too */
	void *data;   /* the frame's start */
};

/* The kernel's struct vlan_hdr is not UAPI. */
struct fw_vlan_hdr {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* ICMP and ICMPv6 share this 8-byte header (linux/icmp.h drags in libc). */
struct fw_icmp_hdr {
	__u8 type;
	__u8 code;
	__be16 checksum;
	__be32 rest;
};

#define FW_IPV4_FRAG_OFFSET 0x1fff
#define FW_IPV4_MORE_FRAGS 0x2000
#define FW_IPV6_FRAG_OFFSET 0xfff8
#define FW_IPV6_MORE_FRAGS 0x0001
#define FW_TCP_FLAGS_OFFSET 13
#define FW_TCP_SYN 0x02
#define FW_TCP_ACK 0x10
#define FW_ICMPV6_ND_FIRST 133 /* router solicitation */
#define FW_ICMPV6_ND_LAST 137  /* redirect */

static __always_inline int fw_is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD);
}

/* linux/if_ether.h's ethhdr is packed, which makes clang read h_proto byte by byte. */
struct fw_eth_hdr {
	__u8 dst[6];
	__u8 src[6];
	__be16 proto;
};

/* Finds the ethertype behind up to two VLAN tags; -1 when cut short or nested deeper. */
static __always_inline int fw_parse_l2(struct fw_cursor *c, __be16 *ethertype)
{
	struct fw_eth_hdr *eth = c->pos;
	__be16 proto;

	if ((void *)(eth + 1) > c->end)
		return -1;
	proto = eth->proto;
	c->pos = eth + 1;
	if (!fw_is_vlan(proto)) {
		*ethertype = proto;
		return 0;
	}

#pragma unroll
	for (int i = 0; i < FW_MAX_VLAN_TAGS; i++) {
		struct fw_vlan_hdr *vlan = c->pos;

		if (!fw_is_vlan(proto))
			break;
		if ((void *)(vlan + 1) > c->end)
			return -1;
		proto = vlan->encapsulated_proto;
		c->pos = vlan + 1;
	}
	*ethertype = proto;
	return fw_is_vlan(proto) ? -1 : 0;
}

#define FW_IPV4_PLAIN 0x45 /* version 4, no options */

static __always_inline int fw_parse_ipv4(struct fw_cursor *c, struct fw_packet *pkt,
					 __u8 *ipproto, int *later_fragment, struct fw_event *ev)
{
	struct iphdr *ip = c->pos;
	__u8 version_ihl;

	if ((void *)(ip + 1) > c->end)
		return -1;
	/* Longer than the frame: a truncated packet, which the stack drops too. */
	c->ip_end = (void *)ip + bpf_ntohs(ip->tot_len);
	if (c->ip_end > c->end)
		return -1;
	version_ihl = *(__u8 *)ip;
	if (version_ihl == FW_IPV4_PLAIN) {
		c->pos = ip + 1;
	} else {
		if (ip->version != 4 || ip->ihl < 5 || c->pos + ip->ihl * 4 > c->end)
			return -1;
		c->pos += ip->ihl * 4;
	}
	pkt->src[0] = ip->saddr;
	if (ev) {
		ev->src[0] = ip->saddr;
		ev->dst[0] = ip->daddr;
	}
	if (ip->frag_off & bpf_htons(FW_IPV4_FRAG_OFFSET | FW_IPV4_MORE_FRAGS)) {
		pkt->fragment = 1;
		*later_fragment = (ip->frag_off & bpf_htons(FW_IPV4_FRAG_OFFSET)) != 0;
	}
	*ipproto = ip->protocol;
	return 0;
}

/* The headers walked between IP and L4: IPv6's chain, and AH, the one IPv4 has too. */
static __always_inline int fw_is_ext(__u8 nexthdr, int ipv6)
{
	if (nexthdr == IPPROTO_AH)
		return 1;
	return ipv6 && (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
			nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT);
}

static __always_inline int fw_parse_ipv6(struct fw_cursor *c, struct fw_packet *pkt,
					 __u8 *ipproto, struct fw_event *ev)
{
	struct ipv6hdr *ip6 = c->pos;
	const __be32 *src;

	if ((void *)(ip6 + 1) > c->end || ip6->version != 6)
		return -1;
	/*
	 * A jumbogram's payload length 0 leaves no room for the hop-by-hop
	 * header holding its real length: malformed, like any header past it.
	 */
	c->ip_end = (void *)(ip6 + 1) + bpf_ntohs(ip6->payload_len);
	if (c->ip_end > c->end)
		return -1;
	src = ip6->saddr.in6_u.u6_addr32;
	/* ::ffff:a.b.c.d is a.b.c.d: the same rules apply. */
	if (src[2] == bpf_htonl(0xffff) && !(src[0] | src[1])) {
		pkt->src[0] = src[3];
	} else {
		pkt->src[0] = src[0];
		pkt->src[1] = src[1];
		pkt->src[2] = src[2];
		pkt->src[3] = src[3];
		pkt->v6 = 1;
	}
	if (ev) {
		/* As the header has it: a v4-mapped source stays 16 bytes. */
		__builtin_memcpy(ev->src, src, sizeof(ev->src));
		__builtin_memcpy(ev->dst, ip6->daddr.in6_u.u6_addr32, sizeof(ev->dst));
		ev->v6 = 1;
	}
	*ipproto = ip6->nexthdr;
	c->pos = ip6 + 1;
	return 0;
}

/* AH shares the first two bytes of an option header, but counts its length in 4-byte words. */
struct fw_ext_hdr {
	__u8 nexthdr;
	__u8 len;
};

struct fw_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

/*
 * Above any offset the walk reaches (two VLAN tags, a 60-byte IP header,
 * FW_MAX_IPV6_EXT_HDRS headers of at most 2048 bytes), and far enough below
 * the verifier's 64 KiB packet offset limit to add a header size to.
 */
#define FW_MAX_WALK_OFF 0x7fff

/*
 * Forgets how the cursor got where it is: without this the verifier checks
 * the rest of the walk once per distinct offset range the headers before
 * produced, which grows with every header. Never fails on a real frame.
 */
static __always_inline int fw_cursor_rebase(struct fw_cursor *c)
{
	/* Read from memory: holding it in a register spills others on the hot path. */
	void *data = *(void *volatile *)&c->data;
	__u64 off = c->pos - data;

	asm volatile("" : "+r"(off)); /* or clang folds data + (pos - data) back to pos */
	if (off > FW_MAX_WALK_OFF)
		return -1;
	c->pos = data + off;
	return 0;
}

/*
 * Walks the extension headers from *ipproto on, at most FW_MAX_IPV6_EXT_HDRS
 * of them, AH included; a longer chain is malformed (-1).
 */
static __always_inline int fw_parse_ext(struct fw_cursor *c, struct fw_packet *pkt,
					__u8 *ipproto, int *later_fragment, int ipv6)
{
	__u8 nexthdr = *ipproto;

#pragma unroll
	for (int i = 0; i < FW_MAX_IPV6_EXT_HDRS; i++) {
		if (!fw_is_ext(nexthdr, ipv6))
			break;
		if (nexthdr == IPPROTO_FRAGMENT) {
			struct fw_frag_hdr *fh = c->pos;
			__u16 off;

			if ((void *)(fh + 1) > c->end)
				return -1;
			off = bpf_ntohs(fh->frag_off);
			nexthdr = fh->nexthdr;
			c->pos = fh + 1;
			pkt->fragment_header = 1;
			/* Offset 0 and M=0: an atomic fragment, a whole packet (RFC 6946). */
			if (off & (FW_IPV6_FRAG_OFFSET | FW_IPV6_MORE_FRAGS))
				pkt->fragment = 1;
			if (off & FW_IPV6_FRAG_OFFSET) {
				/* The payload of a later fragment is not a header. */
				*later_fragment = 1;
				break;
			}
		} else {
			struct fw_ext_hdr *ext = c->pos;

			if ((void *)(ext + 1) > c->end)
				return -1;
			if (nexthdr == IPPROTO_AH)
				c->pos += (ext->len + 2) * 4;
			else
				c->pos += (ext->len + 1) * 8;
			nexthdr = ext->nexthdr;
			if (c->pos > c->end)
				return -1; /* cut short: its length runs past the frame */
		}
		if (fw_cursor_rebase(c))
			return -1;
	}
	if (!*later_fragment && fw_is_ext(nexthdr, ipv6))
		return -1; /* chain too long to walk */

	*ipproto = nexthdr;
	return 0;
}

/*
 * The L4 header of a first fragment or whole packet: its port, or an ICMP
 * type. Leaves c->pos past the header read.
 */
static __always_inline enum fw_parse_result fw_parse_l4(struct fw_cursor *c, struct fw_packet *pkt,
							__u8 ipproto, int ipv6, struct fw_event *ev)
{
	struct udphdr *ports = c->pos; /* TCP and UDP keep the destination port at byte 2 */
	struct fw_icmp_hdr *icmp = c->pos;
	__u8 flags;

	switch (ipproto) {
	case IPPROTO_TCP:
		if (c->pos + sizeof(struct tcphdr) > c->end)
			return FW_PARSE_MALFORMED;
		flags = ((__u8 *)c->pos)[FW_TCP_FLAGS_OFFSET] & (FW_TCP_SYN | FW_TCP_ACK);
		pkt->proto = flags == FW_TCP_SYN ? FW_PROTO_TCP_SYN : FW_PROTO_TCP;
		pkt->dport = bpf_ntohs(ports->dest);
		if (ev)
			ev->sport = bpf_ntohs(ports->source);
		c->pos += sizeof(struct tcphdr);
		return FW_PARSE_IP;
	case IPPROTO_UDP:
		if ((void *)(ports + 1) > c->end)
			return FW_PARSE_MALFORMED;
		pkt->proto = FW_PROTO_UDP;
		pkt->dport = bpf_ntohs(ports->dest);
		if (ev)
			ev->sport = bpf_ntohs(ports->source);
		c->pos = ports + 1;
		return FW_PARSE_IP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* ICMP counts only inside IPv4, ICMPv6 only inside IPv6. */
		if ((ipproto == IPPROTO_ICMPV6) != ipv6)
			break;
		if ((void *)(icmp + 1) > c->end)
			return FW_PARSE_MALFORMED;
		pkt->proto = ipv6 ? FW_PROTO_ICMPV6 : FW_PROTO_ICMP;
		c->pos = icmp + 1;
		/* With any fragment header, atomic too, ND is ignored by its receiver (RFC 6980). */
		if (ipv6 && !pkt->fragment_header && icmp->type >= FW_ICMPV6_ND_FIRST &&
		    icmp->type <= FW_ICMPV6_ND_LAST)
			return FW_PARSE_LINK;
		return FW_PARSE_IP;
	}
	pkt->proto = FW_PROTO_OTHER;
	return FW_PARSE_IP;
}

/* A later fragment carries no L4 header: only its protocol counts. */
static __always_inline __u8 fw_fragment_proto(__u8 ipproto, int ipv6)
{
	if (ipproto == IPPROTO_TCP)
		return FW_PROTO_TCP;
	if (ipproto == IPPROTO_UDP)
		return FW_PROTO_UDP;
	if (ipproto == (ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
		return ipv6 ? FW_PROTO_ICMPV6 : FW_PROTO_ICMP;
	return FW_PROTO_OTHER;
}

/*
 * Fills pkt from the frame at [data, data_end), and ev's addresses, ports
 * and protocol unless ev is NULL: a constant NULL on the hot path, which
 * the inlining folds away, so only the event path reads those fields.
 */
static __always_inline enum fw_parse_result fw_parse_event(void *data, void *data_end,
							   struct fw_packet *pkt,
							   struct fw_event *ev)
{
	struct fw_cursor c = { .pos = data, .end = data_end, .data = data };
	int later_fragment = 0, ipv6;
	enum fw_parse_result result;
	__u8 ipproto = 0;
	__be16 ethertype;

	if (fw_parse_l2(&c, &ethertype))
		return FW_PARSE_MALFORMED;
	/* One walk per version, so each is compiled for its own headers only. */
	if (ethertype == bpf_htons(ETH_P_IP)) {
		if (fw_parse_ipv4(&c, pkt, &ipproto, &later_fragment, ev) ||
		    (ipproto == IPPROTO_AH && !later_fragment &&
		     fw_parse_ext(&c, pkt, &ipproto, &later_fragment, 0)))
			return FW_PARSE_MALFORMED;
		ipv6 = 0;
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		/* TCP and UDP first: the common packet skips the extension header test. */
		if (fw_parse_ipv6(&c, pkt, &ipproto, ev) ||
		    (ipproto != IPPROTO_TCP && ipproto != IPPROTO_UDP && fw_is_ext(ipproto, 1) &&
		     fw_parse_ext(&c, pkt, &ipproto, &later_fragment, 1)))
			return FW_PARSE_MALFORMED;
		ipv6 = 1;
	} else {
		return ethertype == bpf_htons(ETH_P_ARP) ? FW_PARSE_LINK : FW_PARSE_NON_IP;
	}
	if (later_fragment) {
		pkt->proto = fw_fragment_proto(ipproto, ipv6);
		result = FW_PARSE_IP;
	} else {
		result = fw_parse_l4(&c, pkt, ipproto, ipv6, ev);
	}
	if (ev) {
		ev->dport = pkt->dport;
		ev->ipproto = ipproto;
	}
	/*
	 * Every header read ends by c.pos, so this one test bounds them all by
	 * the IP length fields, an IPv4 total length below IHL*4 included.
	 */
	return c.pos > c.ip_end ? FW_PARSE_MALFORMED : result;
}

static __always_inline enum fw_parse_result fw_parse(void *data, void *data_end,
						     struct fw_packet *pkt)
{
	return fw_parse_event(data, data_end, pkt, 0);
}

#endif /* XDPFW_PARSE_H */
