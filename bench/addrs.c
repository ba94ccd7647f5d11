// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "addrs.h"
#include "pkt.h"
#include "ruleset.h"

struct bench_split bench_split(uint32_t rules)
{
	struct bench_split s;

	s.v4 = rules / 2 < BENCH_V4_MAX ? rules / 2 : BENCH_V4_MAX;
	s.v6 = rules - s.v4;
	return s;
}

uint32_t bench_rule_v4(uint32_t i)
{
	return htonl((198u << 24) | (18u << 16) | (i & 0xffff));
}

static void bench_v6(int hit, uint32_t i, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0x20;
	out[1] = 0x01;
	out[3] = 0x02;
	out[7] = hit ? 0 : 1;
	out[12] = i >> 24;
	out[13] = i >> 16;
	out[14] = i >> 8;
	out[15] = i;
}

uint32_t bench_ban_v4(uint32_t i)
{
	return htonl((100u << 24) | (64u << 16) | (i & (BENCH_BANS_V4_MAX - 1)));
}

void bench_ban_v6(uint32_t i, uint8_t out[16])
{
	bench_v6(1, i, out);
	out[7] = 2;
}

void bench_rule_addr(const struct bench_split *s, uint32_t i, uint8_t out[16])
{
	if (i < s->v4) {
		uint32_t v4 = bench_rule_v4(i);

		fw_addr_from_ipv4(out, &v4);
	} else {
		bench_v6(1, i - s->v4, out);
	}
}

static size_t bench_frame_build(struct pkt_spec *spec, uint8_t *buf)
{
	size_t len = pkt_build(spec, buf);

	if (len < 60) { /* pad to the 64-byte minimum frame, less the FCS */
		spec->payload = 60 - len;
		len = pkt_build(spec, buf);
	}
	return len;
}

size_t bench_frame(int ipv6, int hit, uint32_t index, uint8_t *buf, uint32_t *addr_off)
{
	char src[INET6_ADDRSTRLEN];
	struct pkt_spec spec = { .ipproto = IPPROTO_UDP, .dport = 53, .sport = 40000 };

	if (ipv6) {
		uint8_t a[16];

		bench_v6(hit, index, a);
		inet_ntop(AF_INET6, a, src, sizeof(src));
		spec.dst = "2001:2:0:ffff::1";
		*addr_off = 14 + 8 + 12; /* last 4 bytes of the source */
	} else {
		snprintf(src, sizeof(src), "198.%u.%u.%u", hit ? 18 : 19, (index >> 8) & 0xff,
			 index & 0xff);
		spec.dst = "198.19.255.254";
		*addr_off = 14 + 12 + 2; /* last 2 bytes of the source */
	}
	spec.src = src;
	return bench_frame_build(&spec, buf);
}

size_t bench_frame_from(const uint8_t addr[16], uint8_t *buf, uint32_t *addr_off)
{
	char src[INET6_ADDRSTRLEN];
	struct pkt_spec spec = { .ipproto = IPPROTO_UDP, .dport = 53, .sport = 40000, .src = src };

	if (fw_addr_is_v4_mapped(addr)) {
		inet_ntop(AF_INET, &addr[12], src, sizeof(src));
		spec.dst = "198.19.255.254";
		*addr_off = 14 + 12;
	} else {
		inet_ntop(AF_INET6, addr, src, sizeof(src));
		spec.dst = "2001:2:0:ffff::1";
		*addr_off = 14 + 8;
	}
	return bench_frame_build(&spec, buf);
}
