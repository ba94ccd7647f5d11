// SPDX-License-Identifier: GPL-2.0
/*
 * Frame reading for the reference classifier. Written from DESIGN §1, not
 * from bpf/parse.h, so the two can be checked against each other.
 */
#include <string.h>
#include "classify.h"
#include "ruleset.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_ARP = 0x0806,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_QINQ = 0x88a8,
	ETHERTYPE_IPV6 = 0x86dd,
};

enum {
	IPPROTO_NUM_HOPOPTS = 0,
	IPPROTO_NUM_ICMP = 1,
	IPPROTO_NUM_TCP = 6,
	IPPROTO_NUM_UDP = 17,
	IPPROTO_NUM_ROUTING = 43,
	IPPROTO_NUM_FRAGMENT = 44,
	IPPROTO_NUM_AH = 51,
	IPPROTO_NUM_ICMPV6 = 58,
	IPPROTO_NUM_DSTOPTS = 60,
};

enum {
	ETH_HEADER_LEN = 14,
	VLAN_TAG_LEN = 4,
	IPV4_MIN_HEADER_LEN = 20,
	IPV6_HEADER_LEN = 40,
	IPV6_FRAGMENT_HEADER_LEN = 8,
	TCP_HEADER_LEN = 20,
	UDP_HEADER_LEN = 8,
	ICMP_HEADER_LEN = 8,
	ND_FIRST_TYPE = 133,
	ND_LAST_TYPE = 137,
	TCP_FLAGS_AT = 13, /* RFC 9293: CWR ECE URG ACK PSH RST SYN FIN */
	TCP_FLAG_SYN = 0x02,
	TCP_FLAG_ACK = 0x10,
};

/* A read position in the frame; off never passes len, which the IP length fields cut down. */
struct reader {
	const uint8_t *frame;
	size_t len;
	size_t off;
};

/* What the IP layer leaves for the L4 step. */
struct ip_result {
	uint8_t ipproto;
	bool ipv6;
	bool non_first_fragment;
	bool fragment_header; /* an IPv6 fragment header, atomic or not */
};

static bool reader_has(const struct reader *r, size_t bytes)
{
	return r->len - r->off >= bytes;
}

/*
 * Ends the reader `bytes` past its position, at the end the IP length field
 * gives: what lies beyond is link padding. False if the frame is shorter.
 */
static bool reader_limit(struct reader *r, size_t bytes)
{
	if (!reader_has(r, bytes))
		return false;
	r->len = r->off + bytes;
	return true;
}

static const uint8_t *reader_at(const struct reader *r)
{
	return r->frame + r->off;
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool is_vlan_tpid(uint16_t ethertype)
{
	return ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ;
}

/* Steps over Ethernet and up to two VLAN tags; false if cut short or tagged deeper. */
static bool read_ethernet(struct reader *r, uint16_t *ethertype)
{
	int tags = 0;

	if (!reader_has(r, ETH_HEADER_LEN))
		return false;
	*ethertype = be16_at(reader_at(r) + 12);
	r->off += ETH_HEADER_LEN;
	while (is_vlan_tpid(*ethertype)) {
		if (tags == FW_MAX_VLAN_TAGS || !reader_has(r, VLAN_TAG_LEN))
			return false;
		*ethertype = be16_at(reader_at(r) + 2);
		r->off += VLAN_TAG_LEN;
		tags++;
	}
	return true;
}

static bool read_ipv4(struct reader *r, struct fw_frame_facts *facts, struct ip_result *ip)
{
	const uint8_t *h = reader_at(r);
	size_t header_len;
	uint16_t flags_and_offset;

	if (!reader_has(r, IPV4_MIN_HEADER_LEN) || h[0] >> 4 != 4)
		return false;
	header_len = (size_t)(h[0] & 0x0f) * 4;
	/* Past the total length lies link padding; a total length below IHL*4 cuts the header. */
	if (header_len < IPV4_MIN_HEADER_LEN || !reader_limit(r, be16_at(h + 2)) ||
	    !reader_has(r, header_len))
		return false;

	fw_addr_from_ipv4(facts->src, h + 12);
	flags_and_offset = be16_at(h + 6);
	facts->fragment = (flags_and_offset & 0x3fff) != 0; /* MF flag or an offset */
	ip->non_first_fragment = (flags_and_offset & 0x1fff) != 0;
	ip->ipproto = h[9];
	ip->ipv6 = false;
	r->off += header_len;
	return true;
}

/* AH is an extension header of both versions; the others only of IPv6. */
static bool is_extension(uint8_t next_header, bool ipv6)
{
	if (next_header == IPPROTO_NUM_AH)
		return true;
	return ipv6 && (next_header == IPPROTO_NUM_HOPOPTS || next_header == IPPROTO_NUM_ROUTING ||
			next_header == IPPROTO_NUM_DSTOPTS || next_header == IPPROTO_NUM_FRAGMENT);
}

/* Steps over one extension header; false if it is cut short. */
static bool read_extension(struct reader *r, uint8_t *next_header, struct fw_frame_facts *facts,
			   struct ip_result *ip)
{
	const uint8_t *h = reader_at(r);
	size_t header_len;

	if (!reader_has(r, 2))
		return false;
	if (*next_header == IPPROTO_NUM_FRAGMENT)
		header_len = IPV6_FRAGMENT_HEADER_LEN;
	else if (*next_header == IPPROTO_NUM_AH)
		header_len = ((size_t)h[1] + 2) * 4; /* RFC 4302: in 4-byte words, less 2 */
	else
		header_len = ((size_t)h[1] + 1) * 8;
	if (!reader_has(r, header_len))
		return false;
	if (*next_header == IPPROTO_NUM_FRAGMENT) {
		uint16_t offset = be16_at(h + 2) & 0xfff8, more = be16_at(h + 2) & 1;

		ip->fragment_header = true;
		/* Offset 0 without M is an atomic fragment: a whole packet (RFC 6946). */
		facts->fragment = facts->fragment || offset || more;
		ip->non_first_fragment = offset != 0;
	}
	*next_header = h[0];
	r->off += header_len;
	return true;
}

/* Walks the extension headers from ip->ipproto on; false if one is cut short or there are too many. */
static bool read_extensions(struct reader *r, struct fw_frame_facts *facts, struct ip_result *ip)
{
	int walked = 0;

	/* Past a non-first fragment header comes payload, not headers. */
	while (is_extension(ip->ipproto, ip->ipv6) && !ip->non_first_fragment) {
		if (walked++ == FW_MAX_IPV6_EXT_HDRS)
			return false; /* too long a chain to walk */
		if (!read_extension(r, &ip->ipproto, facts, ip))
			return false;
	}
	return true;
}

static bool read_ipv6(struct reader *r, struct fw_frame_facts *facts, struct ip_result *ip)
{
	const uint8_t *h = reader_at(r);

	/* Payload length 0 (a jumbogram) leaves no room for its hop-by-hop header. */
	if (!reader_has(r, IPV6_HEADER_LEN) || h[0] >> 4 != 6 ||
	    !reader_limit(r, IPV6_HEADER_LEN + (size_t)be16_at(h + 4)))
		return false;
	memcpy(facts->src, h + 8, 16);
	ip->ipproto = h[6];
	ip->ipv6 = true;
	r->off += IPV6_HEADER_LEN;
	return true;
}

static uint8_t proto_slot(const struct ip_result *ip)
{
	if (ip->ipproto == IPPROTO_NUM_TCP)
		return FW_PROTO_TCP;
	if (ip->ipproto == IPPROTO_NUM_UDP)
		return FW_PROTO_UDP;
	if (!ip->ipv6 && ip->ipproto == IPPROTO_NUM_ICMP)
		return FW_PROTO_ICMP;
	if (ip->ipv6 && ip->ipproto == IPPROTO_NUM_ICMPV6)
		return FW_PROTO_ICMPV6;
	return FW_PROTO_OTHER;
}

/* Reads the destination port or the ICMP type; the kind the L4 header makes of the frame. */
static enum fw_frame_kind read_l4(const struct reader *r, struct fw_frame_facts *facts,
				  const struct ip_result *ip)
{
	const uint8_t *h = reader_at(r);

	switch (facts->proto) {
	case FW_PROTO_TCP:
	case FW_PROTO_UDP:
		if (!reader_has(r, facts->proto == FW_PROTO_TCP ? TCP_HEADER_LEN : UDP_HEADER_LEN))
			return FW_FRAME_MALFORMED;
		facts->dport = be16_at(h + 2);
		facts->tcp_syn = facts->proto == FW_PROTO_TCP &&
				 (h[TCP_FLAGS_AT] & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN;
		return FW_FRAME_IP;
	case FW_PROTO_ICMP:
	case FW_PROTO_ICMPV6:
		if (!reader_has(r, ICMP_HEADER_LEN))
			return FW_FRAME_MALFORMED;
		/* ND with any fragment header, atomic too, is ignored by its receiver (RFC 6980). */
		if (facts->proto == FW_PROTO_ICMPV6 && !ip->fragment_header &&
		    h[0] >= ND_FIRST_TYPE && h[0] <= ND_LAST_TYPE)
			return FW_FRAME_LINK;
		return FW_FRAME_IP;
	default:
		return FW_FRAME_IP;
	}
}

struct fw_frame_facts fw_frame_read(const uint8_t *frame, size_t len)
{
	struct fw_frame_facts facts = { .kind = FW_FRAME_MALFORMED };
	struct reader r = { .frame = frame, .len = len };
	struct ip_result ip = { 0 };
	uint16_t ethertype;
	bool ip_ok;

	if (!read_ethernet(&r, &ethertype))
		return facts;
	if (ethertype == ETHERTYPE_ARP) {
		facts.kind = FW_FRAME_LINK;
		return facts;
	}
	if (ethertype == ETHERTYPE_IPV4)
		ip_ok = read_ipv4(&r, &facts, &ip);
	else if (ethertype == ETHERTYPE_IPV6)
		ip_ok = read_ipv6(&r, &facts, &ip);
	else {
		facts.kind = FW_FRAME_NON_IP;
		return facts;
	}
	if (!ip_ok || !read_extensions(&r, &facts, &ip))
		return facts;

	facts.proto = proto_slot(&ip);
	facts.kind = ip.non_first_fragment ? FW_FRAME_IP : read_l4(&r, &facts, &ip);
	return facts;
}
