/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The floor programs' parser: Ethernet, IPv4 (with options) or IPv6, and the
 * UDP/TCP destination port, bounded by the IP length field (bytes past it are
 * link padding, never a port). The least a firewall that matches a source and
 * a port must read; written for the benchmark only.
 */
#ifndef BENCH_PARSE_H
#define BENCH_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct bench_pkt {
	__u8 src[16]; /* IPv6, or IPv4 v4-mapped, like xdpfw's keys */
	__u16 dport;
	__u8 ipproto;
	__u8 v6;
};

/* 0 on success, -1 on a frame that is not IP or is cut short. */
static __always_inline int bench_parse(struct xdp_md *ctx, struct bench_pkt *pkt)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *l4, *ip_end;

	if ((void *)(eth + 1) > end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->ihl < 5)
			return -1;
		__builtin_memset(pkt->src, 0, 10);
		pkt->src[10] = 0xff;
		pkt->src[11] = 0xff;
		__builtin_memcpy(&pkt->src[12], &ip->saddr, 4);
		pkt->ipproto = ip->protocol;
		l4 = (void *)ip + ip->ihl * 4;
		ip_end = (void *)ip + bpf_ntohs(ip->tot_len);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return -1;
		__builtin_memcpy(pkt->src, &ip6->saddr, 16);
		pkt->ipproto = ip6->nexthdr;
		pkt->v6 = 1;
		l4 = ip6 + 1;
		ip_end = l4 + bpf_ntohs(ip6->payload_len);
	} else {
		return -1;
	}
	if (pkt->ipproto == IPPROTO_UDP || pkt->ipproto == IPPROTO_TCP) {
		struct udphdr *udp = l4; /* both keep the ports in the first 4 bytes */

		if ((void *)(udp + 1) > end || (void *)(udp + 1) > ip_end)
			return -1;
		pkt->dport = bpf_ntohs(udp->dest);
	}
	return 0;
}

#endif /* BENCH_PARSE_H */
