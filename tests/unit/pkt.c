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

/* A header field: the spec's override if it has one, else the natural value. */
static int pkt_field(int override, int natural)
{
	if (override == PKT_ZERO)
		return 0;
	return override > 0 ? override : natural;
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
		p[13] = s->tcp_flags;
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
		put16(p + 2, s->dport); /* bait: where TCP and UDP keep the port */
		break;
	default:
		len = 0;
	}
	memset(p + len, 0xab, s->payload);
	return len + s->payload;
}

/* A later fragment's payload: no L4 header, but bytes that look like ports if dport is set. */
static size_t pkt_later_fragment(const struct pkt_spec *s, uint8_t *p)
{
	size_t len = s->payload;

	if (s->dport && len < 4)
		len = 4;
	memset(p, 0xcd, len);
	if (s->dport) {
		put16(p, s->sport ? s->sport : 40000);
		put16(p + 2, s->dport);
	}
	return len;
}

size_t pkt_ext_count(const struct pkt_spec *s)
{
	size_t n = 0;

	while (n < PKT_MAX_EXT && (s->ext_count ? n < s->ext_count : s->ext[n]))
		n++;
	return n;
}

size_t pkt_ext_len(const struct pkt_spec *s, size_t i)
{
	if (s->ext[i] == IPPROTO_FRAGMENT)
		return 8;
	if (s->ext[i] == IPPROTO_AH)
		return 4 * ((size_t)(s->ext_words[i] ? s->ext_words[i] : PKT_AH_WORDS) + 2);
	return 8 * (1 + (size_t)s->ext_words[i]);
}

/* An AH header (RFC 4302) of pkt_ext_len() bytes; its next header is written later. */
static void pkt_ah(const struct pkt_spec *s, size_t i, uint8_t *q)
{
	size_t len = pkt_ext_len(s, i);

	memset(q, 0, len);
	q[1] = (uint8_t)(len / 4 - 2);
	put16(q + 6, 0x100); /* SPI */
	put16(q + 10, 1);    /* sequence number */
}

static size_t pkt_ipv4(const struct pkt_spec *s, uint8_t *p)
{
	size_t hlen = 20 + 4 * s->ipv4_option_words;
	uint8_t *nexthdr = p + 9, *q = p + hlen;
	struct in_addr src, dst;
	size_t l4;

	inet_pton(AF_INET, s->src, &src);
	inet_pton(AF_INET, s->dst ? s->dst : "198.18.0.2", &dst);
	memset(p, 0, hlen);
	p[0] = pkt_field(s->version, 4) << 4 | pkt_field(s->ihl, (int)(hlen / 4));
	put16(p + 6, (s->dont_frag ? 0x4000 : 0) | (s->more_frags ? 0x2000 : 0) |
		     (s->frag_offset & 0x1fff));
	p[8] = 64;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	memset(p + 20, 1, hlen - 20); /* NOP options */
	for (size_t i = 0; i < pkt_ext_count(s); i++) {
		if (s->ext[i] != IPPROTO_AH)
			abort(); /* IPv4 has no other extension header */
		*nexthdr = IPPROTO_AH;
		nexthdr = q;
		pkt_ah(s, i, q);
		q += pkt_ext_len(s, i);
	}
	*nexthdr = s->ipproto;
	l4 = s->frag_offset ? pkt_later_fragment(s, q) : pkt_l4(s, q);
	put16(p + 2, pkt_field(s->ip_len, (int)((q - p) + l4)));
	return (q - p) + l4;
}

static size_t pkt_ipv6(const struct pkt_spec *s, uint8_t *p)
{
	uint8_t *nexthdr = p + 6, *q = p + 40;
	int frag = s->frag_offset || s->more_frags || s->fragment;
	int frag_done = 0;
	size_t l4;

	memset(p, 0, 40);
	p[0] = pkt_field(s->version, 6) << 4;
	p[7] = 64;
	inet_pton(AF_INET6, s->src, p + 8);
	inet_pton(AF_INET6, s->dst ? s->dst : "2001:2::2", p + 24);
	for (size_t i = 0; i < pkt_ext_count(s); i++) {
		size_t size = pkt_ext_len(s, i);

		if ((size_t)(q - p) + size > PKT_MAX / 2)
			abort(); /* the frame would not fit in PKT_MAX */
		*nexthdr = s->ext[i];
		nexthdr = q;
		if (s->ext[i] == IPPROTO_FRAGMENT) {
			memset(q, 0, 8);
			put16(q + 2, (s->frag_offset << 3) | (s->more_frags ? 1 : 0));
			frag_done = 1;
		} else if (s->ext[i] == IPPROTO_AH) {
			pkt_ah(s, i, q);
		} else {
			memset(q, 0, size); /* zeros past the PadN are Pad1 options */
			q[1] = s->ext_words[i];
			q[2] = 1;   /* PadN */
			q[3] = 4;
		}
		q += size;
	}
	if (frag && !frag_done) {
		*nexthdr = IPPROTO_FRAGMENT;
		nexthdr = q;
		memset(q, 0, 8);
		put16(q + 2, (s->frag_offset << 3) | (s->more_frags ? 1 : 0));
		q += 8;
	}
	*nexthdr = s->ipproto;
	l4 = s->frag_offset ? pkt_later_fragment(s, q) : pkt_l4(s, q);
	put16(p + 4, pkt_field(s->ip_len, (int)((q - p - 40) + l4)));
	return (q - p) + l4;
}

static const uint8_t dst_mac[6] = { 0x02, 0, 0, 0, 0, 2 };
static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 1 };

/* An ARP request from src asking for dst. */
static size_t pkt_arp(const struct pkt_spec *s, uint8_t *p)
{
	memset(p, 0, 28);
	put16(p, 1);       /* Ethernet */
	put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put16(p + 6, 1);   /* request */
	memcpy(p + 8, src_mac, 6);
	inet_pton(AF_INET, s->src, p + 14);
	inet_pton(AF_INET, s->dst ? s->dst : "198.18.0.2", p + 24);
	return 28 + s->payload;
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf)
{
	int v6 = s->src && strchr(s->src, ':');
	uint16_t ethertype = s->ethertype ? s->ethertype : v6 ? 0x86dd : 0x0800;
	uint8_t *p = buf;
	size_t len;

	memset(buf, 0, PKT_MAX);
	memcpy(p, dst_mac, 6);
	memcpy(p + 6, src_mac, 6);
	p += 12;
	for (int i = 0; i < PKT_MAX_VLAN && s->vlan_tpid[i]; i++) {
		p = put16(p, s->vlan_tpid[i]);
		p = put16(p, 100 + i);
	}
	p = put16(p, ethertype);
	if (ethertype == 0x0800 && s->src)
		p += pkt_ipv4(s, p);
	else if (ethertype == 0x86dd && s->src)
		p += pkt_ipv6(s, p);
	else if (ethertype == 0x0806 && s->src)
		p += pkt_arp(s, p);
	else
		p += 28 + s->payload; /* an ARP-sized body of zeros */
	len = p - buf;
	if (len < PKT_MIN_FRAME) { /* padded as on the wire */
		memset(buf + len, s->pad, PKT_MIN_FRAME - len);
		len = PKT_MIN_FRAME;
	}
	if (s->truncate > 0 && (size_t)s->truncate < len)
		len = s->truncate;
	return len;
}
