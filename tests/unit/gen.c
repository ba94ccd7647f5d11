// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "pkt.h"

uint64_t gen_next(struct gen_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t gen_below(struct gen_rng *rng, uint32_t n)
{
	return n ? (uint32_t)(gen_next(rng) % n) : 0;
}

bool gen_chance(struct gen_rng *rng, unsigned percent)
{
	return gen_below(rng, 100) < percent;
}

static uint8_t gen_pick(struct gen_rng *rng, const uint8_t *choices, size_t n)
{
	return choices[gen_below(rng, n)];
}

void gen_address(struct gen_rng *rng, uint8_t out[16])
{
	if (gen_chance(rng, 50)) {
		uint32_t v4 = (uint32_t)gen_next(rng);

		fw_addr_from_ipv4(out, &v4);
		return;
	}
	memset(out, 0, 6);
	out[0] = 0x20;
	out[1] = 0x01;
	out[3] = 0x02;
	for (int i = 6; i < 16; i++)
		out[i] = (uint8_t)gen_next(rng);
}

/* ---- frames ---- */

#define GEN_ADDR_TEXT 64

/*
 * Mostly a source some rule names or one at the edge of a prefix rules
 * name, sometimes a near miss or a stranger.
 */
static void gen_frame_source(struct gen_rng *rng, const struct gen_pool *pool, uint8_t addr[16])
{
	unsigned roll = gen_below(rng, 100);

	if (roll < 45)
		memcpy(addr, pool->sources[gen_below(rng, (uint32_t)pool->n_sources)], 16);
	else if (roll < 85 && pool->n_prefixes)
		gen_prefix_address(rng, &pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)],
				   addr);
	else
		gen_address(rng, addr);
	if (roll >= 38 && roll < 45)
		addr[15] ^= 1 << gen_below(rng, 8);
}

static void gen_source_text(struct gen_rng *rng, const uint8_t addr[16], char text[GEN_ADDR_TEXT])
{
	/* A v4-mapped source sent over IPv6 must match like the IPv4 one. */
	if (fw_addr_is_v4_mapped(addr) && !gen_chance(rng, 10))
		inet_ntop(AF_INET, addr + 12, text, GEN_ADDR_TEXT);
	else
		inet_ntop(AF_INET6, addr, text, GEN_ADDR_TEXT);
}

static uint8_t gen_ipproto(struct gen_rng *rng)
{
	static const uint8_t others[] = { 0, 43, 44, 60, 47, 50, 51, 59, 132, 2, 41 };
	unsigned roll = gen_below(rng, 100);

	if (roll < 30)
		return IPPROTO_TCP;
	if (roll < 55)
		return IPPROTO_UDP;
	if (roll < 70)
		return IPPROTO_ICMP;
	if (roll < 85)
		return IPPROTO_ICMPV6;
	return gen_chance(rng, 70) ? gen_pick(rng, others, sizeof(others)) : (uint8_t)gen_next(rng);
}

static uint16_t gen_dport(struct gen_rng *rng, const struct gen_pool *pool)
{
	unsigned roll = gen_below(rng, 100);

	if (roll < 70)
		return pool->ports[gen_below(rng, GEN_PORTS)];
	if (roll < 95)
		return (uint16_t)(1 + gen_below(rng, 65535));
	return 0;
}

static uint8_t gen_icmp_type(struct gen_rng *rng)
{
	return gen_chance(rng, 40) ? (uint8_t)(133 + gen_below(rng, 5)) : (uint8_t)gen_next(rng);
}

/* AH's Payload Len: mostly the usual 24 bytes, sometimes none, short or long ICVs. */
static uint8_t gen_ah_words(struct gen_rng *rng)
{
	return gen_chance(rng, 60) ? 0 : (uint8_t)gen_below(rng, 9);
}

/* An extension-header chain: IPv6's kinds and AH, or for IPv4 AH alone. */
static void gen_ext_chain(struct gen_rng *rng, struct pkt_spec *spec, bool ipv6)
{
	/* pkt_build ends the list at 0, so hop-by-hop comes later, by gen_hop_by_hop(). */
	static const uint8_t ext_types[] = { IPPROTO_ROUTING, IPPROTO_DSTOPTS, IPPROTO_AH };
	/* Around FW_MAX_IPV6_EXT_HDRS often, to find the edge of "too long". */
	size_t n = gen_chance(rng, 25) ? FW_MAX_IPV6_EXT_HDRS - 1 + gen_below(rng, 4)
				       : 1 + gen_below(rng, ipv6 ? 4 : 2);

	for (size_t i = 0; i < n && i < PKT_MAX_EXT; i++) {
		if (!ipv6)
			spec->ext[i] = IPPROTO_AH;
		else if (gen_chance(rng, 15))
			spec->ext[i] = IPPROTO_FRAGMENT;
		else
			spec->ext[i] = gen_pick(rng, ext_types, sizeof(ext_types));
		if (spec->ext[i] == IPPROTO_AH)
			spec->ext_words[i] = gen_ah_words(rng);
	}
}

static void gen_fragment(struct gen_rng *rng, struct pkt_spec *spec, bool ipv6)
{
	unsigned roll = gen_below(rng, 100);

	if (roll < 40) {
		spec->more_frags = 1; /* first fragment */
	} else if (roll < 80) {
		spec->frag_offset = (uint16_t)(1 + gen_below(rng, 0x1fff));
		spec->more_frags = gen_chance(rng, 50);
	} else if (ipv6) {
		spec->fragment = 1; /* atomic: offset 0, no more fragments */
	} else {
		spec->frag_offset = (uint16_t)(1 + gen_below(rng, 3)); /* a small later offset */
	}
}

static uint8_t gen_ipproto_of(struct gen_rng *rng, uint8_t fw_proto, bool has_port)
{
	switch (fw_proto) {
	case FW_PROTO_TCP:
		return IPPROTO_TCP;
	case FW_PROTO_UDP:
		return IPPROTO_UDP;
	case FW_PROTO_ICMP:
		return IPPROTO_ICMP;
	case FW_PROTO_ICMPV6:
		return IPPROTO_ICMPV6;
	default:
		return has_port && gen_chance(rng, 80) ? (gen_chance(rng, 50) ? IPPROTO_TCP : IPPROTO_UDP)
						       : gen_ipproto(rng);
	}
}

/* SYN (what `tcp_flags: syn` matches), SYN+ACK, ACK, none, SYN+FIN or anything. */
static uint8_t gen_tcp_flags(struct gen_rng *rng, bool aim_syn)
{
	static const uint8_t common[] = { 0x02, 0x02, 0x12, 0x10, 0x00, 0x03, 0x18 };

	if (aim_syn && gen_chance(rng, 70))
		return 0x02;
	return gen_chance(rng, 85) ? gen_pick(rng, common, sizeof(common)) : (uint8_t)gen_next(rng);
}

/* Source, protocol and port: often exactly what one rule names, so every precedence level gets hit. */
static void gen_ip_match(struct gen_rng *rng, const struct gen_pool *pool, struct pkt_spec *spec,
			 char src[GEN_ADDR_TEXT])
{
	const struct fw_ruleset *rs = pool->rs;
	const struct fw_rule *aim = NULL;
	uint8_t addr[16];

	if (rs->count && gen_chance(rng, 40))
		aim = &rs->rules[gen_below(rng, (uint32_t)rs->count)];
	if (aim && aim->has_src)
		gen_rule_source(rng, rs, aim, addr);
	else
		gen_frame_source(rng, pool, addr);
	gen_source_text(rng, addr, src);
	spec->src = src;
	spec->ipproto = aim ? gen_ipproto_of(rng, aim->proto, aim->port) : gen_ipproto(rng);
	spec->dport = aim && aim->port ? gen_rule_port(rng, rs, aim) : gen_dport(rng, pool);
	if (spec->ipproto == IPPROTO_TCP)
		spec->tcp_flags = gen_tcp_flags(rng, aim && aim->tcp_flags);
}

/* clean: well-formed headers only, so the rules decide. */
static void gen_ip_spec(struct gen_rng *rng, const struct gen_pool *pool, bool clean,
			struct pkt_spec *spec, char src[GEN_ADDR_TEXT])
{
	bool ipv6;

	gen_ip_match(rng, pool, spec, src);
	ipv6 = strchr(src, ':') != NULL;
	spec->icmp_type = gen_icmp_type(rng);
	spec->payload = (uint16_t)gen_below(rng, 41);
	spec->pad = gen_chance(rng, 50) ? 0 : (uint8_t)gen_next(rng);
	if (gen_chance(rng, 20))
		gen_fragment(rng, spec, ipv6);
	if (!ipv6 && gen_chance(rng, 25))
		spec->ipv4_option_words = (uint8_t)(1 + gen_below(rng, 10));
	if (clean)
		return;
	if (gen_chance(rng, ipv6 ? 30 : 10))
		gen_ext_chain(rng, spec, ipv6);
	if (!ipv6 && gen_chance(rng, 4))
		spec->ihl = (int)gen_below(rng, 16);
	if (gen_chance(rng, 3))
		spec->version = (int)gen_below(rng, 16);
}

static void gen_non_ip_spec(struct gen_rng *rng, struct pkt_spec *spec)
{
	static const uint16_t ethertypes[] = { 0x0806, 0x0806, 0x88cc, 0x8847, 0x0842, 0x86dd + 1 };

	spec->ethertype = gen_chance(rng, 80) ? ethertypes[gen_below(rng, 6)]
					      : (uint16_t)gen_next(rng);
	spec->payload = (uint16_t)gen_below(rng, 41);
}

static size_t gen_insert(uint8_t *buf, size_t len, size_t at, const uint8_t *bytes, size_t n)
{
	if (len + n > PKT_MAX || at > len)
		abort();
	memmove(buf + at + n, buf + at, len - at);
	memcpy(buf + at, bytes, n);
	return len + n;
}

/* Where pkt_build() put extension header i of an IPv6 frame whose IPv6 header is at l3. */
static size_t gen_ext_at(const struct pkt_spec *spec, size_t l3, size_t i)
{
	size_t at = l3 + 40;

	for (size_t j = 0; j < i; j++)
		at += pkt_ext_len(spec, j);
	return at;
}

/* Relabels some option-type extension headers as hop-by-hop (same layout, type 0). */
static void gen_hop_by_hop(struct gen_rng *rng, const struct pkt_spec *spec, size_t l3,
			   uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < pkt_ext_count(spec); i++) {
		/* The next-header byte naming ext i: the IPv6 header's, or the one before's. */
		size_t pointer = i ? gen_ext_at(spec, l3, i - 1) : l3 + 6;

		if (spec->ext[i] != IPPROTO_FRAGMENT && spec->ext[i] != IPPROTO_AH && pointer < len &&
		    gen_chance(rng, i ? 10 : 40))
			buf[pointer] = IPPROTO_HOPOPTS;
	}
}

static uint16_t gen_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void gen_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * pkt_build writes every option-type extension header 8 bytes long; make
 * some longer (padding inserted, and counted in the payload length), and
 * some claim more than the frame holds.
 */
static size_t gen_stretch_extensions(struct gen_rng *rng, const struct pkt_spec *spec,
				     size_t l3, uint8_t *buf, size_t len)
{
	static const uint8_t zeros[24];

	for (size_t i = pkt_ext_count(spec); i-- > 0;) {
		size_t at = gen_ext_at(spec, l3, i);

		if (spec->ext[i] == IPPROTO_FRAGMENT || spec->ext[i] == IPPROTO_AH ||
		    at + 8 > len || !gen_chance(rng, 30))
			continue;
		if (gen_chance(rng, 15)) {
			buf[at + 1] = (uint8_t)gen_next(rng); /* a length the frame may not hold */
		} else {
			size_t words = 1 + gen_below(rng, 3);

			len = gen_insert(buf, len, at + 8, zeros, 8 * words);
			buf[at + 1] = (uint8_t)words;
			gen_put16(buf + l3 + 4, (uint16_t)(gen_get16(buf + l3 + 4) + 8 * words));
		}
	}
	return len;
}

/*
 * Makes the IP length field disagree with the frame: shorter (headers then
 * lie in the padding, as in a tiny fragment), below the IPv4 header's own
 * length, longer than the frame, 0, or anything.
 */
static void gen_ip_length(struct gen_rng *rng, size_t l3, bool ipv6, uint8_t *buf, size_t len)
{
	size_t field = l3 + (ipv6 ? 4 : 2);
	uint16_t natural, value;
	unsigned roll = gen_below(rng, 100);

	if (field + 2 > len)
		return;
	natural = gen_get16(buf + field);
	if (roll < 45)
		value = (uint16_t)(natural - 1 - gen_below(rng, 24));
	else if (roll < 60 && !ipv6)
		value = (uint16_t)gen_below(rng, 4u * (buf[l3] & 0x0f));
	else if (roll < 80)
		value = (uint16_t)(natural + 1 + gen_below(rng, 24));
	else if (roll < 90)
		value = 0;
	else
		value = (uint16_t)gen_next(rng);
	gen_put16(buf + field, value);
}

/* Bytes past the IP packet: a longer Ethernet padding or trailer, often junk. */
static size_t gen_trailer(struct gen_rng *rng, uint8_t *buf, size_t len)
{
	uint8_t junk[32];
	size_t n = 1 + gen_below(rng, sizeof(junk));
	uint8_t fill = gen_chance(rng, 50) ? 0 : (uint8_t)gen_next(rng);

	for (size_t i = 0; i < n; i++)
		junk[i] = gen_chance(rng, 80) ? fill : (uint8_t)gen_next(rng);
	return len + n > PKT_MAX ? len : gen_insert(buf, len, len, junk, n);
}

static size_t gen_third_vlan_tag(struct gen_rng *rng, uint8_t *buf, size_t len)
{
	uint8_t tag[4] = { 0x81, 0x00, 0x00, 0x66 };

	if (gen_chance(rng, 50)) {
		tag[0] = 0x88;
		tag[1] = 0xa8;
	}
	return gen_insert(buf, len, 12, tag, sizeof(tag));
}

static void gen_flip_header_bytes(struct gen_rng *rng, uint8_t *buf, size_t len)
{
	size_t window = len < 100 ? len : 100;
	int flips = 1 + (int)gen_below(rng, 3);

	if (window <= 12)
		return;
	for (int i = 0; i < flips; i++) {
		size_t at = 12 + gen_below(rng, (uint32_t)(window - 12));

		buf[at] ^= gen_chance(rng, 50) ? (uint8_t)(1 << gen_below(rng, 8))
					       : (uint8_t)(1 + gen_below(rng, 255));
	}
}

static unsigned gen_vlan_tags(struct gen_rng *rng, struct pkt_spec *spec)
{
	unsigned roll = gen_below(rng, 100), tags;

	tags = roll < 60 ? 0 : roll < 80 ? 1 : roll < 92 ? 2 : 3;
	for (unsigned i = 0; i < tags && i < 2; i++)
		spec->vlan_tpid[i] = gen_chance(rng, 50) ? 0x8100 : 0x88a8;
	return tags;
}

size_t gen_frame(struct gen_rng *rng, const struct gen_pool *pool, uint8_t *buf)
{
	struct pkt_spec spec = { 0 };
	char src[GEN_ADDR_TEXT];
	bool clean = gen_chance(rng, pool->clean_pct);
	unsigned tags = gen_vlan_tags(rng, &spec);
	size_t l3 = 14 + 4 * (tags < 2 ? tags : 2), len; /* before a third tag goes in */

	if (gen_chance(rng, clean ? 97 : 90))
		gen_ip_spec(rng, pool, clean, &spec, src);
	else
		gen_non_ip_spec(rng, &spec);
	len = pkt_build(&spec, buf);
	if (clean)
		return gen_chance(rng, 10) ? gen_trailer(rng, buf, len) : len;

	if (spec.src && strchr(spec.src, ':')) {
		gen_hop_by_hop(rng, &spec, l3, buf, len);
		len = gen_stretch_extensions(rng, &spec, l3, buf, len);
	} else if (spec.src && gen_chance(rng, 10)) {
		buf[l3 + 6] |= 0x40; /* don't fragment: still not a fragment */
	}
	if (spec.src && !spec.ethertype && gen_chance(rng, 12))
		gen_ip_length(rng, l3, strchr(spec.src, ':') != NULL, buf, len);
	if (gen_chance(rng, 10))
		len = gen_trailer(rng, buf, len);
	if (tags > 2)
		len = gen_third_vlan_tag(rng, buf, len);
	if (gen_chance(rng, 12))
		len = 14 + gen_below(rng, (uint32_t)(len - 14 + 1));
	if (gen_chance(rng, 12))
		gen_flip_header_bytes(rng, buf, len);
	return len;
}
