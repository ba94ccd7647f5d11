// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "pkt.h"
#include "ruleset.h"

void pkt_addr(const char *text, uint8_t out[16])
{
	struct in_addr v4;

	if (inet_pton(AF_INET, text, &v4) == 1)
		fw_addr_from_ipv4(out, &v4);
	else if (inet_pton(AF_INET6, text, out) != 1)
		abort();
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static size_t pkt_l4(const struct pkt_spec *s, uint8_t *p)
{
	size_t len;

	switch (s->ipproto) {
	case IPPROTO_TCP:
		len = 20;
		memset(p, 0, len);
		put16(p, s->sport ? s->sport : 40000);
		put16(p + 2, s->dport);
		p[12] = 5 << 4;
		break;
	case IPPROTO_UDP:
		len = 8;
		memset(p, 0, len);
		put16(p, s->sport ? s->sport : 40000);
		put16(p + 2, s->dport);
		put16(p + 4, 8 + s->payload);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		len = 8;
		memset(p, 0, len);
		p[0] = s->icmp_type;
		break;
	default:
		len = 0;
	}
	memset(p + len, 0xab, s->payload);
	return len + s->payload;
}

static size_t pkt_ipv4(const struct pkt_spec *s, uint8_t *p)
{
	size_t hlen = 20 + 4 * s->ipv4_option_words;
	struct in_addr src, dst;
	size_t l4;

	inet_pton(AF_INET, s->src, &src);
	inet_pton(AF_INET, s->dst ? s->dst : "198.18.0.2", &dst);
	memset(p, 0, hlen);
	p[0] = (s->version ? s->version : 4) << 4 | (s->ihl ? s->ihl : (int)(hlen / 4));
	put16(p + 6, (s->more_frags ? 0x2000 : 0) | (s->frag_offset & 0x1fff));
	p[8] = 64;
	p[9] = s->ipproto;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	memset(p + 20, 1, hlen - 20); /* NOP options */
	l4 = s->frag_offset ? (memset(p + hlen, 0xcd, s->payload), s->payload) : pkt_l4(s, p + hlen);
	put16(p + 2, hlen + l4);
	return hlen + l4;
}

static size_t pkt_ipv6(const struct pkt_spec *s, uint8_t *p)
{
	uint8_t *nexthdr = p + 6, *q = p + 40;
	int frag = s->frag_offset || s->more_frags || s->fragment;
	int frag_done = 0;
	size_t l4;

	memset(p, 0, 40);
	p[0] = (s->version ? s->version : 6) << 4;
	p[7] = 64;
	inet_pton(AF_INET6, s->src, p + 8);
	inet_pton(AF_INET6, s->dst ? s->dst : "2001:2::2", p + 24);
	for (int i = 0; i < PKT_MAX_EXT && s->ext[i]; i++) {
		*nexthdr = s->ext[i];
		nexthdr = q;
		if (s->ext[i] == IPPROTO_FRAGMENT) {
			memset(q, 0, 8);
			put16(q + 2, (s->frag_offset << 3) | (s->more_frags ? 1 : 0));
			q += 8;
			frag_done = 1;
		} else {
			memset(q, 0, 8);
			q[1] = 0;   /* 8 bytes */
			q[2] = 1;   /* PadN */
			q[3] = 4;
			q += 8;
		}
	}
	if (frag && !frag_done) {
		*nexthdr = IPPROTO_FRAGMENT;
		nexthdr = q;
		memset(q, 0, 8);
		put16(q + 2, (s->frag_offset << 3) | (s->more_frags ? 1 : 0));
		q += 8;
	}
	*nexthdr = s->ipproto;
	l4 = s->frag_offset ? (memset(q, 0xcd, s->payload), s->payload) : pkt_l4(s, q);
	put16(p + 4, (q - p - 40) + l4);
	return (q - p) + l4;
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf)
{
	static const uint8_t dst_mac[6] = { 0x02, 0, 0, 0, 0, 2 };
	static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 1 };
	int v6 = s->src && strchr(s->src, ':');
	uint16_t ethertype = s->ethertype ? s->ethertype : v6 ? 0x86dd : 0x0800;
	uint8_t *p = buf;
	size_t len;

	memset(buf, 0, PKT_MAX);
	memcpy(p, dst_mac, 6);
	memcpy(p + 6, src_mac, 6);
	p += 12;
	for (int i = 0; i < 2 && s->vlan_tpid[i]; i++) {
		p = put16(p, s->vlan_tpid[i]);
		p = put16(p, 100 + i);
	}
	p = put16(p, ethertype);
	if (ethertype == 0x0800 && s->src)
		p += pkt_ipv4(s, p);
	else if (ethertype == 0x86dd && s->src)
		p += pkt_ipv6(s, p);
	else
		p += 28 + s->payload; /* an ARP-sized body of zeros */
	len = p - buf;
	if (len < 60)
		len = 60; /* minimum Ethernet frame, as on the wire */
	if (s->truncate > 0 && (size_t)s->truncate < len)
		len = s->truncate;
	return len;
}
