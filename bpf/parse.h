/* SPDX-License-Identifier: GPL-2.0 */
/* Header walking: Ethernet, VLAN, IPv4/IPv6 with options and extension headers, L4. */
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
	const void *src;  /* the source address in the frame: 4 bytes, or 16 when v6 */
	__u16 dport;      /* host order; 0 = the packet carries no port */
	__u8 proto;       /* enum fw_proto, or FW_PROTO_OTHER */
	__u8 fragment;    /* any fragment, first or not */
	__u8 v6;
};

struct fw_cursor {
	void *pos;
	void *end;
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
					 __u8 *ipproto, int *later_fragment)
{
	struct iphdr *ip = c->pos;
	__u8 version_ihl;

	if ((void *)(ip + 1) > c->end)
		return -1;
	version_ihl = *(__u8 *)ip;
	if (version_ihl == FW_IPV4_PLAIN) {
		c->pos = ip + 1;
	} else {
		if (ip->version != 4 || ip->ihl < 5 || c->pos + ip->ihl * 4 > c->end)
			return -1;
		c->pos += ip->ihl * 4;
	}
	pkt->src = &ip->saddr;
	if (ip->frag_off & bpf_htons(FW_IPV4_FRAG_OFFSET | FW_IPV4_MORE_FRAGS)) {
		pkt->fragment = 1;
		*later_fragment = (ip->frag_off & bpf_htons(FW_IPV4_FRAG_OFFSET)) != 0;
	}
	*ipproto = ip->protocol;
	return 0;
}

static __always_inline int fw_is_ipv6_ext(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT;
}

static __always_inline int fw_parse_ipv6(struct fw_cursor *c, struct fw_packet *pkt,
					 __u8 *ipproto, int *later_fragment)
{
	struct ipv6hdr *ip6 = c->pos;
	__u8 nexthdr;

	if ((void *)(ip6 + 1) > c->end || ip6->version != 6)
		return -1;
	/* ::ffff:a.b.c.d is a.b.c.d: the same rules apply. */
	if (ip6->saddr.in6_u.u6_addr32[2] == bpf_htonl(0xffff) &&
	    !(ip6->saddr.in6_u.u6_addr32[0] | ip6->saddr.in6_u.u6_addr32[1])) {
		pkt->src = &ip6->saddr.in6_u.u6_addr32[3];
	} else {
		pkt->src = &ip6->saddr;
		pkt->v6 = 1;
	}
	nexthdr = ip6->nexthdr;
	c->pos = ip6 + 1;
	if (!fw_is_ipv6_ext(nexthdr)) { /* the common case: no chain to walk */
		*ipproto = nexthdr;
		return 0;
	}

#pragma unroll
	for (int i = 0; i < FW_MAX_IPV6_EXT_HDRS; i++) {
		if (!fw_is_ipv6_ext(nexthdr))
			break;
		if (nexthdr == IPPROTO_FRAGMENT) {
			struct frag_hdr {
				__u8 nexthdr;
				__u8 reserved;
				__be16 frag_off;
				__be32 identification;
			} *fh = c->pos;
			__u16 off;

			if ((void *)(fh + 1) > c->end)
				return -1;
			off = bpf_ntohs(fh->frag_off);
			nexthdr = fh->nexthdr;
			c->pos = fh + 1;
			pkt->fragment = 1;
			if (off & FW_IPV6_FRAG_OFFSET) {
				/* The payload of a later fragment is not a header. */
				*later_fragment = 1;
				break;
			}
		} else {
			struct ipv6_opt_hdr *opt = c->pos;

			if ((void *)(opt + 1) > c->end)
				return -1;
			nexthdr = opt->nexthdr;
			c->pos += (opt->hdrlen + 1) * 8;
			if (c->pos > c->end)
				return -1; /* cut short: its length runs past the frame */
		}
	}
	if (!*later_fragment && fw_is_ipv6_ext(nexthdr))
		return -1; /* chain too long to walk */

	*ipproto = nexthdr;
	return 0;
}

/* The L4 header of a first fragment or whole packet: its port, or an ICMP type. */
static __always_inline enum fw_parse_result fw_parse_l4(struct fw_cursor *c, struct fw_packet *pkt,
							__u8 ipproto, int ipv6)
{
	struct udphdr *ports = c->pos; /* TCP and UDP keep the destination port at byte 2 */
	struct fw_icmp_hdr *icmp = c->pos;

	switch (ipproto) {
	case IPPROTO_TCP:
		if (c->pos + sizeof(struct tcphdr) > c->end)
			return FW_PARSE_MALFORMED;
		pkt->proto = FW_PROTO_TCP;
		pkt->dport = bpf_ntohs(ports->dest);
		return FW_PARSE_IP;
	case IPPROTO_UDP:
		if ((void *)(ports + 1) > c->end)
			return FW_PARSE_MALFORMED;
		pkt->proto = FW_PROTO_UDP;
		pkt->dport = bpf_ntohs(ports->dest);
		return FW_PARSE_IP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* ICMP counts only inside IPv4, ICMPv6 only inside IPv6. */
		if ((ipproto == IPPROTO_ICMPV6) != ipv6)
			break;
		if ((void *)(icmp + 1) > c->end)
			return FW_PARSE_MALFORMED;
		pkt->proto = ipv6 ? FW_PROTO_ICMPV6 : FW_PROTO_ICMP;
		if (ipv6 && !pkt->fragment && icmp->type >= FW_ICMPV6_ND_FIRST &&
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

/* Fills pkt from the frame at [data, data_end). */
static __always_inline enum fw_parse_result fw_parse(void *data, void *data_end,
						     struct fw_packet *pkt)
{
	struct fw_cursor c = { .pos = data, .end = data_end };
	int later_fragment = 0, ipv6;
	__u8 ipproto = 0;
	__be16 ethertype;

	if (fw_parse_l2(&c, &ethertype))
		return FW_PARSE_MALFORMED;
	if (ethertype == bpf_htons(ETH_P_IP)) {
		if (fw_parse_ipv4(&c, pkt, &ipproto, &later_fragment))
			return FW_PARSE_MALFORMED;
		ipv6 = 0;
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		if (fw_parse_ipv6(&c, pkt, &ipproto, &later_fragment))
			return FW_PARSE_MALFORMED;
		ipv6 = 1;
	} else {
		return ethertype == bpf_htons(ETH_P_ARP) ? FW_PARSE_LINK : FW_PARSE_NON_IP;
	}
	if (later_fragment) {
		pkt->proto = fw_fragment_proto(ipproto, ipv6);
		return FW_PARSE_IP;
	}
	return fw_parse_l4(&c, pkt, ipproto, ipv6);
}

#endif /* XDPFW_PARSE_H */
